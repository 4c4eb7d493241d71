"""The security log: logins, failed logins, downloads and state changes, with who, when and
from where; read-only in the admin."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from kwaliteitskringen import clock
from kwaliteitskringen import services as kk_services
from noloc_portal.audit.models import SecurityEvent
from noloc_portal.pdf.models import RenderJob, RenderState
from portfolios.models import Portfolio
from portfolios.services import submit_portfolio
from tests.factories import PASSWORD, Role, user_with
from tests.kwaliteitskringen.factories import CircleFactory, MeetingFactory, MembershipFactory
from tests.pdf_files import MINIMAL_PDF
from tests.portfolios.factories import DocumentFactory, complete_portfolio

pytestmark = pytest.mark.django_db


def test_a_login_is_logged_with_who_and_the_address(client):
    user = user_with(Role.PROFESSIONAL, email="petra@example.org")
    client.post(
        reverse("accounts:login"),
        {"username": "petra@example.org", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    event = SecurityEvent.objects.get(action="login")
    assert event.actor == user
    assert event.actor_label == "petra@example.org"
    assert event.ip == "198.51.100.7"
    assert event.at is not None


def test_a_failed_login_is_logged_with_the_name_tried_and_no_password(client):
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    client.post(
        reverse("accounts:login"),
        {"username": "petra@example.org", "password": "geheim-fout"},
        REMOTE_ADDR="203.0.113.9",
    )
    event = SecurityEvent.objects.get(action="login_failed")
    assert event.actor is None
    assert event.actor_label == "petra@example.org"
    assert event.ip == "203.0.113.9"
    assert "geheim-fout" not in str(event.detail)
    assert not SecurityEvent.objects.filter(action="login").exists()


def test_a_logout_is_logged(client):
    user = user_with(Role.PROFESSIONAL)
    client.force_login(user)
    client.post(reverse("accounts:logout"))
    assert SecurityEvent.objects.get(action="logout").actor == user


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(client):
    user = user_with(Role.PROFESSIONAL, email="petra@example.org")
    form = {"username": "petra@example.org", "password": PASSWORD}
    client.post(
        reverse("accounts:login"), form, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert SecurityEvent.objects.get(action="login").ip == "198.51.100.7"
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
        client.force_login(user)  # a second login, now behind the proxy
        client.logout()
        client.post(
            reverse("accounts:login"),
            form,
            REMOTE_ADDR="10.0.0.2",
            # The client wrote the first entry itself; the proxy appended the real peer.
            HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.44",
        )
    assert SecurityEvent.objects.filter(action="login").first().ip == "192.0.2.44"


def test_an_evidence_download_is_logged(client):
    document = DocumentFactory(original_name="diploma.pdf")
    client.force_login(document.owner)
    response = client.get(
        reverse("documents:download", args=[document.uuid]), REMOTE_ADDR="198.51.100.8"
    )
    assert response.status_code == 200
    event = SecurityEvent.objects.get(action="document.downloaded")
    assert event.actor == document.owner
    assert event.target_type == ContentType.objects.get_for_model(document)
    assert event.target_id == str(document.pk)
    assert event.target_label == "diploma.pdf"
    assert event.ip == "198.51.100.8"


def test_a_refused_download_is_not_logged_as_a_download(client):
    document = DocumentFactory()
    client.force_login(user_with(Role.PROFESSIONAL))
    assert client.get(reverse("documents:download", args=[document.uuid])).status_code == 404
    assert not SecurityEvent.objects.filter(action="document.downloaded").exists()


def test_a_pdf_download_is_logged(client, staff):
    portfolio = complete_portfolio()
    job = RenderJob.objects.create(
        kind="dossier",
        target=portfolio,
        version=1,
        title="Dossier",
        state=RenderState.DONE,
        file=ContentFile(MINIMAL_PDF, name="dossier.pdf"),
    )
    client.force_login(staff)
    response = client.get(reverse("pdf:download", args=[job.pk]), REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 200
    event = SecurityEvent.objects.get(action="pdf.downloaded")
    assert (event.actor, event.target_id, event.ip) == (staff, str(job.pk), "198.51.100.9")


def test_a_portfolio_submit_through_the_page_is_logged_with_the_address(client):
    portfolio = complete_portfolio()
    client.force_login(portfolio.owner)
    response = client.post(
        reverse("portfolios:submit", args=[portfolio.pk]), REMOTE_ADDR="198.51.100.10"
    )
    assert response.status_code == 302
    assert Portfolio.objects.get(pk=portfolio.pk).state == "submitted"
    event = SecurityEvent.objects.get(action="portfolio.submitted")
    assert event.actor == portfolio.owner
    assert event.target_id == str(portfolio.pk)
    assert event.ip == "198.51.100.10"


def test_a_state_change_outside_a_request_is_logged_without_an_address():
    portfolio = complete_portfolio()
    submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    event = SecurityEvent.objects.get(action="portfolio.submitted")
    assert event.actor == portfolio.owner
    assert event.ip is None


def test_a_circle_transition_is_logged():
    coordinator = user_with(Role.CIRCLE_COORDINATOR)
    circle = CircleFactory(coordinator=coordinator)
    member = user_with(Role.PROFESSIONAL)
    kk_services.add_member(circle=circle, member=member, year=2026, by=coordinator)
    event = SecurityEvent.objects.get(action__startswith="kring.")
    assert event.actor == coordinator
    assert event.target_label == str(circle)


def test_staff_see_the_log_in_the_admin_but_cannot_add_change_or_delete(client, staff):
    user_with(Role.PROFESSIONAL, email="petra@example.org")
    client.post(reverse("accounts:login"), {"username": "petra@example.org", "password": "x"})
    event = SecurityEvent.objects.get()
    client.force_login(staff)
    listing = client.get(reverse("admin:audit_securityevent_changelist"))
    assert listing.status_code == 200
    assert "petra@example.org" in listing.content.decode()
    detail = client.get(reverse("admin:audit_securityevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:audit_securityevent_add")).status_code == 403
    client.post(reverse("admin:audit_securityevent_change", args=[event.pk]), {"action": "x"})
    client.post(reverse("admin:audit_securityevent_delete", args=[event.pk]), {"post": "yes"})
    event.refresh_from_db()
    assert event.action == "login_failed"


def test_registering_for_a_circle_meeting_and_editing_a_report_are_logged():
    # The circles' clock is the Dutch day (an hour ahead of UTC around New Year's Eve).
    today = clock.today()
    membership = MembershipFactory(year=today.year)
    circle, member = membership.circle, membership.member
    meeting = MeetingFactory(circle=circle, date=today + timedelta(days=366))
    kk_services.register_for_meeting(meeting=meeting, participant=member)
    kk_services.unregister_from_meeting(meeting=meeting, participant=member)
    report = kk_services.prepare_annual_report(
        circle=circle, year=today.year - 1, by=circle.coordinator
    )
    kk_services.update_annual_report(
        report=report, objective="Doel", narrative="Tekst", by=circle.coordinator
    )
    actions = set(SecurityEvent.objects.values_list("action", flat=True))
    assert {"kring.registered", "kring.unregistered", "kring.report_updated"} <= actions
