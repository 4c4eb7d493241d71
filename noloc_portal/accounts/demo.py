"""Demo accounts: one per role (README lists them). Used by `manage.py seed_demo` only."""

from __future__ import annotations

from base64 import b32decode
from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from noloc_portal.accounts.models import Role, RoleGrant, User
from noloc_portal.accounts.otp import DEVICE_NAME, mfa_required

DEMO_PASSWORD = "noloc-demo-2026"
# The authenticator key of every demo account that needs two-factor authentication (README).
# Public on purpose: seed_demo, the only user of this module, refuses production settings.
DEMO_TOTP_SECRET = "NOLOCDEMONOLOCDEMONOLOCDEMO23456"


@dataclass(frozen=True)
class DemoAccount:
    key: str
    email: str
    full_name: str
    roles: tuple[str, ...]
    superuser: bool = False
    membership_number: str = ""


DEMO_ACCOUNTS = (
    DemoAccount(
        "professional",
        "professional@example.org",
        "Petra de Jong",
        (Role.PROFESSIONAL,),
        membership_number="N-10231",
    ),
    DemoAccount(
        "candidate",
        "candidate@example.org",
        "Karim El Amrani",
        (Role.PROFESSIONAL,),
        membership_number="N-10877",
    ),
    DemoAccount(
        "assessor",
        "assessor@example.org",
        "Anke Visser",
        (Role.ASSESSOR,),
        membership_number="N-08412",
    ),
    DemoAccount(
        "assessor2",
        "assessor2@example.org",
        "Bas Hendriks",
        (Role.ASSESSOR,),
        membership_number="N-09120",
    ),
    DemoAccount(
        "certification",
        "certification@example.org",
        "Carla Mulder",
        (Role.CERTIFICATION_COORDINATOR,),
    ),
    DemoAccount(
        "kring",
        "kring@example.org",
        "Kees Bakker",
        (Role.CIRCLE_COORDINATOR,),
        membership_number="N-07754",
    ),
    DemoAccount(
        "regio",
        "regio@example.org",
        "Renate van der Linden",
        (Role.PROFESSIONAL, Role.REGIONAL_CHAIR),
        membership_number="N-05318",
    ),
    DemoAccount(
        "admin", "admin@example.org", "Sanne Secretariaat", (Role.SECRETARIAT,), superuser=True
    ),
)


def seed_accounts() -> dict[str, User]:
    """Create or refresh the demo accounts; returns them by key. Idempotent."""
    users = {}
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.update_or_create(
            email=account.email,
            defaults={
                "full_name": account.full_name,
                "membership_number": account.membership_number,
                "is_staff": account.superuser,
                "is_superuser": account.superuser,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        for role in account.roles:
            RoleGrant.objects.get_or_create(user=user, role=role)
        if mfa_required(user):
            enrol_demo_totp(user)
        users[account.key] = user
    return users


def enrol_demo_totp(user: User) -> TOTPDevice:
    """Pre-enrol the demo authenticator, so `make run` logs in with a code from DEMO_TOTP_SECRET
    (`manage.py demo_totp` prints the current one)."""
    device, _ = TOTPDevice.objects.update_or_create(
        user=user,
        name=DEVICE_NAME,
        defaults={"key": b32decode(DEMO_TOTP_SECRET).hex(), "confirmed": True},
    )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return device
