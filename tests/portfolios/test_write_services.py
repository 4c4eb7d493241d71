"""Every change to a portfolio goes through a service that locks the portfolio row, checks there
that it is still a draft, and records who did it: an edit racing a submit lands before it or is
refused, a submitted portfolio (and its facilitator links) change nothing any more."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DataError, connection
from django.urls import reverse
from django.utils import timezone

from noloc_portal.documents.models import Document
from portfolios import registry, services
from portfolios.exchange.document import dump_document
from portfolios.jobcoach import services as jobcoach_services
from portfolios.jobcoach.models import ConfirmationState, FacilitatorConfirmation, JobcoachDetails
from portfolios.loopbaan import services as loopbaan_services
from portfolios.models import AuditEvent, Portfolio, PortfolioState
from tests.kwaliteitskringen.factories import CircleFactory, held_meeting
from tests.pdf_files import MINIMAL_PDF
from tests.portfolios.factories import (
    CaseFactory,
    CourseFactory,
    LoopbaanPortfolioFactory,
    PEActivityFactory,
    PortfolioFactory,
    ReflectionMeetingFactory,
    complete_loopbaan_portfolio,
    complete_portfolio,
)

# Row locks between threads and column lengths are PostgreSQL's (what `make test` and production
# use); the in-memory SQLite test database of the fallback has neither.
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks and column checks"
)


def pdf(name="bewijs.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "documents"
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def document_of(portfolio: Portfolio) -> dict:
    """The noloc-portfolio/1 document of the portfolio as its rows are now, as stored JSON."""
    snapshot = services.portfolio_snapshot(portfolio)
    return json.loads(json.dumps(dump_document(snapshot), cls=DjangoJSONEncoder))


def assert_rows_equal_the_frozen_document(portfolio: Portfolio) -> None:
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.SUBMITTED
    assert document_of(portfolio) == portfolio.submissions.get().document


@pytest.fixture
def no_dossier(monkeypatch):
    """The race is about the lock; the dossier PDF queued at submit is not rendered here."""
    monkeypatch.setattr(services, "queue_report", lambda **kwargs: None)


def in_threads(*actions):
    """Run each action in a thread of its own, released together; their results or errors."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # the test inspects what each side got
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, action), name=f"action-{index}")
        for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


# --- An edit racing a submit -------------------------------------------------------------------


def _edit_plan(portfolio):
    return lambda: services.update_section(
        portfolio=portfolio,
        by=portfolio.owner,
        section="plan",
        values={"plan_future": "Later"},
        details=JobcoachDetails,
    )


def _add_activity(portfolio):
    return lambda: jobcoach_services.add_activity(
        portfolio=portfolio,
        by=portfolio.owner,
        type="book",
        values={"title": "Boek gelezen tijdens het indienen"},
    )


def _submit(portfolio):
    return lambda: services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("edit", [_edit_plan, _add_activity], ids=["section", "row"])
