"""AS-5: a registration's certificate, rendered through the render jobs and read back with
pdftotext: one A4 page with the name, the register, the period and the absolute address of the
entry in the public register. The owner, the certification coordinator and the secretariat make
and download it; everyone else gets a 404. The professional's start page lists their current and
past registrations, each with its certificate, at the same query cost for one or many."""

import re
import subprocess
from datetime import date, timedelta

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.admin import RegistrationAdmin
from assessments.models import Registration
from assessments.register_selectors import CERTIFICATE
from assessments.register_services import CertificateError, queue_certificate
from assessments.services import record_decision
from noloc_portal.pdf.models import RenderJob, RenderState
from noloc_portal.pdf.services import latest_reports
from tests.assessments.coordination import advised_on, advised_portfolio
from tests.factories import Role, user_with
from tests.pdf_files import pdf_pages

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "owner",
    "other_professional",
    "assessor",
    "certification_coordinator",
    "circle_coordinator",
    "secretariat_role",
    "staff",
]
MAY_READ = {"owner", "certification_coordinator", "secretariat_role", "staff"}


@pytest.fixture
def registration(db):
    owner = user_with(Role.PROFESSIONAL, full_name="Petra van 't Hoff", email="petra@example.org")
    return Registration.objects.create(
        owner=owner,
        register="jobcoach",
        valid_from=date(2026, 3, 1),
        valid_until=date(2030, 2, 28),
    )


def persona(name: str, registration):
    return {
        "anonymous": None,
        "owner": registration.owner,
        "other_professional": user_with(Role.PROFESSIONAL),
        "assessor": user_with(Role.ASSESSOR),
        "certification_coordinator": user_with(Role.CERTIFICATION_COORDINATOR),
        "circle_coordinator": user_with(Role.CIRCLE_COORDINATOR),
        "secretariat_role": user_with(Role.SECRETARIAT),
        "staff": user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True),
    }[name]


def rendered(registration, capture, by) -> tuple[list[str], RenderJob]:
    with capture(execute=True):
        job = queue_certificate(registration=registration, by=by)
    job.refresh_from_db()
    assert job.state == RenderState.DONE, job.error
    return pdf_pages(job.file.read()), job


