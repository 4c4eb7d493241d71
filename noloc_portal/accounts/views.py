from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from noloc_portal.accounts.forms import LogoutEverywhereForm
from noloc_portal.accounts.navigation import start_pages_for
from noloc_portal.accounts.ratelimit import within_limit
from noloc_portal.accounts.services import log_out_everywhere


@login_required
def home(request):
    """Send a person with one role to its start page; several roles get a choice of tiles."""
    pages = start_pages_for(request.user)
    if len(pages) == 1:
        return redirect(pages[0].url)
    if not pages and request.user.is_staff:
        return redirect("admin:index")
    return render(request, "accounts/home.html", {"pages": pages})


@login_required
def logout_everywhere(request):
    """End every session and the API token of the person, after they confirm their password."""
    form = LogoutEverywhereForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        log_out_everywhere(user=request.user, password=form.cleaned_data["password"])
        logout(request)
        messages.success(request, _("Je bent overal uitgelogd, ook in apps die de API gebruiken."))
        return redirect("accounts:login")
    return render(request, "registration/logout_everywhere.html", {"form": form})


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """The password reset, limited per address and per e-mail address.

    Past the address limit the page says so (429). Past the limit of an e-mail address no
    more mail is sent, with the usual answer, so the page never tells whether an account
    exists.
    """

    def post(self, request, *args, **kwargs):
        address = get_client_ip_address(request)
        if not within_limit(
            f"password-reset:address:{address}",
            limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
            window=settings.PASSWORD_RESET_LIMIT_WINDOW,
        ):
            return render(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        if not within_limit(
            f"password-reset:email:{email}",
            limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
            window=settings.PASSWORD_RESET_LIMIT_WINDOW,
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
