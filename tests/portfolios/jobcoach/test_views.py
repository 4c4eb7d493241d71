"""The Jobcoach portfolio in the browser's terms: pages per persona, forms, submit, the
facilitator's confirmation link, and query counts of the lists."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import PEStatement
from portfolios.jobcoach.models import (
    ConfirmationState,
    FacilitatorConfirmation,
    PEActivity,
    ReflectionMeeting,
)
from portfolios.models import PortfolioState
from portfolios.services import evaluate_portfolio
from tests.factories import Role, user_with
from tests.pdf_files import MINIMAL_PDF
from tests.portfolios.factories import (
    LoopbaanPortfolioFactory,
    PEActivityFactory,
    PortfolioFactory,
    ReflectionMeetingFactory,
    complete_portfolio,
)

pytestmark = pytest.mark.django_db

SECTION_URLS = ["detail", "a1", "a2", "meetings", "report", "plan", "pe", "declaration"]


def pdf(name="bewijs.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


@pytest.fixture
def portfolio(professional):
    return PortfolioFactory(owner=professional)


@pytest.mark.parametrize("url_name", SECTION_URLS)
def test_owner_sees_every_section(client, portfolio, url_name):
    client.force_login(portfolio.owner)
    response = client.get(reverse(f"portfolios:{url_name}", args=[portfolio.pk]))
    assert response.status_code == 200
    assert "JC-" in response.content.decode()


@pytest.mark.parametrize("url_name", SECTION_URLS)
@pytest.mark.parametrize("persona", ["other_professional", "assessor", "circle_coordinator"])
def test_outsiders_get_404(client, portfolio, url_name, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(f"portfolios:{url_name}", args=[portfolio.pk])).status_code == 404


@pytest.mark.parametrize("url_name", SECTION_URLS)
def test_anonymous_is_sent_to_login(client, portfolio, url_name):
    response = client.get(reverse(f"portfolios:{url_name}", args=[portfolio.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_certification_coordinator_sees_submitted_not_draft(client, certification_coordinator):
    draft = PortfolioFactory()
    submitted = PortfolioFactory(state=PortfolioState.SUBMITTED)
    client.force_login(certification_coordinator)
    assert client.get(reverse("portfolios:detail", args=[draft.pk])).status_code == 404
    response = client.get(reverse("portfolios:detail", args=[submitted.pk]))
    assert response.status_code == 200
    assert "Portfolio indienen" not in response.content.decode()


def test_staff_reads_any_portfolio(client, staff, portfolio):
    client.force_login(staff)
    assert client.get(reverse("portfolios:pe", args=[portfolio.pk])).status_code == 200


def test_outsider_cannot_post_to_a_section(client, portfolio, other_professional):
    client.force_login(other_professional)
    response = client.post(
        reverse("portfolios:plan", args=[portfolio.pk]), {"plan_present": "overgenomen"}
    )
    assert response.status_code == 404
    portfolio.jobcoach.refresh_from_db()
    assert portfolio.jobcoach.plan_present == ""


def test_list_queries_do_not_grow_with_portfolios(client, professional, django_assert_num_queries):
    client.force_login(professional)
    PortfolioFactory(owner=professional)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("portfolios:list")).status_code == 200
    for _ in range(5):
        PortfolioFactory(owner=professional)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("portfolios:list"))
    assert response.content.decode().count("Register Jobcoach") >= 6


def test_list_counts_meetings_and_activities_of_each_portfolio(client, professional):
    busy = PortfolioFactory(owner=professional)
    ReflectionMeetingFactory.create_batch(2, portfolio=busy)
    PEActivityFactory(portfolio=busy)
    PortfolioFactory(owner=professional)
    client.force_login(professional)

    body = client.get(reverse("portfolios:list")).content.decode()

    assert "2 bijeenkomsten · 1 PE-activiteit" in body
    assert "0 bijeenkomsten · 0 PE-activiteiten" in body


def test_the_list_and_the_section_heading_show_the_recertification_date(client, professional):
    jobcoach = PortfolioFactory(owner=professional)
    LoopbaanPortfolioFactory(owner=professional)
    client.force_login(professional)
    listed = client.get(reverse("portfolios:list")).content.decode()
    assert listed.count("hercertificering 31 maart 2027") == 1
    assert "Register Loopbaanprofessional" in listed
    page = client.get(reverse("portfolios:a2", args=[jobcoach.pk])).content.decode()
    assert "hercertificeringsdatum 31 maart 2027" in page


def test_pe_register_queries_same_for_1_and_100_activities(
    client, portfolio, django_assert_num_queries
):
    """When the rows are judged, when the verdict on them is remembered (then a page reads only
    its own rows) and when the rows a page writes are remembered as well (then it reads none)."""
    # Read once per process, by whichever test asks first: not part of what is counted here.
    ContentType.objects.get_for_model(PEStatement)
    client.force_login(portfolio.owner)
    PEActivityFactory(portfolio=portfolio)
    url = reverse("portfolios:pe", args=[portfolio.pk])
    with CaptureQueriesContext(connection) as judged:
        client.get(url)
    with CaptureQueriesContext(connection) as remembered:
        client.get(url, {"sorteer": "titel"})
    with CaptureQueriesContext(connection) as written:
        client.get(url, {"sorteer": "titel"})
    assert len(written) < len(remembered) <= len(judged) <= 15
    PEActivityFactory.create_batch(99, portfolio=portfolio)
    with django_assert_num_queries(len(judged.captured_queries)):
        response = client.get(url)
    first = response.content.decode()
    assert first.count("Cursus ") == 50 and "pagina 1 van 2" in first
    with django_assert_num_queries(len(remembered.captured_queries)):
        second = client.get(url, {"pagina": 2}).content.decode()
    assert second.count("Cursus ") == 50 and "pagina 2 van 2" in second
    with django_assert_num_queries(len(written.captured_queries)):
        again = client.get(url, {"pagina": 2}).content.decode()
    assert again.count("Cursus ") == 50 and "pagina 2 van 2" in again


def test_pe_register_pages_keep_the_sort_and_count_every_activity(client, portfolio):
    client.force_login(portfolio.owner)
    PEActivityFactory.create_batch(60, portfolio=portfolio)
    url = reverse("portfolios:pe", args=[portfolio.pk])
    body = client.get(url, {"sorteer": "titel", "pagina": "x"}).content.decode()
    assert "pagina 1 van 2" in body and "sorteer=titel&amp;pagina=2" in body
    # The totals per category are over all activities, not over the page shown.
    evaluation = client.get(url).context["pe"]
    assert len(evaluation["activities"]) == 60
    last = client.get(url, {"pagina": 99}).content.decode()
    assert "pagina 2 van 2" in last


def test_meetings_page_queries_do_not_grow(client, portfolio, django_assert_num_queries):
    client.force_login(portfolio.owner)
    ReflectionMeetingFactory(portfolio=portfolio)
    url = reverse("portfolios:meetings", args=[portfolio.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    ReflectionMeetingFactory.create_batch(9, portfolio=portfolio)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_start_a_portfolio(client, professional):
    client.force_login(professional)
    response = client.post(reverse("portfolios:new"), {"recertification_date": "2027-03-31"})
    portfolio = professional.portfolios.get()
    assert response.url == reverse("portfolios:detail", args=[portfolio.pk])
    assert portfolio.framework_version == "2024.1"
    assert portfolio.state == PortfolioState.DRAFT
    assert portfolio.jobcoach.recertification_date == date(2027, 3, 31)


def test_start_with_an_impossible_date_keeps_the_page(client, professional):
    client.force_login(professional)
    response = client.post(reverse("portfolios:new"), {"recertification_date": "2027-02-30"})
    assert response.status_code == 200
    assert "geldige datum" in response.content.decode()
    assert not professional.portfolios.exists()


def test_a1_upload_is_stored_and_downloadable_by_owner_only(client, portfolio, other_professional):
    client.force_login(portfolio.owner)
    response = client.post(
        reverse("portfolios:a1", args=[portfolio.pk]),
        {"cv_upload": pdf("mijn-cv.pdf"), "statement_upload": pdf(), "a1_statement_signed": "on"},
    )
    assert response.status_code == 302
    portfolio.refresh_from_db()
    assert portfolio.jobcoach.a1_statement_signed
    assert portfolio.jobcoach.a1_statement.original_name == "bewijs.pdf"
    assert portfolio.cv.original_name == "mijn-cv.pdf"
    assert "mijn-cv" not in portfolio.cv.file.name  # stored under a random key
    assert evaluate_portfolio(portfolio).rule("JC-A1").status == "met"
    url = reverse("documents:download", args=[portfolio.cv.uuid])
    assert client.get(url).status_code == 200
    client.force_login(other_professional)
    assert client.get(url).status_code == 404


def test_a1_rejects_a_renamed_file_with_a_dutch_message(client, portfolio):
    client.force_login(portfolio.owner)
    fake = SimpleUploadedFile("cv.pdf", b"dit is geen pdf", content_type="application/pdf")
    response = client.post(
        reverse("portfolios:a1", args=[portfolio.pk]),
        {"cv_upload": fake, "a1_statement_signed": "on"},
    )
    assert response.status_code == 200
    assert "past niet bij de extensie" in response.content.decode()
    portfolio.refresh_from_db()
    assert portfolio.cv is None


def test_meeting_needs_a_registration_for_supervision_and_keeps_input(client, portfolio):
    client.force_login(portfolio.owner)
    response = client.post(
        reverse("portfolios:meetings", args=[portfolio.pk]),
        {"new-kind": "supervision", "new-date": "2025-03-03", "new-facilitator": "Jan Kok"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "beroepsvereniging" in body
    assert 'value="Jan Kok"' in body
    assert not portfolio.reflection_meetings.exists()


def test_add_meeting(client, portfolio):
    client.force_login(portfolio.owner)
    response = client.post(
        reverse("portfolios:meetings", args=[portfolio.pk]),
        {
            "new-kind": "coaching",
            "new-date": "2025-03-03",
            "new-facilitator": "Jan Kok",
            "new-facilitator_registration": "NOBCO",
            "new-own_situation": "on",
            "new-statement_signed": "on",
            "new-statement_upload": pdf(),
        },
    )
    assert response.status_code == 302
    meeting = portfolio.reflection_meetings.get()
    assert meeting.statement is not None
    assert evaluate_portfolio(portfolio).rule("JC-A3.1-STATEMENTS").status == "met"


def test_pe_form_shows_only_the_fields_of_the_type(client, portfolio):
    client.force_login(portfolio.owner)
    body = client.get(
        reverse("portfolios:pe_add", args=[portfolio.pk, "congress"])
    ).content.decode()
    assert 'name="half_days"' in body and 'name="days"' in body
    assert 'name="sbu"' not in body and 'name="start"' not in body
    body = client.get(reverse("portfolios:pe_add", args=[portfolio.pk, "book"])).content.decode()
    assert 'name="evidence_upload"' not in body  # literature needs a title only


def test_pe_add_requires_the_fields_of_the_type(client, portfolio):
    client.force_login(portfolio.owner)
    response = client.post(
        reverse("portfolios:pe_add", args=[portfolio.pk, "course"]),
        {"title": "Cursus zonder uren", "date": "2025-01-01"},
    )
    assert response.status_code == 200
    assert "Cursus zonder uren" in response.content.decode()
    assert not PEActivity.objects.exists()


def test_a_chosen_file_is_not_lost_without_a_word_after_an_error(client, portfolio):
    """The browser forgets the chosen file when the form comes back with an error: the field
    says so, so the professional chooses it again (issue: lost input)."""
    client.force_login(portfolio.owner)
    response = client.post(
        reverse("portfolios:pe_add", args=[portfolio.pk, "course"]),
        {"title": "Leergang", "date": "2025-01-01", "evidence_upload": pdf()},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dit bestand is nog niet bewaard" in html
    assert "Leergang" in html
    assert not PEActivity.objects.exists()


def test_pe_add_course_counts_its_sbu(client, portfolio):
    client.force_login(portfolio.owner)
    response = client.post(
        reverse("portfolios:pe_add", args=[portfolio.pk, "course"]),
        {"title": "Leergang", "date": "2025-01-01", "sbu": "24", "evidence_upload": pdf()},
    )
    assert response.status_code == 302
    pe = evaluate_portfolio(portfolio).to_json()["pe"]
    assert pe["categories"]["1"]["earned"] == 24


def test_unknown_activity_type_is_404(client, portfolio):
    client.force_login(portfolio.owner)
    assert client.get(reverse("portfolios:pe_add", args=[portfolio.pk, "dance"])).status_code == 404


@pytest.mark.parametrize(
    ("type_code", "data", "points", "in_window"),
    [
        ("article", {"title": "Kort stuk", "date": "2025-01-01", "words": "1200"}, 0, True),
        ("article", {"title": "Lang stuk", "date": "2025-01-01", "words": "1500"}, 10, True),
        ("noloc_board", {"title": "Bestuur", "start": "2024-01-01", "end": "2025-07-01"}, 20, True),
        ("lecture", {"title": "Oude les", "date": "2020-01-01"}, 0, False),
    ],
)
def test_points_are_computed_as_you_type(client, portfolio, type_code, data, points, in_window):
    client.force_login(portfolio.owner)
    response = client.post(reverse("portfolios:pe_points", args=[portfolio.pk, type_code]), data)
    result = response.json()
    assert result["complete"] is True
    assert (result["points"], result["in_window"]) == (points, in_window)
    assert result["explanation"]


def test_points_preview_says_incomplete_without_required_fields(client, portfolio):
    client.force_login(portfolio.owner)
    response = client.post(reverse("portfolios:pe_points", args=[portfolio.pk, "course"]), {})
    assert response.json() == {"complete": False}


def test_pe_register_marks_outside_window_and_double_count(client, portfolio):
    client.force_login(portfolio.owner)
    ReflectionMeetingFactory(portfolio=portfolio, date=date(2025, 5, 12), facilitator="A. de Vries")
    PEActivityFactory(
        portfolio=portfolio,
        type="intercollegial_meeting",
        sbu=None,
        date=date(2025, 5, 12),
        facilitator=" a. de vries ",
    )
    PEActivityFactory(portfolio=portfolio, date=date(2019, 1, 1), title="Oude cursus")
    body = client.get(reverse("portfolios:pe", args=[portfolio.pk])).content.decode()
    assert "buiten de termijn" in body
    assert "telt maar één keer" in body


def test_pe_register_filters_by_category(client, portfolio):
    client.force_login(portfolio.owner)
    PEActivityFactory(portfolio=portfolio, title="Binnen het vak")
    PEActivityFactory(portfolio=portfolio, type="course_outside_field", title="Buiten het vak")
    body = client.get(
        reverse("portfolios:pe", args=[portfolio.pk]) + "?categorie=3"
    ).content.decode()
    assert "Buiten het vak" in body and "Binnen het vak" not in body


@pytest.mark.parametrize(
    "query",
    [
        "categorie=²",
        "categorie=٣",
        "categorie=99",
        "categorie=-1",
        "categorie=" + "9" * 5000,
        "sorteer=x&categorie=%00",
        "sorteer=<script>",
        "categorie=3&categorie=x",
    ],
)
def test_pe_register_shows_everything_for_a_filter_it_does_not_know(client, portfolio, query):
    client.force_login(portfolio.owner)
    PEActivityFactory(portfolio=portfolio, title="Binnen het vak")
    response = client.get(reverse("portfolios:pe", args=[portfolio.pk]) + "?" + query)
    assert response.status_code == 200
    assert "Binnen het vak" in response.content.decode()


def test_submit_incomplete_portfolio_is_refused(client, portfolio):
    client.force_login(portfolio.owner)
    response = client.post(reverse("portfolios:submit", args=[portfolio.pk]), follow=True)
    assert "voldoet nog niet" in response.content.decode()
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.DRAFT


def test_submit_twice_submits_once_and_freezes(client):
    portfolio = complete_portfolio()
    client.force_login(portfolio.owner)
    url = reverse("portfolios:submit", args=[portfolio.pk])
    client.post(url)
    client.post(url)
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.SUBMITTED
    assert portfolio.submissions.count() == 1
    assert portfolio.rounds.count() == 1
    submission = portfolio.submissions.get()
    assert submission.evaluation["submittable"] is True
    assert submission.document["format"] == "noloc-portfolio/1"
    response = client.post(reverse("portfolios:plan", args=[portfolio.pk]), {"plan_present": "x"})
    assert response.status_code == 302
    portfolio.refresh_from_db()
    assert portfolio.jobcoach.plan_present == "Heden"
    assert client.get(reverse("portfolios:pe_new", args=[portfolio.pk])).status_code == 302


def test_withdraw(client, portfolio):
    client.force_login(portfolio.owner)
    client.post(reverse("portfolios:withdraw", args=[portfolio.pk]))
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.WITHDRAWN


def test_facilitator_confirms_through_the_link(
    client, portfolio, django_capture_on_commit_callbacks
):
    meeting = ReflectionMeetingFactory(
        portfolio=portfolio, statement=None, statement_signed=False, own_situation=False
    )
    client.force_login(portfolio.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("portfolios:meeting_request_confirmation", args=[portfolio.pk, meeting.pk]),
            {"email": "begeleider@example.org"},
        )
    assert len(mail.outbox) == 1
    confirmation = FacilitatorConfirmation.objects.get()
    link = reverse("portfolios:confirm", args=[confirmation.token])
    assert link in mail.outbox[0].body
    client.logout()
    assert "A. de Vries" in client.get(link).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            link,
            {"meeting_date": "2025-05-12", "facilitator": "A. de Vries", "own_situation": "ja"},
        )
    assert "Dank je wel" in response.content.decode()
    # The professional is told, with what the facilitator corrected and a link to the meeting.
    told = mail.outbox[-1]
    assert told.to == [portfolio.owner.email]
    assert "met een correctie" in told.subject
    assert reverse("portfolios:meeting_edit", args=[portfolio.pk, meeting.pk]) in told.body
    confirmation.refresh_from_db()
    meeting.refresh_from_db()
    assert confirmation.state == ConfirmationState.CORRECTED  # own_situation corrected to yes
    assert meeting.own_situation is True
    assert evaluate_portfolio(portfolio).rule("JC-A3.1-STATEMENTS").status == "met"
    # Single use: a second post changes nothing.
    again = client.post(
        link, {"meeting_date": "2020-01-01", "facilitator": "X", "own_situation": "nee"}
    )
    assert "Dank je wel" in again.content.decode()
    meeting.refresh_from_db()
    assert meeting.facilitator == "A. de Vries"


def test_resend_voids_the_old_link_and_expired_links_close(client, portfolio):
    meeting = ReflectionMeetingFactory(portfolio=portfolio)
    client.force_login(portfolio.owner)
    url = reverse("portfolios:meeting_request_confirmation", args=[portfolio.pk, meeting.pk])
    client.post(url, {"email": "a@example.org"})
    client.post(url, {"email": "b@example.org"})
    old, new = FacilitatorConfirmation.objects.order_by("created_at")
    assert old.state == ConfirmationState.REVOKED and new.state == ConfirmationState.PENDING
    client.logout()
    assert (
        "werkt niet meer"
        in client.get(reverse("portfolios:confirm", args=[old.token])).content.decode()
    )
    FacilitatorConfirmation.objects.filter(pk=new.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    body = client.get(reverse("portfolios:confirm", args=[new.token])).content.decode()
    assert "verlopen" in body


def test_confirmation_request_with_a_bad_address_keeps_the_page(client, portfolio):
    meeting = ReflectionMeetingFactory(portfolio=portfolio)
    client.force_login(portfolio.owner)
    response = client.post(
        reverse("portfolios:meeting_request_confirmation", args=[portfolio.pk, meeting.pk]),
        {"email": "geen-adres"},
    )
    assert response.status_code == 400
    assert "geldig e-mailadres" in response.content.decode()
    assert not FacilitatorConfirmation.objects.exists()


def test_unknown_confirmation_link_is_404(client):
    import uuid

    assert client.get(reverse("portfolios:confirm", args=[uuid.uuid4()])).status_code == 404


def test_other_persona_cannot_delete_a_meeting(client, portfolio, other_professional):
    meeting = ReflectionMeetingFactory(portfolio=portfolio)
    client.force_login(other_professional)
    url = reverse("portfolios:meeting_delete", args=[portfolio.pk, meeting.pk])
    assert client.post(url).status_code == 404
    assert ReflectionMeeting.objects.filter(pk=meeting.pk).exists()


def test_professional_role_needed_for_the_list(client):
    client.force_login(user_with(Role.ASSESSOR))
    assert client.get(reverse("portfolios:list")).status_code == 404


@pytest.mark.parametrize("url_name", ["a1", "a2", "meetings", "report", "plan", "pe", "pe_new"])
def test_jobcoach_sections_do_not_exist_for_a_loopbaan_portfolio(client, professional, url_name):
    portfolio = PortfolioFactory(owner=professional, framework="loopbaanprofessional-initial")
    client.force_login(professional)
    assert client.get(reverse(f"portfolios:{url_name}", args=[portfolio.pk])).status_code == 404
    assert client.get(reverse("portfolios:detail", args=[portfolio.pk])).status_code == 200


def test_beat_expires_pending_facilitator_links(portfolio):
    from portfolios.jobcoach.tasks import expire_confirmations

    meeting = ReflectionMeetingFactory(portfolio=portfolio)
    old = FacilitatorConfirmation.objects.create(
        meeting=meeting, email="a@example.org", expires_at=timezone.now() - timedelta(hours=1)
    )
    fresh = FacilitatorConfirmation.objects.create(
        meeting=meeting, email="b@example.org", expires_at=timezone.now() + timedelta(days=1)
    )
    assert expire_confirmations.delay().get() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.state, fresh.state) == (ConfirmationState.EXPIRED, ConfirmationState.PENDING)


def test_form_texts_state_the_framework_versions_window_and_word_count(monkeypatch, portfolio):
    from dataclasses import replace

    from portfolios.jobcoach import forms
    from portfolios.jobcoach.framework import jobcoach_framework
    from portfolios.jobcoach.snapshot import jobcoach_details

    current = jobcoach_framework(version=portfolio.framework_version)
    monkeypatch.setattr(forms, "jobcoach_framework", lambda **_: replace(current, window_years=5))
    plan = forms.DevelopmentPlanForm(instance=jobcoach_details(portfolio))
    assert "komende 5 jaar" in plan.fields["plan_future"].help_text
    assert (
        "afgelopen 5 jaar"
        in forms.A1Form(instance=jobcoach_details(portfolio)).fields["cv_upload"].help_text
    )
    article = next(kind for kind in current.activity_types if kind.min_words)
    activity = forms.PEActivityForm(activity_type=replace(article, min_words=2000))
    assert "2000 woorden" in activity.fields["words"].help_text
