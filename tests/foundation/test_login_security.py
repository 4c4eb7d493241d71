"""Login lockout, API tokens that expire and are revoked, throttled password reset (issue 12)."""

import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD, Role, user_with

pytestmark = pytest.mark.django_db

OFFICE = "192.0.2.10"
HOME = "198.51.100.7"
CAFE = "203.0.113.99"


@pytest.fixture(autouse=True)
def lockout(settings):
    """Axes and a counting cache on (the test settings switch both off), production limits."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 20
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    cache.clear()
    yield
    cache.clear()


def log_in(client, email, password, address=OFFICE):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def fail(client, email, times, address=OFFICE):
    for _ in range(times):
        response = log_in(client, email, "fout-wachtwoord", address)
    return response


def is_logged_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("home")


# --- Web login -------------------------------------------------------------------------------


def test_four_failures_do_not_lock(client):
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    assert fail(client, "petra@example.org", 4).status_code == 200
    assert is_logged_in(log_in(client, "petra@example.org", PASSWORD))


def test_the_fifth_failure_locks_with_a_dutch_page(client):
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    fail(client, "petra@example.org", 4)
    response = fail(client, "petra@example.org", 1)
    assert response.status_code == 429
    body = response.content.decode()
    assert 'lang="nl"' in body
    assert "Te veel mislukte pogingen" in body
    assert "Probeer het over 15 minuten opnieuw" in body


def test_the_correct_password_is_refused_while_locked(client):
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    fail(client, "petra@example.org", 5)
    response = log_in(client, "petra@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_the_account_locks_across_addresses_and_spellings(client):
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    for address, spelling in [
        (OFFICE, "petra@example.org"),
        (HOME, "Petra@Example.org"),
        (CAFE, " PETRA@example.org"),
        ("192.0.2.11", "petra@example.org"),
        ("192.0.2.12", "petra@EXAMPLE.org"),
    ]:
        fail(client, spelling, 1, address)
    assert log_in(client, "petra@example.org", PASSWORD, "192.0.2.200").status_code == 429


def test_a_locked_account_does_not_lock_colleagues_behind_the_same_address(client):
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    user_with(Role.PROFESSIONAL, email="jan@example.org")
    fail(client, "petra@example.org", 5)
    assert is_logged_in(log_in(client, "jan@example.org", PASSWORD))


def test_an_address_locks_across_accounts(client):
    user_with(Role.PROFESSIONAL, email="jan@example.org")
    for number in range(20):
        fail(client, f"persoon{number}@example.org", 1, CAFE)  # one guess per account
    response = log_in(client, "jan@example.org", PASSWORD, CAFE)
    assert response.status_code == 429
    assert is_logged_in(log_in(client, "jan@example.org", PASSWORD, HOME))


def test_nineteen_failures_from_one_address_on_different_accounts_do_not_lock_it(client):
    user_with(Role.PROFESSIONAL, email="jan@example.org")
    for number in range(19):
        fail(client, f"persoon{number}@example.org", 1, CAFE)
    assert is_logged_in(log_in(client, "jan@example.org", PASSWORD, CAFE))


def test_the_lock_ends_after_the_configured_time(client, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=3)
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    response = fail(client, "petra@example.org", 5)
    assert "Probeer het over 3 minuten opnieuw" in response.content.decode()
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=2, seconds=50))
    assert log_in(client, "petra@example.org", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=3, seconds=1))
    assert is_logged_in(log_in(client, "petra@example.org", PASSWORD))


def test_a_try_during_the_lock_does_not_extend_it(client, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=3)
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    fail(client, "petra@example.org", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=2))
    fail(client, "petra@example.org", 2)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=3, seconds=1))
    assert is_logged_in(log_in(client, "petra@example.org", PASSWORD))


def test_the_admin_login_shares_the_lock(client, staff):
    fail(client, staff.email, 5)
    response = client.post(
        reverse("admin:login"),
        {"username": staff.email, "password": PASSWORD},
        REMOTE_ADDR=OFFICE,
    )
    assert response.status_code == 429


# --- API token endpoint ----------------------------------------------------------------------


def ask_token(email, password, address=OFFICE):
    return APIClient(REMOTE_ADDR=address).post(
        "/api/v1/auth/token/", {"username": email, "password": password}
    )


def portfolios_with(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/portfolios/")


def test_a_token_opens_the_api_and_says_when_it_expires(professional):
    response = ask_token(professional.email, PASSWORD)
    assert response.status_code == 200
    token = Token.objects.get(user=professional)
    assert response.json()["token"] == token.key
    expires = parse_datetime(response.json()["expires"])
    assert expires == token.created + timedelta(hours=24)
    assert portfolios_with(token.key).status_code == 200


def test_the_token_endpoint_locks_and_refuses_the_correct_password(professional):
    for _ in range(4):
        assert ask_token(professional.email, "fout").status_code == 400
    response = ask_token(professional.email, "fout")
    assert response.status_code == 429
    response = ask_token(professional.email, PASSWORD, HOME)
    assert response.status_code == 429
    assert response.json()["detail"] == (
        "Te veel mislukte pogingen: inloggen met dit e-mailadres of vanaf dit adres is "
        "tijdelijk geblokkeerd. Probeer het over 15 minuten opnieuw."
    )
    assert int(response["Retry-After"]) == 15 * 60
    assert not Token.objects.filter(user=professional).exists()


def test_web_and_api_failures_count_together(client, professional):
    fail(client, professional.email, 3)
    ask_token(professional.email, "fout")
    assert ask_token(professional.email, "fout").status_code == 429
    assert log_in(client, professional.email, PASSWORD).status_code == 429


def test_the_token_endpoint_is_throttled_per_address(settings, professional):
    settings.AXES_ENABLED = False  # the throttle alone, whatever the lockout says
    for _ in range(10):
        assert ask_token("niemand@example.org", "fout").status_code == 400
    response = ask_token(professional.email, PASSWORD)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Te veel aanvragen. Probeer het over ")
    assert ask_token(professional.email, PASSWORD, HOME).status_code == 200


def test_an_expired_token_is_refused_with_401_and_replaced_on_request(settings, professional):
    settings.API_TOKEN_LIFETIME = timedelta(hours=2)
    old = ask_token(professional.email, PASSWORD).json()["token"]
    Token.objects.filter(key=old).update(created=timezone.now() - timedelta(hours=2, seconds=1))
    response = portfolios_with(old)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "verlopen" in response.json()["detail"]
    new = ask_token(professional.email, PASSWORD).json()["token"]
    assert new != old
    assert portfolios_with(new).status_code == 200


def test_a_token_just_within_its_lifetime_works(settings, professional):
    settings.API_TOKEN_LIFETIME = timedelta(hours=2)
    token = ask_token(professional.email, PASSWORD).json()["token"]
    Token.objects.filter(key=token).update(created=timezone.now() - timedelta(hours=1, minutes=59))
    assert portfolios_with(token).status_code == 200
    assert ask_token(professional.email, PASSWORD).json()["token"] == token


def test_changing_the_password_revokes_the_token(client, professional):
    token = ask_token(professional.email, PASSWORD).json()["token"]
    client.force_login(professional)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Z0mer-Avond-77",
            "new_password2": "Z0mer-Avond-77",
        },
    )
    assert response.status_code == 302
    assert portfolios_with(token).status_code == 401


def test_a_password_reset_revokes_the_token(client, professional):
    token = ask_token(professional.email, PASSWORD).json()["token"]
    client.post(reverse("accounts:password_reset"), {"email": professional.email})
    link = re.search(r"/accounts/wachtwoord/herstellen/\S+/", mail.outbox[0].body).group(0)
    form_url = client.get(link).url
    response = client.post(
        form_url, {"new_password1": "Z0mer-Avond-77", "new_password2": "Z0mer-Avond-77"}
    )
    assert response.url == reverse("accounts:password_reset_complete")
    assert portfolios_with(token).status_code == 401


def test_saving_a_person_without_a_new_password_keeps_the_token(professional):
    token = ask_token(professional.email, PASSWORD).json()["token"]
    professional.full_name = "Petra de Vries"
    professional.save()
    assert portfolios_with(token).status_code == 200


# --- Log out everywhere ----------------------------------------------------------------------


def signed_in(client) -> bool:
    return client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_logging_out_everywhere_ends_every_session_and_the_token(client, professional):
    token = ask_token(professional.email, PASSWORD).json()["token"]
    laptop, phone = Client(), Client()
    for device in (client, laptop, phone):
        assert is_logged_in(log_in(device, professional.email, PASSWORD))
    assert client.get(reverse("accounts:password_change")).status_code == 200
    page = client.get(reverse("accounts:logout_everywhere"))
    assert "Overal uitloggen" in page.content.decode()

    response = client.post(
        reverse("accounts:logout_everywhere"), {"password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "Je bent overal uitgelogd" in response.content.decode()
    for device in (client, laptop, phone):
        assert not signed_in(device)
    assert portfolios_with(token).status_code == 401
    assert is_logged_in(log_in(Client(), professional.email, PASSWORD))  # same password


def test_logging_out_everywhere_needs_the_password(client, professional):
    token = ask_token(professional.email, PASSWORD).json()["token"]
    other_device = Client()
    other_device.force_login(professional)
    client.force_login(professional)
    response = client.post(reverse("accounts:logout_everywhere"), {"password": "fout"})
    assert response.status_code == 200
    assert "Dit wachtwoord klopt niet" in response.content.decode()
    assert signed_in(other_device)
    assert portfolios_with(token).status_code == 200


def test_the_password_page_offers_logging_out_everywhere(client, professional):
    client.force_login(professional)
    body = client.get(reverse("accounts:password_change")).content.decode()
    assert reverse("accounts:logout_everywhere") in body


# --- Password reset --------------------------------------------------------------------------


def ask_reset(client, email, address=OFFICE):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_mails_an_address_at_most_three_times_an_hour(client):
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    for address in (OFFICE, HOME, CAFE, "192.0.2.11", "192.0.2.12"):
        response = ask_reset(client, "Petra@example.org", address)
        assert response.status_code == 302
        assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 3


def test_a_throttled_reset_answers_like_an_unknown_address(client):
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    for _ in range(3):
        ask_reset(client, "petra@example.org")
    known = ask_reset(client, "petra@example.org", HOME)
    unknown = ask_reset(client, "niemand@example.org", HOME)
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mail.outbox) == 3


def test_password_reset_is_limited_per_address(client):
    for number in range(10):
        assert ask_reset(client, f"persoon{number}@example.org", CAFE).status_code == 302
    response = ask_reset(client, "persoon10@example.org", CAFE)
    assert response.status_code == 429
    assert "Te veel aanvragen" in response.content.decode()
    assert ask_reset(client, "persoon10@example.org", HOME).status_code == 302


def test_the_reset_limit_ends_after_its_window(client, settings):
    settings.PASSWORD_RESET_LIMIT_WINDOW = timedelta(seconds=1)
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    for _ in range(4):
        ask_reset(client, "petra@example.org")
    assert len(mail.outbox) == 3
    time.sleep(1.1)
    ask_reset(client, "petra@example.org")
    assert len(mail.outbox) == 4


def test_roles_with_two_factor_login_need_the_code_for_a_token_too(assessor):
    from tests.mfa import code_for, enrol

    not_enrolled = APIClient(REMOTE_ADDR=OFFICE).post(
        "/api/v1/auth/token/", {"username": assessor.email, "password": PASSWORD}
    )
    assert not_enrolled.status_code == 403
    device = enrol(assessor)
    without_code = ask_token(assessor.email, PASSWORD)
    assert without_code.status_code == 400 and "otp" in without_code.json()
    wrong = APIClient(REMOTE_ADDR=OFFICE).post(
        "/api/v1/auth/token/", {"username": assessor.email, "password": PASSWORD, "otp": "000000"}
    )
    assert wrong.status_code == 400 and not Token.objects.filter(user=assessor).exists()
    time.sleep(1.1)  # a wrong code makes the next try wait (django-otp's throttle)
    right = APIClient(REMOTE_ADDR=OFFICE).post(
        "/api/v1/auth/token/",
        {"username": assessor.email, "password": PASSWORD, "otp": code_for(device)},
    )
    assert right.status_code == 200 and right.json()["token"]


def test_behind_a_trusted_proxy_the_lockout_counts_the_forwarded_client(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for number in range(20):
        Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.7").post(
            reverse("accounts:login"), {"username": f"x{number}@example.org", "password": "no"}
        )
    other = user_with(Role.PROFESSIONAL)
    through_proxy = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.8")
    response = through_proxy.post(
        reverse("accounts:login"), {"username": other.email, "password": PASSWORD}
    )
    assert is_logged_in(response)  # another client behind the same proxy is not locked


def test_a_token_handed_out_is_in_the_security_log(professional):
    from noloc_portal.audit.models import SecurityEvent

    assert ask_token(professional.email, PASSWORD).status_code == 200
    event = SecurityEvent.objects.get(action="api_token")
    assert event.actor == professional and event.ip == OFFICE
