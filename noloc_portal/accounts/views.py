from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from noloc_portal.accounts.forms import LogoutEverywhereForm
from noloc_portal.accounts.navigation import start_pages_for
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
