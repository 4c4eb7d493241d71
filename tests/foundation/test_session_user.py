"""The user of a session is read in one query with their roles and confirmed devices, and the
second step still holds only while the session's device exists, is the user's and is confirmed."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from noloc_portal.accounts.models import RoleGrant
from noloc_portal.accounts.session_user import RolesModelBackend
from tests.factories import Role, user_with
from tests.mfa import enrol, pass_second_step

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:otp_verify")


def tables_read(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # The table of each query's first column (subqueries inside a query do not count).
    return [f'"{query["sql"].split(chr(34))[1]}"' for query in queries.captured_queries]


def test_a_logged_in_request_reads_user_roles_and_devices_in_one_query():
    coordinator = user_with(Role.CERTIFICATION_COORDINATOR)
    client = Client()
    client.force_login(coordinator)  # with the second step (tests/conftest.py)
    circles = reverse("kwaliteitskringen:public_list")
    tables = tables_read(client, circles)
    assert tables.count('"accounts_user"') == 1
    assert '"accounts_rolegrant"' not in tables
    assert '"otp_totp_totpdevice"' not in tables
    # The menu still shows the role's page: the roles came with the user.
    assert reverse("assessments:certification") in client.get(circles).content.decode()


def test_the_backend_reads_roles_with_the_user():
    user = user_with(Role.ASSESSOR, Role.CIRCLE_COORDINATOR)
    enrol(user)
    loaded = RolesModelBackend().get_user(user.pk)
    assert loaded.role_set == {Role.ASSESSOR, Role.CIRCLE_COORDINATOR}
    assert RolesModelBackend().get_user(user.pk + 1000) is None
    nobody = user_with()
    assert RolesModelBackend().get_user(nobody.pk).role_set == frozenset()


def test_a_role_granted_during_the_session_counts_on_the_next_request():
    user = user_with(Role.PROFESSIONAL)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("portfolios:list")).status_code == 200
    RoleGrant.objects.create(user=user, role=Role.ASSESSOR)
    response = client.get(reverse("assessments:assigned"))
    assert response.status_code == 302 and response.url.startswith(VERIFY)


@pytest.mark.parametrize("change", ["deleted", "unconfirmed", "someone_elses"])
def test_the_second_step_lapses_when_the_sessions_device_is_no_longer_valid(change):
    assessor = user_with(Role.ASSESSOR)
    client = Client()
    client.force_login(assessor)
    assert client.get(reverse("assessments:assigned")).status_code == 200
    device = TOTPDevice.objects.get(user=assessor)
    if change == "deleted":
        device.delete()
    elif change == "unconfirmed":
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    else:
        TOTPDevice.objects.filter(pk=device.pk).update(user=user_with(Role.ASSESSOR))
    response = client.get(reverse("assessments:assigned"))
    assert response.status_code == 302 and response.url.startswith(VERIFY)


def test_a_recovery_code_session_stays_verified():
    assessor = user_with(Role.ASSESSOR)
    enrol(assessor)
    static = StaticDevice.objects.create(user=assessor, name="Herstelcodes", confirmed=True)
    client = Client()
    client.force_login(assessor)
    session = client.session
    session["otp_device_id"] = static.persistent_id
    session.save()
    assert client.get(reverse("assessments:assigned")).status_code == 200


def test_the_set_up_link_shows_only_without_the_second_step():
    professional = user_with(Role.PROFESSIONAL)
    client = Client()
    client.force_login(professional)
    setup = reverse("accounts:otp_setup")
    page = reverse("portfolios:list")
    assert setup in client.get(page).content.decode()
    pass_second_step(client, professional)
    assert setup not in client.get(page).content.decode()


def test_the_backend_views_log_in_with_is_the_one_in_the_settings(settings):
    from noloc_portal.accounts.session_user import SESSION_BACKEND

    assert SESSION_BACKEND in settings.AUTHENTICATION_BACKENDS
