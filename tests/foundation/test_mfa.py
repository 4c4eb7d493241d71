"""Two-factor authentication through the real login pages: password, then a code from the app or
a recovery code; set-up on the first login of a role that needs it; the admin only after both."""

import re
import time

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from noloc_portal.accounts import otp
from noloc_portal.accounts.demo import DEMO_PASSWORD
from noloc_portal.accounts.models import User
from tests.factories import PASSWORD, Role, user_with
from tests.mfa import code_for, code_for_secret, enrol

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:otp_verify")
SETUP = reverse("accounts:otp_setup")


def password_step(client: Client, user, next_url: str = "") -> None:
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 302


def code_step(client: Client, code: str, next_url: str = ""):
    return client.post(VERIFY, {"code": code, "next": next_url})


def test_assessor_logs_in_with_password_and_a_code_from_the_app():
    assessor = user_with(Role.ASSESSOR)
    device = enrol(assessor)
    client = Client()
    password_step(client, assessor)

    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=/"
    page = client.get(response.url).content.decode()
    assert "Inlogcode" in page and "authenticator-app" in page
    assert "Toegewezen beoordelingen" not in page  # no role's pages in the menu yet
    # Neither the role's pages nor the admin before the code.
    for url in (reverse("assessments:assigned"), reverse("admin:index")):
        assert client.get(url).url.startswith(VERIFY)

    response = code_step(client, code_for(device), next_url="/")
    assert response.status_code == 302 and response.url == "/"
    assert client.get(reverse("assessments:assigned")).status_code == 200


def test_a_wrong_code_gets_a_dutch_message_and_no_access():
    assessor = user_with(Role.ASSESSOR)
    device = enrol(assessor)
    client = Client()
    password_step(client, assessor)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = code_step(client, wrong)

    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get(reverse("assessments:assigned")).url.startswith(VERIFY)


@override_settings(OTP_TOTP_THROTTLE_FACTOR=60)
def test_the_app_throttles_after_a_wrong_code():
    assessor = user_with(Role.ASSESSOR)
    device = enrol(assessor)
    client = Client()
    password_step(client, assessor)
    code_step(client, "000000" if code_for(device) != "000000" else "111111")

    # Even the right code waits out the throttle (here 60 s after the first failure, doubling).
    response = code_step(client, code_for(device))

    assert "Te veel onjuiste codes" in response.content.decode()
    assert client.get(reverse("assessments:assigned")).url.startswith(VERIFY)


def test_too_many_wrong_codes_end_the_login():
    assessor = user_with(Role.ASSESSOR)
    enrol(assessor)
    client = Client()
    password_step(client, assessor)
    # Recovery-code guesses, each against a fresh throttle, so only the session count stops them.
    for attempt in range(otp.MAX_WRONG_CODES):
        otp.issue_recovery_codes(assessor)
        response = code_step(client, f"geenc0de{attempt}")
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    page = client.get(response.url).content.decode()
    assert "Te vaak een onjuiste code ingevoerd" in page
    assert client.get(reverse("assessments:assigned")).url.startswith(reverse("accounts:login"))


def test_a_code_is_accepted_once():
    assessor = user_with(Role.ASSESSOR)
    device = enrol(assessor)
    code = code_for(device)
    first, second = Client(), Client()
    password_step(first, assessor)
    password_step(second, assessor)
    assert code_step(first, code).status_code == 302
    assert code_step(second, code).status_code == 200