def test_an_edit_racing_a_submit_is_in_the_submission_or_refused(edit, no_dossier):
    for _round in range(3):
        portfolio = complete_portfolio()
        edited, submitted = in_threads(edit(portfolio), _submit(portfolio))
        assert not isinstance(submitted, Exception), submitted
        assert not isinstance(edited, Exception) or isinstance(edited, services.PortfolioFrozen)
        assert_rows_equal_the_frozen_document(portfolio)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_edit_that_checked_first_is_in_the_submission(monkeypatch, no_dossier):
    """The edit has seen a draft and still writes when the submit comes: the submit waits for
    the edit's lock, so its frozen document holds the edit."""
    portfolio = complete_portfolio()
    checked = threading.Event()
    check = services.ensure_editable

    def slow_check(portfolio, *, by, section=None):
        check(portfolio, by=by, section=section)
        checked.set()
        time.sleep(0.3)  # the submit asks for the lock meanwhile

    monkeypatch.setattr(services, "ensure_editable", slow_check)

    def submit_after_the_check():
        checked.wait(timeout=10)
        return services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)

    edited, submission = in_threads(_edit_plan(portfolio), submit_after_the_check)
    assert isinstance(edited, Portfolio)
    assert submission.document["development_plan"]["future"] == "Later"
    assert_rows_equal_the_frozen_document(portfolio)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_edit_waiting_for_a_submit_is_refused(monkeypatch, no_dossier):
    """The submit holds the lock (its framework hook is running) when the edit comes: the edit
    waits, then sees a submitted portfolio and changes nothing."""
    portfolio = complete_portfolio()
    submitting = threading.Event()
    framework = registry.get(portfolio.framework)

    def slow_hook(*, portfolio, by):
        framework.on_submit(portfolio=portfolio, by=by)
        submitting.set()
        time.sleep(0.3)  # the edit asks for the lock meanwhile

    monkeypatch.setitem(
        registry._FRAMEWORKS, framework.code, dataclasses.replace(framework, on_submit=slow_hook)
    )

    def edit_during_the_submit():
        submitting.wait(timeout=10)
        return _add_activity(portfolio)()

    _submission, edited = in_threads(_submit(portfolio), edit_during_the_submit)
    assert isinstance(edited, services.PortfolioFrozen)
    assert "ingediend" in str(edited)
    assert not portfolio.pe_activities.filter(title="Boek gelezen tijdens het indienen").exists()
    assert_rows_equal_the_frozen_document(portfolio)


# --- Facilitator links after the submit --------------------------------------------------------


@pytest.fixture
def waiting_link(django_capture_on_commit_callbacks):
    """A complete portfolio whose first meeting waits for its facilitator."""
    portfolio = complete_portfolio()
    meeting = portfolio.reflection_meetings.order_by("date").first()
    with django_capture_on_commit_callbacks(execute=False):
        confirmation = jobcoach_services.request_confirmation(
            meeting=meeting, email="begeleider@example.org", by=portfolio.owner
        )
    return confirmation


@pytest.mark.django_db
def test_submitting_revokes_pending_links_and_the_facilitator_is_told(client, waiting_link):
    confirmation = waiting_link
    meeting = confirmation.meeting
    portfolio = meeting.portfolio
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    confirmation.refresh_from_db()
    assert confirmation.state == ConfirmationState.REVOKED
    event = portfolio.events.get(action="confirmations_revoked")
    assert (event.actor, event.detail) == (portfolio.owner, {"count": 1})
    link = reverse("portfolios:confirm", args=[confirmation.token])
    body = client.get(link).content.decode()
    assert "al ingediend" in body
    assert 'name="facilitator"' not in body
    frozen = document_of(portfolio)
    response = client.post(
        link, {"meeting_date": "2020-01-01", "facilitator": "Iemand anders", "own_situation": "nee"}
    )
    assert "al ingediend" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.date, meeting.facilitator) == (date(2024, 1, 10), "A. de Vries")
    assert document_of(portfolio) == frozen
    confirmation.refresh_from_db()
    assert confirmation.state == ConfirmationState.REVOKED
    assert confirmation.responded_at is None


@pytest.mark.django_db
def test_an_answer_to_a_link_left_pending_on_a_submitted_portfolio_changes_nothing(
    client, waiting_link
):
    """A link that is still pending (submitted before submits revoked links) is closed too:
    the answer is refused inside the portfolio's lock."""
    confirmation = waiting_link
    portfolio = confirmation.meeting.portfolio
    Portfolio.objects.filter(pk=portfolio.pk).update(state=PortfolioState.SUBMITTED)
    with pytest.raises(services.PortfolioFrozen):
        jobcoach_services.answer_confirmation(
            confirmation=confirmation,
            meeting_date=date(2020, 1, 1),
            facilitator="Iemand anders",
            own_situation=False,
        )
    confirmation.refresh_from_db()
    assert confirmation.state == ConfirmationState.PENDING
    confirmation.meeting.refresh_from_db()
    assert confirmation.meeting.facilitator == "A. de Vries"
    link = reverse("portfolios:confirm", args=[confirmation.token])
    response = client.post(
        link, {"meeting_date": "2020-01-01", "facilitator": "Iemand anders", "own_situation": "nee"}
    )
    assert "al ingediend" in response.content.decode()
    confirmation.meeting.refresh_from_db()
    assert confirmation.meeting.facilitator == "A. de Vries"