def test_the_certificate_is_one_a4_page_with_name_register_period_and_verification_address(
    registration, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://certificering.noloc.example/"
    pages, job = rendered(registration, django_capture_on_commit_callbacks, registration.owner)

    assert len(pages) == 1 and job.page_count == 1
    text = " ".join(pages[0].split())
    assert "Certificaat" in text
    assert "Petra van 't Hoff" in text
    assert "Register Jobcoach" in text
    assert "geldig van 1 maart 2026 tot en met 28 februari 2030" in text
    # The address may wrap in the PDF; read without the spaces pdftotext puts at a line break.
    address = f"https://certificering.noloc.example/register/{registration.public_id}/"
    assert address in "".join(pages[0].split())
    assert job.title == "Certificaat Register Jobcoach – Petra van 't Hoff"
    info = subprocess.run(
        ["pdfinfo", "-"], input=job.file.open("rb").read(), capture_output=True, check=True
    ).stdout.decode()
    assert "(A4)" in info and "595" in info.split("Page size:")[1].split("x")[0]


def test_a_long_name_stays_on_one_page(registration, django_capture_on_commit_callbacks):
    registration.owner.full_name = "Maria Theodora Wilhelmina van den Bergh-Oudeschoten " * 3
    registration.owner.save()
    pages, _ = rendered(registration, django_capture_on_commit_callbacks, None)
    assert len(pages) == 1


def test_the_address_printed_on_the_certificate_opens_the_entry(
    client, registration, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://certificering.noloc.example"
    today = timezone.localdate()
    registration.valid_from, registration.valid_until = today, today + timedelta(days=1460)
    registration.save()
    pages, _ = rendered(registration, django_capture_on_commit_callbacks, registration.owner)

    printed = re.search(
        r"https://certificering\.noloc\.example(/register/[0-9a-f-]+/)", "".join(pages[0].split())
    )
    response = client.get(printed.group(1))

    assert response.status_code == 200
    assert "Petra van &#x27;t Hoff" in response.content.decode()


@pytest.mark.parametrize("name", PERSONAS)
def test_who_may_open_a_registration_and_make_its_certificate(
    client, registration, name, django_capture_on_commit_callbacks
):
    person = persona(name, registration)
    if person is not None:
        client.force_login(person)
    url = reverse("register:certificate", args=[registration.pk])

    page = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(url)

    if name == "anonymous":
        assert page.status_code == 302 and page.url.startswith(reverse("accounts:login"))
        assert made.status_code == 302 and made.url.startswith(reverse("accounts:login"))
        assert not latest_reports(registration, CERTIFICATE).exists()
    elif name in MAY_READ:
        assert page.status_code == 200
        assert made.status_code == 302
        job = latest_reports(registration, CERTIFICATE).get()
        assert job.state == RenderState.DONE
        assert client.get(reverse("pdf:download", args=[job.pk])).status_code == 200
    else:
        assert page.status_code == 404 and made.status_code == 404
        assert not latest_reports(registration, CERTIFICATE).exists()


@pytest.mark.parametrize("name", ["other_professional", "assessor", "circle_coordinator"])
def test_an_outsider_cannot_download_a_certificate_made_for_the_owner(
    client, registration, name, django_capture_on_commit_callbacks
):
    _, job = rendered(registration, django_capture_on_commit_callbacks, registration.owner)
    client.force_login(persona(name, registration))
    assert client.get(reverse("pdf:download", args=[job.pk])).status_code == 404
    assert client.get(reverse("pdf:status", args=[job.pk])).status_code == 404


def test_the_service_refuses_an_outsider(registration):
    with pytest.raises(CertificateError):
        queue_certificate(registration=registration, by=user_with(Role.PROFESSIONAL))


def test_a_double_click_makes_one_version_and_a_new_one_follows_a_change_of_name(
    client, registration, django_capture_on_commit_callbacks
):
    client.force_login(registration.owner)
    url = reverse("register:certificate", args=[registration.pk])
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url)
        client.post(url)
    assert latest_reports(registration, CERTIFICATE).count() == 1

    latest_reports(registration, CERTIFICATE).update(state=RenderState.DONE)
    registration.owner.full_name = "Petra Hoff"
    registration.owner.save()
    pages, job = rendered(registration, django_capture_on_commit_callbacks, registration.owner)
    assert job.version == 2
    assert "Petra Hoff" in pages[0]


def test_the_admin_action_makes_the_certificates_of_the_selected_registrations(
    registration, django_capture_on_commit_callbacks
):
    other = Registration.objects.create(
        owner=user_with(Role.PROFESSIONAL, full_name="Lotte Loopbaan"),
        register="loopbaanprofessional",
        valid_from=date(2025, 1, 1),
        valid_until=date(2028, 12, 31),
    )
    staff = user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True)
    request = RequestFactory().post("/")
    request.user = staff
    request._messages = _Messages()
    admin = RegistrationAdmin(Registration, site)

    with django_capture_on_commit_callbacks(execute=True):
        admin.make_certificate(
            request, Registration.objects.filter(pk__in=[registration.pk, other.pk])
        )

    for each in (registration, other):
        job = latest_reports(each, CERTIFICATE).get()
        assert job.state == RenderState.DONE and job.requested_by == staff
    assert "2 certifica(a)t(en) in de wachtrij." in request._messages.texts
    text = pdf_pages(latest_reports(other, CERTIFICATE).get().file.read())[0]
    assert "Register Loopbaanprofessional" in text and "Lotte Loopbaan" in text


class _Messages:
    def __init__(self):
        self.texts = []

    def add(self, level, message, extra_tags=""):
        self.texts.append(str(message))


# --- the professional's start page -------------------------------------------------------------


def test_the_start_page_lists_current_coming_and_past_registrations(
    client, registration, django_capture_on_commit_callbacks
):
    owner = registration.owner
    today = timezone.localdate()
    past = Registration.objects.create(
        owner=owner,
        register="jobcoach",
        valid_from=date(2018, 1, 1),
        valid_until=date(2021, 12, 31),
    )
    current = Registration.objects.create(
        owner=owner,
        register="loopbaanprofessional",
        valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=700),
    )
    rendered(current, django_capture_on_commit_callbacks, owner)
    client.force_login(owner)

    body = client.get(reverse("portfolios:list")).content.decode()

    assert "Mijn registraties" in body
    assert body.index("Register Loopbaanprofessional") < body.index("31 december 2021")
    assert "31 december 2021" in body and "Verlopen" in body and "Geldig" in body
    for each in (past, current, registration):
        assert reverse("register:certificate", args=[each.pk]) in body
    job = latest_reports(current, CERTIFICATE).get()
    assert reverse("pdf:download", args=[job.pk]) in body
    assert body.count("Certificaat maken") == 2  # the two without one yet
    assert reverse("register:listing") in body


def test_the_start_page_without_registrations_shows_no_section(client, professional):
    client.force_login(professional)
    assert "Mijn registraties" not in client.get(reverse("portfolios:list")).content.decode()


def test_the_start_page_costs_the_same_queries_for_one_registration_and_many(
    client, registration, django_capture_on_commit_callbacks, django_assert_num_queries
):
    owner = registration.owner
    rendered(registration, django_capture_on_commit_callbacks, owner)
    client.force_login(owner)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("portfolios:list")).status_code == 200
    for year in range(2000, 2020, 4):
        made = Registration.objects.create(
            owner=owner,
            register="jobcoach",
            valid_from=date(year, 1, 1),
            valid_until=date(year + 3, 12, 31),
        )
        rendered(made, django_capture_on_commit_callbacks, owner)
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(reverse("portfolios:list")).content.decode()
    assert body.count("Versie 1 (1 pagina") == 6


def test_the_coordinator_reaches_the_certificate_from_the_decided_portfolio(
    client, certification_coordinator, django_capture_on_commit_callbacks
):
    portfolio = advised_portfolio()
    advised_on(portfolio, timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        decision = record_decision(
            portfolio=portfolio,
            by=certification_coordinator,
            outcome="positive",
            decided_on=timezone.localdate(),
        )
    client.force_login(certification_coordinator)

    page = client.get(reverse("assessments:certification_portfolio", args=[portfolio.pk]))

    url = reverse("register:certificate", args=[decision.registration.pk])
    assert url in page.content.decode()
    assert client.get(url).status_code == 200


def test_the_start_page_shows_the_newest_certificate_of_each_own_registration(registration):
    from django.contrib.contenttypes.models import ContentType

    from assessments.register_selectors import latest_certificates, own_registrations

    other = Registration.objects.create(
        owner=user_with(Role.PROFESSIONAL),
        register="jobcoach",
        valid_from=date(2026, 3, 1),
        valid_until=date(2030, 2, 28),
    )
    second = Registration.objects.create(
        owner=registration.owner,
        register="loopbaanprofessional",
        valid_from=date(2025, 1, 1),
        valid_until=date(2028, 12, 31),
    )
    content_type = ContentType.objects.get_for_model(Registration)
    for made, versions in ((registration, 3), (other, 5), (second, 1)):
        for version in range(1, versions + 1):
            RenderJob.objects.create(
                kind=CERTIFICATE,
                content_type=content_type,
                object_id=made.pk,
                version=version,
                title="Certificaat",
            )
    rows = own_registrations(registration.owner, as_of=date(2026, 6, 1))
    expected = latest_certificates([registration, second])
    assert {row.registration.pk: row.certificate for row in rows} == expected
    assert [expected[registration.pk].version, expected[second.pk].version] == [3, 1]
