"""Login lockout, API tokens that expire and are revoked, throttled password reset (issue 12)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, Role, user_with

pytestmark = pytest.mark.django_db

OFFICE = "192.0.2.10"
HOME = "198.51.100.7"
CAFE = "203.0.113.99"


@pytest.fixture(autouse=True)
def lockout(settings):
    """Axes on (the test settings switch it off), with the production limits."""
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
    assert client.get(reverse("home")).status_code == 302  # still sent to the login page


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