@pytest.mark.django_db
def test_a_link_of_a_withdrawn_portfolio_does_not_claim_a_submission(client, waiting_link):
    confirmation = waiting_link
    portfolio = confirmation.meeting.portfolio
    services.withdraw_portfolio(portfolio=portfolio, by=portfolio.owner)
    body = client.get(reverse("portfolios:confirm", args=[confirmation.token])).content.decode()
    assert "werkt niet meer" in body
    assert "al ingediend" not in body


@pytest.mark.django_db
def test_the_facilitators_answer_is_recorded_with_the_address_it_came_from(waiting_link):
    confirmation = jobcoach_services.answer_confirmation(
        confirmation=waiting_link,
        meeting_date=date(2024, 1, 10),
        facilitator="A. de Vries",
        own_situation=True,
    )
    event = confirmation.meeting.portfolio.events.get(action="confirmation_confirmed")
    assert event.actor is None
    assert event.detail["email"] == "begeleider@example.org"


# --- Every edit through the pages is one service call with an audit event ----------------------


def _jobcoach_posts(portfolio):
    meeting = ReflectionMeetingFactory(portfolio=portfolio)
    other = ReflectionMeetingFactory(portfolio=portfolio)
    activity = PEActivityFactory(portfolio=portfolio)
    other_activity = PEActivityFactory(portfolio=portfolio)
    confirmation = FacilitatorConfirmation.objects.create(
        meeting=meeting, email="b@example.org", expires_at="2099-01-01T00:00:00Z"
    )
    circle_meeting = held_meeting(
        CircleFactory(), date(2025, 6, 3), present=[portfolio.owner], facilitator="Ria Post"
    )
    pk = portfolio.pk
    return [
        ("a1", [pk], {"a1_statement_signed": "on", "cv_upload": pdf()}, "section_saved"),
        ("a2", [pk], {"a2_report": "Terug"}, "section_saved"),
        ("report", [pk], {"report_situation": "Situatie"}, "section_saved"),
        ("plan", [pk], {"plan_present": "Nu"}, "section_saved"),
        ("declaration", [pk], {"declares_code_of_conduct": "on"}, "section_saved"),
        (
            "meetings",
            [pk],
            {"new-kind": "intervision", "new-date": "2025-03-03", "new-statement_upload": pdf()},
            "meeting_added",
        ),
        (
            "meeting_edit",
            [pk, meeting.pk],
            {"kind": "intervision", "facilitator": "B. Jansen"},
            "meeting_changed",
        ),
        ("meeting_delete", [pk, other.pk], {}, "meeting_removed"),
        ("confirmation_revoke", [pk, confirmation.pk], {}, "confirmation_revoked"),
        (
            "meeting_request_confirmation",
            [pk, meeting.pk],
            {"email": "c@example.org"},
            "confirmation_requested",
        ),
        (
            "pe_add",
            [pk, "course"],
            {"title": "Leergang", "date": "2025-01-01", "sbu": "24", "evidence_upload": pdf()},
            "activity_added",
        ),
        (
            "pe_edit",
            [pk, activity.pk],
            {"title": "Andere titel", "date": "2025-01-01", "sbu": "12"},
            "activity_changed",
        ),
        ("pe_delete", [pk, other_activity.pk], {}, "activity_removed"),
        ("add_circle_meeting", [pk, circle_meeting.pk], {"as": "pe"}, "circle_meeting_added"),
    ]


