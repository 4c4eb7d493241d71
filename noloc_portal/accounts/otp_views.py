"""The pages of two-factor authentication: the code step after the password, the set-up of an
authenticator app, and the recovery codes shown once."""

import django_otp
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from noloc_portal.accounts import otp
from noloc_portal.accounts.otp_forms import CodeForm

FAILURES_SESSION_KEY = "otp_failures"
RECOVERY_CODES_SESSION_KEY = "otp_new_recovery_codes"


def _next_url(request) -> str:
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


def _with_next(url_name: str, request) -> str:
    return f"{reverse(url_name)}?{urlencode({REDIRECT_FIELD_NAME: _next_url(request)})}"


@login_required
def verify(request):
    """The second login step: a code from the app, or one recovery code."""
    if otp.is_verified(request.user):
        return redirect(_next_url(request))
    if otp.totp_device(request.user) is None:
        if otp.mfa_required(request.user):
            return redirect(_with_next("accounts:otp_setup", request))
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        result = otp.check_code(request.user, form.cleaned_data["code"])
        if result.device is not None:
            request.session.cycle_key()
            django_otp.login(request, result.device)
            request.session.pop(FAILURES_SESSION_KEY, None)
            if result.recovery:
                left = otp.remaining_recovery_codes(request.user)
                messages.warning(
                    request,
                    ngettext(
                        "Je hebt een herstelcode gebruikt. Je hebt er nog %(count)d over.",
                        "Je hebt een herstelcode gebruikt. Je hebt er nog %(count)d over.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(_next_url(request))
        if result.throttled_seconds:
            form.add_error(
                "code",
                _("Te veel onjuiste codes. Wacht %(seconds)d seconden en probeer het opnieuw.")
                % {"seconds": result.throttled_seconds},
            )
        else:
            failures = request.session.get(FAILURES_SESSION_KEY, 0) + 1
            if failures >= otp.MAX_WRONG_CODES:
                logout(request)
                messages.error(request, _("Te vaak een onjuiste code ingevoerd. Log opnieuw in."))
                return redirect("accounts:login")
            request.session[FAILURES_SESSION_KEY] = failures
            form.add_error("code", _("Deze code klopt niet. Probeer het opnieuw."))
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": _next_url(request)},
    )


@login_required
def setup(request):
    """Set up an authenticator app: scan or type the key, confirm one code."""
    if otp.totp_device(request.user) is not None:
        if otp.is_verified(request.user):
            messages.info(request, _("Tweestapsverificatie is al ingesteld."))
            return redirect(_next_url(request))
        return redirect(_with_next("accounts:otp_verify", request))
    device = otp.start_enrolment(request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = otp.confirm_enrolment(device=device, code=form.cleaned_data["code"])
        if codes is not None:
            request.session.cycle_key()
            django_otp.login(request, device)
            otp.remember_enrolment(request, enrolled=True)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect(_with_next("accounts:otp_recovery_codes", request))
        form.add_error(
            "code",
            _("Deze code klopt niet. Controleer de tijd op je telefoon en probeer het opnieuw."),
        )
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "required": otp.mfa_required(request.user),
            "qr_code": otp.qr_code_svg(device),
            "secret": otp.secret_for_display(device),
        },
    )


@login_required
def recovery_codes(request):
    """The new recovery codes, once: a reload shows them no more."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect(_next_url(request))
    return render(
        request, "accounts/otp_recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )
