from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlencode, urlsafe_base64_decode
from django.utils.translation import gettext as _

from noloc_portal.accounts.forms import LogoutEverywhereForm, ResendVerificationForm, SignupForm
from noloc_portal.accounts.models import User
from noloc_portal.accounts.navigation import start_pages_for
from noloc_portal.accounts.ratelimit import within_limit
from noloc_portal.accounts.services import (
    log_out_everywhere,
    resend_verification,
    sign_up,
    verify_email,
)
from noloc_portal.accounts.session_user import SESSION_BACKEND
from noloc_portal.accounts.verification import verification_tokens


def anonymous_only(view):
    """Pages for visitors without an account (sign-up): a logged-in person goes home."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return view(request, *args, **kwargs)

    return wrapper


def home(request):
    """The front page for visitors; a person with one role goes on to its start page, several
    roles get a choice of tiles."""
    if not request.user.is_authenticated:
        return render(request, "accounts/front.html")
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


# --- sign-up -------------------------------------------------------------------------------


def _safe_next(request) -> str:
    """The page the visitor was on their way to (``next``): a path on this site, else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _address_within_signup_limit(request) -> bool:
    """Past this limit of the client address the sign-up pages answer 429."""
    return within_limit(
        f"signup:address:{get_client_ip_address(request)}",
        limit=settings.SIGNUP_LIMIT_PER_ADDRESS,
        window=settings.SIGNUP_LIMIT_WINDOW,
    )


def _email_within_signup_limit(email: str) -> bool:
    """Past this limit of an e-mail address nothing more is mailed, with the usual answer
    (sign-up and sending the link again count together)."""
    return within_limit(
        f"signup:email:{email}",
        limit=settings.SIGNUP_LIMIT_PER_EMAIL,
        window=settings.SIGNUP_LIMIT_WINDOW,
    )


@anonymous_only
def signup(request):
    """A new account: inactive until the link mailed to the address is opened.

    The answer is the same for a known address (which gets a mail instead), so the page never
    tells whether someone has an account. Limited per client address and per e-mail address.
    """
    next_url = _safe_next(request)
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if not _address_within_signup_limit(request):
            return render(request, "registration/signup_throttled.html", status=429)
        if form.is_valid():
            data = form.cleaned_data
            if _email_within_signup_limit(data["email"]):
                sign_up(
                    email=data["email"],
                    full_name=data["full_name"],
                    password=data["password1"],
                    membership_number=data["membership_number"],
                    place=data["place"],
                    show_place_in_register=data["show_place_in_register"],
                    next_url=next_url,
                )
            return redirect(_with_next(reverse("accounts:signup_done"), next_url))
    return render(request, "registration/signup_form.html", {"form": form, "next": next_url})


@anonymous_only
def signup_done(request):
    return render(request, "registration/signup_done.html", {"next": _safe_next(request)})


@anonymous_only
def signup_resend(request):
    """Send the confirmation link again; the same answer whether or not the address is known."""
    next_url = _safe_next(request)
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST":
        if not _address_within_signup_limit(request):
            return render(request, "registration/signup_throttled.html", status=429)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if _email_within_signup_limit(email):
                resend_verification(email=email, next_url=next_url)
            return redirect(_with_next(reverse("accounts:signup_done"), next_url))
    return render(request, "registration/signup_resend.html", {"form": form, "next": next_url})


def signup_verify(request, uidb64: str, token: str):
    """The link in the mail: opens the account, logs the person in and takes them on to the
    page they were going to. A used or expired link says so and offers a new one."""
    next_url = _safe_next(request)
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is not None and request.user == user:  # opened once more, already in
        return HttpResponseRedirect(next_url or reverse("home"))
    if user is None or not verification_tokens.check_token(user, token):
        return render(request, "registration/signup_invalid.html", {"next": next_url})
    user = verify_email(user=user)
    login(request, user, backend=SESSION_BACKEND)
    messages.success(request, _("Je e-mailadres is bevestigd en je account is klaar. Welkom!"))
    return HttpResponseRedirect(next_url or reverse("home"))
