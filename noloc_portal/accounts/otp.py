"""Two-factor authentication: who needs it, enrolment of an authenticator app (TOTP) with
recovery codes, and checking a code. Built on django-otp's TOTP and static plugins; the pages are
in otp_views.py, the gate that sends people to them in middleware.py."""

from __future__ import annotations

import re
from base64 import b32encode
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from noloc_portal.accounts.models import Role, User

# Roles that see other people's portfolios, decisions or member data; staff (the admin site)
# need the second step too. Professionals may opt in.
MFA_ROLES = frozenset({
    Role.ASSESSOR,
    Role.CERTIFICATION_COORDINATOR,
    Role.CIRCLE_COORDINATOR,
    Role.REGIONAL_CHAIR,
    Role.SECRETARIAT,
})  # fmt: skip
RECOVERY_CODE_COUNT = 10
# Wrong codes in one login before the session is ended and the password is asked again. The
# devices throttle as well (django-otp: 1, 2, 4, 8 … seconds after each failure, across logins).
MAX_WRONG_CODES = 5
DEVICE_NAME = "Authenticator-app"
RECOVERY_DEVICE_NAME = "Herstelcodes"

TOTP_CODE = re.compile(r"^\d{6}$")
# Whether the person has an authenticator app, noted in the session at login (and at set-up), so
# that people who need no second step (most professionals) pay no query for it on every page.
ENROLLED_SESSION_KEY = "otp_enrolled"


def mfa_required(user: User) -> bool:
    return user.is_staff or bool(user.role_set & MFA_ROLES)


def is_verified(user) -> bool:
    """True when this request's session passed the second step (set by OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def session_enrolled(request) -> bool:
    if not hasattr(request, "session"):
        return totp_device(request.user) is not None
    if ENROLLED_SESSION_KEY not in request.session:
        remember_enrolment(request, enrolled=totp_device(request.user) is not None)
    return request.session[ENROLLED_SESSION_KEY]


def awaits_second_step(request) -> bool:
    """Logged in with the password, and a code (or the set-up) still to come."""
    user = request.user
    if not user.is_authenticated or is_verified(user):
        return False
    return mfa_required(user) or session_enrolled(request)


def remember_enrolment(request, *, enrolled: bool) -> None:
    request.session[ENROLLED_SESSION_KEY] = enrolled


def note_enrolment_at_login(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (AccountsConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        remember_enrolment(request, enrolled=totp_device(user) is not None)


def totp_device(user: User) -> TOTPDevice | None:
    """The confirmed authenticator app of the user, if they set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def start_enrolment(user: User) -> TOTPDevice:
    """The unconfirmed device that the set-up page shows; the same one until it is confirmed, so
    a reload keeps the QR code that was scanned."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_enrolment(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with a code from the app; returns fresh recovery codes, or None when the
    code is wrong. Earlier apps and recovery codes of the user stop working."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        # No throttle while setting up: whoever sees this page sees the key as well, and a typo
        # should not make the next, right code fail.
        device.throttle_reset(commit=False)
        if not device.verify_token(normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        return issue_recovery_codes(device.user)


def issue_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@dataclass(frozen=True)
class CodeCheck:
    device: Device | None
    throttled_seconds: int = 0

    @property
    def recovery(self) -> bool:
        return isinstance(self.device, StaticDevice)


def check_code(user: User, code: str) -> CodeCheck:
    """Six digits are checked against the app, anything else against the recovery codes."""
    code = normalise(code)
    model = TOTPDevice if TOTP_CODE.match(code) else StaticDevice
    device = model.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        return CodeCheck(None)
    allowed, info = device.verify_is_allowed()
    if not allowed and info and "locked_until" in info:
        wait = (info["locked_until"] - timezone.now()).total_seconds()
        return CodeCheck(None, throttled_seconds=max(1, int(wait) + 1))
    return CodeCheck(verify_token(user, device.persistent_id, code))


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def secret_for_display(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG (no external service sees the secret)."""
    # Imported here: only the page that sets up the second step draws a QR code, and every
    # process (each manage.py command, each worker) would load it when it starts.
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    return image.to_string(encoding="unicode")