def test_an_assessor_without_an_app_is_sent_to_the_set_up_and_sees_recovery_codes_once():
    assessor = user_with(Role.ASSESSOR)
    client = Client()
    password_step(client, assessor, next_url=reverse("assessments:assigned"))

    response = client.get(reverse("assessments:assigned"), follow=True)
    assert response.redirect_chain[-1][0].startswith(SETUP)
    page = response.content.decode()
    assert "Tweestapsverificatie instellen" in page
    assert "<svg" in page  # the QR code, inline
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", page).group(1)
    assert client.get(reverse("admin:index")).url.startswith(VERIFY)

    response = client.post(SETUP, {"code": "12345", "next": reverse("assessments:assigned")})
    assert "Deze code klopt niet" in response.content.decode()

    response = client.post(
        SETUP, {"code": code_for_secret(secret), "next": reverse("assessments:assigned")}
    )
    assert response.url.startswith(reverse("accounts:otp_recovery_codes"))
    page = client.get(response.url).content.decode()
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', page)
    assert len(codes) == otp.RECOVERY_CODE_COUNT
    assert 'href="/beoordelingen/' in page
    # Shown once.
    assert client.get(reverse("accounts:otp_recovery_codes")).status_code == 302
    assert client.get(reverse("assessments:assigned")).status_code == 200
    device = TOTPDevice.objects.get(user=assessor)
    assert device.confirmed and otp.secret_for_display(device) == secret

    # The next login asks for a code, no new set-up; a recovery code works once.
    client.post(reverse("accounts:logout"))
    password_step(client, assessor)
    assert client.get(SETUP).url.startswith(VERIFY)
    response = code_step(client, codes[0].upper())
    assert response.status_code == 302
    assert "nog 9 over" in client.get(reverse("home"), follow=True).content.decode()
    client.post(reverse("accounts:logout"))
    password_step(client, assessor)
    assert "Deze code klopt niet" in code_step(client, codes[0]).content.decode()


def test_a_professional_is_not_asked_for_a_code_but_may_opt_in():
    professional = user_with(Role.PROFESSIONAL)
    client = Client()
    password_step(client, professional)
    assert client.get(reverse("portfolios:list")).status_code == 200
    assert client.get(VERIFY).status_code == 302

    page = client.get(SETUP).content.decode()
    assert "Beveilig je account extra" in page
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", page).group(1)
    client.post(SETUP, {"code": code_for_secret(secret)})

    # Once opted in, the code is asked at every login.
    client.post(reverse("accounts:logout"))
    password_step(client, professional)
    assert client.get(reverse("portfolios:list")).url.startswith(VERIFY)


def test_a_role_granted_during_a_session_asks_for_the_second_step_at_once():
    person = user_with(Role.PROFESSIONAL)
    client = Client()
    password_step(client, person)
    assert client.get(reverse("portfolios:list")).status_code == 200
    person.role_grants.create(role=Role.CIRCLE_COORDINATOR)
    response = client.get(reverse("kwaliteitskringen:mine"))
    assert response.url.startswith(VERIFY)
    assert client.get(response.url).url.startswith(SETUP)


def test_the_admin_refuses_a_staff_session_without_the_second_step():
    staff = user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True)
    device = enrol(staff)
    client = Client()
    # The admin's own login form checks the password only: still no admin without the code.
    response = client.post(
        reverse("admin:login"), {"username": staff.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    code_step(client, code_for(device))
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_site_itself_checks_the_verification():
    """Behind the gate, the admin's own permission check wants a verified session too."""
    from django.contrib import admin

    staff = user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = staff
    assert not admin.site.has_permission(request)
    staff.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_demo_accounts_log_in_with_the_documented_code(capsys):
    call_command("seed_demo")
    call_command("demo_totp")
    code = re.search(r"^(\d{6}) ", capsys.readouterr().out, re.MULTILINE).group(1)
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "assessor@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert code_step(client, code).status_code == 302
    assert client.get(reverse("assessments:assigned")).status_code == 200
    professional = User.objects.get(email="professional@example.org")
    assert not TOTPDevice.objects.filter(user=professional).exists()


@override_settings(SETTINGS_MODULE="noloc_portal.settings.production")
def test_demo_totp_refuses_production_settings():
    with pytest.raises(CommandError, match="production"):
        call_command("demo_totp")


def test_code_for_the_next_step_is_accepted_within_the_tolerance():
    """The app and the server may differ by one step (30 s)."""
    assessor = user_with(Role.ASSESSOR)
    device = enrol(assessor)
    client = Client()
    password_step(client, assessor)
    assert code_step(client, code_for(device, at=time.time() + 30)).status_code == 302
