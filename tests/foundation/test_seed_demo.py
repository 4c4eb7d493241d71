import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from noloc_portal.accounts.demo import DEMO_PASSWORD
from noloc_portal.accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_creates_one_account_per_role(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    emails = set(User.objects.values_list("email", flat=True))
    assert {
        "professional@example.org",
        "candidate@example.org",
        "assessor@example.org",
        "assessor2@example.org",
        "certification@example.org",
        "kring@example.org",
        "regio@example.org",
        "admin@example.org",
    } <= emails
    assert User.objects.get(email="admin@example.org").is_superuser
    assert User.objects.get(email="kring@example.org").check_password(DEMO_PASSWORD)


@override_settings(SETTINGS_MODULE="noloc_portal.settings.production")
def test_seed_demo_refuses_production_settings():
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
