"""Two-factor authentication in tests: enrol an authenticator, compute its current code, and
mark a test client's session as having passed the second step."""

from base64 import b32decode

from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from noloc_portal.accounts.otp import DEVICE_NAME, mfa_required, totp_device


def enrol(user) -> TOTPDevice:
    return totp_device(user) or TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, confirmed=True
    )


def code_for(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the app shows now, or at the Unix time `at` (each code is accepted once)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{device.digits}d}"


def pass_second_step(client: ClientMixin, user) -> None:
    """Mark the client's session verified with the user's (new or existing) authenticator."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = enrol(user).persistent_id
    session.save()


_force_login = ClientMixin.force_login


def force_login_with_second_step(self, user, backend=None):
    """force_login as a person who passed both login steps; see tests/conftest.py."""
    _force_login(self, user, backend)
    if mfa_required(user):
        pass_second_step(self, user)


def code_for_secret(secret: str) -> str:
    """The current code for a key as the set-up page shows it (base32 in groups)."""
    return f"{TOTP(b32decode(secret.replace(' ', ''))).token():06d}"