def _loopbaan_posts(portfolio):
    case = portfolio.cases.first() or CaseFactory(portfolio=portfolio)
    course = CourseFactory(portfolio=portfolio)
    other_course = CourseFactory(portfolio=portfolio)
    pk = portfolio.pk
    return [
        (
            "lp_education",
            [pk],
            {"route": "1", "diploma_level": "hbo", "diploma_upload": pdf()},
            "section_saved",
        ),
        (
            "lp_course_new",
            [pk],
            {"title": "Loopbaancoaching", "hours": "40", "certificate_upload": pdf()},
            "course_added",
        ),
        ("lp_course_edit", [pk, course.pk], {"title": "Andere", "hours": "2,5"}, "course_changed"),
        ("lp_course_delete", [pk, other_course.pk], {}, "course_removed"),
        (
            "lp_experience",
            [pk],
            {"experience_years": "2", "motivation": "Daarom.", "cv_upload": pdf()},
            "section_saved",
        ),
        ("lp_cases", [pk], {"diversity": "Anders."}, "section_saved"),
        ("lp_case", [pk, case.pk], {"title": "Traject"}, "case_changed"),
        ("lp_case_add", [pk], {}, "case_added"),
        ("lp_plan", [pk], {"development_plan": "Plan."}, "section_saved"),
        ("lp_declaration", [pk], {"code_of_conduct": "on", "truthful": "on"}, "section_saved"),
        ("lp_case_delete", [pk, case.pk], {}, "case_removed"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "posts"),
    [(PortfolioFactory, _jobcoach_posts), (LoopbaanPortfolioFactory, _loopbaan_posts)],
    ids=["jobcoach", "loopbaan"],
)
def test_every_edit_records_an_event_naming_the_acting_user(client, factory, posts):
    portfolio = factory()
    client.force_login(portfolio.owner)
    for name, args, data, action in posts(portfolio):
        before = set(AuditEvent.objects.values_list("pk", flat=True))
        response = client.post(reverse(f"portfolios:{name}", args=args), data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])
        events = AuditEvent.objects.exclude(pk__in=before)
        assert [(e.action, e.actor, e.portfolio_id) for e in events] == [
            (action, portfolio.owner, portfolio.pk)
        ], name


@pytest.mark.django_db
def test_a_saved_section_names_what_changed(client, professional):
    portfolio = PortfolioFactory(owner=professional)
    client.force_login(professional)
    client.post(reverse("portfolios:a1", args=[portfolio.pk]), {"statement_upload": pdf()})
    event = portfolio.events.get(action="section_saved")
    assert event.detail == {"section": "a1", "fields": ["a1_statement", "a1_statement_signed"]}
    assert JobcoachDetails.objects.get(portfolio=portfolio).a1_statement.owner == professional


def _submitted_jobcoach():
    portfolio = complete_portfolio(state=PortfolioState.SUBMITTED)
    return portfolio, _jobcoach_posts(portfolio)


def _submitted_loopbaan():
    portfolio = complete_loopbaan_portfolio(state=PortfolioState.SUBMITTED)
    return portfolio, _loopbaan_posts(portfolio)


@pytest.mark.django_db
@pytest.mark.parametrize("make", [_submitted_jobcoach, _submitted_loopbaan])
def test_a_post_to_a_submitted_portfolio_changes_nothing(client, make):
    portfolio, posts = make()
    client.force_login(portfolio.owner)
    frozen = document_of(portfolio)
    documents = Document.objects.count()
    files = stored_files()
    for name, args, data, _action in posts:
        response = client.post(reverse(f"portfolios:{name}", args=args), data)
        assert response.status_code == 302, name
        assert document_of(portfolio) == frozen, name
    assert not portfolio.events.exists()
    assert Document.objects.count() == documents
    assert stored_files() == files


@pytest.mark.django_db
def test_a_submit_between_the_pages_check_and_the_save_gives_the_frozen_page(client, monkeypatch):
    """The page saw a draft; the service, inside the lock, sees it submitted."""
    portfolio = complete_portfolio(state=PortfolioState.SUBMITTED)
    monkeypatch.setattr(
        "portfolios.pages.refused_change", lambda request, portfolio, section=None: None
    )
    client.force_login(portfolio.owner)
    response = client.post(
        reverse("portfolios:plan", args=[portfolio.pk]), {"plan_present": "Te laat"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portfolios:detail", args=[portfolio.pk])
    assert "ingediend; de inhoud kan niet meer worden gewijzigd" in response.content.decode()
    assert JobcoachDetails.objects.get(portfolio=portfolio).plan_present == "Heden"


# --- The services themselves -------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db
def test_a_failed_edit_leaves_no_stored_file_behind(professional):
    portfolio = PortfolioFactory(owner=professional)
    files = stored_files()
    with pytest.raises(DataError):
        jobcoach_services.add_meeting(
            portfolio=portfolio,
            by=professional,
            values={"kind": "x" * 50},  # too long for the column: the save fails after the upload
            statement=pdf(),
        )
    assert not portfolio.reflection_meetings.exists()
    assert not Document.objects.filter(owner=professional).exists()
    assert stored_files() == files
    assert not portfolio.events.exists()


@pytest.mark.django_db
def test_an_upload_to_a_submitted_portfolio_is_not_stored(professional):
    portfolio = LoopbaanPortfolioFactory(owner=professional, state=PortfolioState.SUBMITTED)
    files = stored_files()
    with pytest.raises(services.PortfolioFrozen):
        loopbaan_services.update_details(
            portfolio=portfolio,
            by=professional,
            section="experience",
            values={"motivation": "Later."},
            uploads={"experience_statement": pdf()},
            cv=pdf(),
        )
    assert stored_files() == files
    assert not Document.objects.filter(owner=professional).exists()


@pytest.mark.django_db
def test_only_the_owner_edits(professional, other_professional):
    portfolio = PortfolioFactory(owner=professional)
    with pytest.raises(services.TransitionError, match="eigenaar"):
        services.update_section(
            portfolio=portfolio,
            by=other_professional,
            section="plan",
            values={"plan_past": "x"},
            details=JobcoachDetails,
        )
    assert JobcoachDetails.objects.get(portfolio=portfolio).plan_past == ""


@pytest.mark.django_db
def test_a_section_cannot_change_the_lifecycle(professional):
    portfolio = PortfolioFactory(owner=professional)
    for values in ({"state": "decided"}, {"portfolio": PortfolioFactory()}):
        with pytest.raises(ValueError, match=next(iter(values))):
            services.update_section(
                portfolio=portfolio,
                by=professional,
                section="plan",
                values=values,
                details=JobcoachDetails,
            )
    with pytest.raises(ValueError, match="portfolio"):
        jobcoach_services.add_meeting(
            portfolio=portfolio,
            by=professional,
            values={"kind": "intervision", "portfolio": PortfolioFactory()},
        )
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.DRAFT


@pytest.mark.django_db
def test_an_edit_of_a_row_removed_meanwhile_is_refused(professional):
    portfolio = PortfolioFactory(owner=professional)
    activity = PEActivityFactory(portfolio=portfolio)
    jobcoach_services.remove_activity(portfolio=portfolio, by=professional, activity_id=activity.pk)
    with pytest.raises(services.TransitionError, match="niet meer"):
        jobcoach_services.update_activity(
            portfolio=portfolio, by=professional, activity_id=activity.pk, values={"title": "x"}
        )
    assert not jobcoach_services.remove_activity(
        portfolio=portfolio, by=professional, activity_id=activity.pk
    )
    assert list(portfolio.events.values_list("action", flat=True)) == ["activity_removed"]


@pytest.mark.django_db
def test_an_expired_link_is_refused_inside_the_lock(waiting_link):
    FacilitatorConfirmation.objects.filter(pk=waiting_link.pk).update(expires_at=timezone.now())
    with pytest.raises(services.TransitionError, match="niet meer geldig"):
        jobcoach_services.answer_confirmation(
            confirmation=waiting_link,
            meeting_date=date(2020, 1, 1),
            facilitator="X",
            own_situation=False,
        )
