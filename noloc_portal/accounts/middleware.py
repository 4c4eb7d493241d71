"""The gate of two-factor authentication: a logged-in person who has to pass the second step
reaches only the code, set-up and logout pages until they do."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from noloc_portal.accounts.otp import awaits_second_step

# Pages open between the password step and the code step.
OPEN_VIEWS = frozenset({
    "accounts:otp_verify",
    "accounts:otp_setup",
    "accounts:otp_recovery_codes",
    "accounts:logout",
})  # fmt: skip


class MfaRequiredMiddleware:
    """After django_otp's OTPMiddleware. Roles are read on every request, so a role granted
    during a session asks for the second step at once; the code page sends those without an app
    on to the set-up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.view_name in OPEN_VIEWS or not awaits_second_step(request):
            return None
        return redirect_to_login(request.get_full_path(), reverse("accounts:otp_verify"))
