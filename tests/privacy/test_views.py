"""The 'Mijn gegevens' page: a person sees and handles only their own download and request."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from noloc_portal.privacy.models import AccountRemovalRequest, DataExport, RemovalState
from tests.factories import PASSWORD, Role, user_with
from tests.privacy.people import open_zip

pytestmark = pytest.mark.django_db

MINE = reverse("privacy:mine")


@pytest.mark.parametrize(
    "roles",
    [
        (Role.PROFESSIONAL,),
        (Role.ASSESSOR,),
        (Role.CERTIFICATION_COORDINATOR,),
        (Role.CIRCLE_COORDINATOR,),
        (Role.REGIONAL_CHAIR,),
        (),
    ],
)
def test_every_logged_in_person_has_the_page_and_the_menu_link(client, roles):
    person = user_with(*roles)
    client.force_login(person)
    response = client.get(MINE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mijn gegevens" in page
    assert f'href="{MINE}"' in page  # the user menu
    assert person.email in page


def test_anonymous_visitors_go_to_the_login_page(client):
    for url in (MINE, reverse("privacy:export_request"), reverse("privacy:removal_request")):
        response = client.get(url) if url == MINE else client.post(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_download_round_trip_through_the_pages(client, django_capture_on_commit_callbacks):
    person = user_with(Role.PROFESSIONAL, full_name="Door de pagina")
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export_request"))
    assert response.status_code == 302
    export = DataExport.objects.get(user=person)
    status = client.get(reverse("privacy:export_status", args=[export.key])).json()
    assert status["state"] == "done"
    assert status["url"] == reverse("privacy:export_download", args=[export.key])
    page = client.get(MINE).content.decode()
    assert status["url"] in page
    response = client.get(status["url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"PK")
    export.refresh_from_db()
    assert "Door de pagina" in open_zip(export).read("account.json").decode()


def test_a_pending_download_shows_its_state_for_the_page_to_poll(
    client, django_capture_on_commit_callbacks
):
    person = user_with(Role.PROFESSIONAL)
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("privacy:export_request"))
    export = DataExport.objects.get(user=person)
    page = client.get(MINE).content.decode()
    assert f'data-render-job="{reverse("privacy:export_status", args=[export.key])}"' in page
    assert client.get(reverse("privacy:export_status", args=[export.key])).json()["url"] == ""
    assert client.get(reverse("privacy:export_download", args=[export.key])).status_code == 404


def test_someone_elses_download_and_request_are_404(client):
    owner = user_with(Role.PROFESSIONAL)
    export = DataExport.objects.create(user=owner, state="done", size=1, finished_at=timezone.now())
    removal = AccountRemovalRequest.objects.create(user=owner)
    client.force_login(user_with(Role.PROFESSIONAL))
    assert client.get(reverse("privacy:export_status", args=[export.key])).status_code == 404
    assert client.get(reverse("privacy:export_download", args=[export.key])).status_code == 404
    response = client.post(reverse("privacy:removal_withdraw", args=[removal.pk]))
    assert response.status_code == 404
    removal.refresh_from_db()
    assert removal.is_open
    client.force_login(user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True))
    assert client.get(reverse("privacy:export_download", args=[export.key])).status_code == 404


def test_a_wrong_password_is_said_next_to_the_field_and_the_reason_stays(client):
    person = user_with(Role.PROFESSIONAL)
    client.force_login(person)
    response = client.post(
        reverse("privacy:removal_request"),
        {"reason": "Ik ga met pensioen.", "password": "fout"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit wachtwoord klopt niet." in page
    assert "Ik ga met pensioen." in page
    assert not AccountRemovalRequest.objects.exists()


def test_asking_and_withdrawing_through_the_page(client, django_capture_on_commit_callbacks):
    person = user_with(Role.PROFESSIONAL)
    client.force_login(person)
    page = client.get(MINE).content.decode()
    assert 'action="/accounts/mijn-gegevens/verwijderen/"' in page
    assert "data-confirm=" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:removal_request"), {"reason": "", "password": PASSWORD}
        )
    assert response.status_code == 302
    removal = AccountRemovalRequest.objects.get(user=person)
    assert len(mail.outbox) == 1
    page = client.get(MINE).content.decode()
    withdraw = reverse("privacy:removal_withdraw", args=[removal.pk])
    assert withdraw in page
    assert 'name="password"' not in page  # one open request at a time
    # A second request (another tab) is refused with a message, not an error page.
    response = client.post(
        reverse("privacy:removal_request"), {"reason": "", "password": PASSWORD}, follow=True
    )
    assert "al om verwijdering" in response.content.decode()
    assert AccountRemovalRequest.objects.filter(user=person).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(withdraw)
    removal.refresh_from_db()
    assert removal.state == RemovalState.WITHDRAWN
    page = client.get(MINE).content.decode()
    assert 'name="password"' in page
    assert "ingetrokken" in page
    # Withdrawing twice (double click) lands on the page with a message.
    response = client.post(withdraw, follow=True)
    assert response.status_code == 200


def test_the_page_takes_the_same_queries_for_one_or_several_earlier_requests(client):
    person = user_with(Role.PROFESSIONAL)
    client.force_login(person)
    AccountRemovalRequest.objects.create(user=person, state=RemovalState.WITHDRAWN)
    client.get(MINE)
    with CaptureQueriesContext(connection) as one:
        client.get(MINE)
    for _ in range(3):
        AccountRemovalRequest.objects.create(user=person, state=RemovalState.DECLINED, note="x")
    with CaptureQueriesContext(connection) as several:
        client.get(MINE)
    assert len(several.captured_queries) == len(one.captured_queries)


def test_a_download_that_lost_its_worker_can_be_asked_again(
    client, django_capture_on_commit_callbacks
):
    person = user_with(Role.PROFESSIONAL)
    client.force_login(person)
    stuck = DataExport.objects.create(user=person, state="running")
    assert "Maak een" not in client.get(MINE).content.decode()
    DataExport.objects.filter(pk=stuck.pk).update(
        requested_at=timezone.now() - timezone.timedelta(hours=2)
    )
    page = client.get(MINE).content.decode()
    assert "duurt te lang" in page and "Maak een nieuwe download" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:export_request"))
    (export,) = DataExport.objects.filter(user=person)
    assert export != stuck and export.state == "done"


def test_a_removed_person_is_logged_out_everywhere(client, django_capture_on_commit_callbacks):
    from noloc_portal.privacy import services

    person = user_with(Role.PROFESSIONAL)
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        removal = services.request_removal(user=person)
        services.carry_out_removal(
            request=removal, by=user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True)
        )
    response = client.get(MINE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
