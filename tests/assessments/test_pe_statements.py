"""JC-B category 4: the certification coordinator signs an assessor's PE statement from the
records (4 points a year, 2 per assessed candidate), the PDF is rendered through the render jobs,
and the assessor takes it over into their own Jobcoach portfolio once (JC-B-SOURCE)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentRound, Assignment, AssignmentState, PEStatement
from assessments.pe_statements import (
    PE_STATEMENT,
    PEStatementError,
    assessors_in_period,
    candidates_of,
    issue_pe_statement,
    pe_statement_offers,
    proof,
    source_of,
)
from noloc_portal.audit.models import SecurityEvent
from noloc_portal.pdf.models import RenderJob, RenderState
from noloc_portal.pdf.services import latest_reports
from portfolios import remembered
from portfolios.jobcoach.framework import jobcoach_framework
from portfolios.jobcoach.models import PEActivity
from portfolios.jobcoach.rules import JobcoachSnapshot, compute_pe
from portfolios.jobcoach.rules import PEActivity as ActivitySnapshot
from portfolios.jobcoach.services import (
    activity_offers_for,
    take_over_offer,
    update_activity,
)
from portfolios.models import PortfolioState
from portfolios.services import TransitionError, evaluate_portfolio
from tests.factories import Role, user_with
from tests.pdf_files import pdf_pages
from tests.portfolios.factories import LoopbaanPortfolioFactory, PortfolioFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YEAR_2025 = {"period_start": date(2025, 1, 1), "period_end": date(2025, 12, 31)}


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def assignment(
    assessor,
    *,
    judged: datetime | None,
    portfolio=None,
    state=AssignmentState.JUDGED,
    loopbaan=False,
    number=1,
):
    """One of ``assessor``'s assignments: finished at ``judged`` unless another state is asked."""
    if portfolio is None:
        factory = LoopbaanPortfolioFactory if loopbaan else PortfolioFactory
        portfolio = factory(state=PortfolioState.IN_ASSESSMENT)
    round_ = AssessmentRound.objects.create(portfolio=portfolio, number=number)
    return Assignment.objects.create(
        round=round_,
        assessor=assessor,
        state=state,
        declared_at=judged if state != AssignmentState.DECLINED else None,
        judged_at=judged if state == AssignmentState.JUDGED else None,
    )


@pytest.fixture
def assessor():
    return user_with(Role.ASSESSOR, Role.PROFESSIONAL, full_name="Anke Visser")


@pytest.fixture
def coordinator():
    return user_with(Role.CERTIFICATION_COORDINATOR, full_name="Carla Mulder")


def issued(capture, assessor, coordinator, **period) -> PEStatement:
    with capture(execute=True):
        return issue_pe_statement(assessor=assessor, by=coordinator, **(period or YEAR_2025))


# --- what counts ------------------------------------------------------------------------------


def test_jc_b_cat4_candidates_are_the_finished_jobcoach_portfolios_in_the_period(assessor):
    first = assignment(assessor, judged=at(date(2025, 3, 4)))
    second = assignment(assessor, judged=at(date(2025, 11, 20)))
    # The supplement round of the first portfolio: the same candidate, not a new one.
    assignment(assessor, judged=at(date(2025, 9, 1)), portfolio=first.round.portfolio, number=2)
    # First finished in 2024: its supplement round in 2025 does not make it a 2025 candidate.
    old = assignment(assessor, judged=at(date(2024, 10, 1)))
    assignment(assessor, judged=at(date(2025, 2, 1)), portfolio=old.round.portfolio, number=2)
    # Not finished, declined, another register, another assessor, outside the period.
    assignment(assessor, judged=at(date(2025, 5, 1)), state=AssignmentState.JUDGING)
    assignment(assessor, judged=at(date(2025, 5, 1)), state=AssignmentState.PENDING_DECLARATION)
    assignment(assessor, judged=at(date(2025, 5, 1)), state=AssignmentState.DECLINED)
    assignment(assessor, judged=at(date(2025, 6, 1)), loopbaan=True)
    assignment(user_with(Role.ASSESSOR), judged=at(date(2025, 6, 1)))
    assignment(assessor, judged=at(date(2024, 12, 31), 23, 30))
    assignment(assessor, judged=at(date(2026, 1, 1), 0, 15))
    withdrawn = PortfolioFactory(state=PortfolioState.WITHDRAWN)
    assignment(assessor, judged=None, portfolio=withdrawn, state=AssignmentState.DECLINED)

    assert candidates_of(assessor, **YEAR_2025) == [first, second]
    row = assessors_in_period(**YEAR_2025).get(pk=assessor.pk)
    assert row.candidates == 2
    # The moments are the portal's days: the last minutes of 31 December count.
    late = assignment(assessor, judged=at(date(2025, 12, 31), 23, 45))
    assert candidates_of(assessor, **YEAR_2025)[-1] == late


@pytest.mark.parametrize(
    ("start", "end", "candidates", "years", "points"),
    [
        (date(2025, 1, 1), date(2025, 12, 31), 3, 1, 10),  # a calendar year: 4 + 3 × 2
        (date(2024, 1, 1), date(2025, 12, 31), 0, 2, 8),  # two years without candidates
        (date(2025, 1, 1), date(2025, 5, 31), 2, 0, 4),  # 4 whole months: no year, 2 × 2
        (date(2025, 1, 1), date(2025, 7, 1), 1, 1, 6),  # 6 whole months round up to a year
    ],
)
def test_jc_b_cat4_points_are_four_a_year_and_two_a_candidate(
    start, end, candidates, years, points
):
    counted = proof(candidates=candidates, period_start=start, period_end=end)
    assert (counted.years, counted.points) == (years, points)


# --- issuing ----------------------------------------------------------------------------------


def test_issuing_freezes_the_count_records_an_audit_event_and_renders_the_pdf(
    assessor, coordinator, django_capture_on_commit_callbacks
):
    candidate = assignment(assessor, judged=at(date(2025, 4, 2)))
    assignment(assessor, judged=at(date(2025, 8, 9)))
    statement = issued(django_capture_on_commit_callbacks, assessor, coordinator)

    assert (statement.candidates, statement.years, statement.points) == (2, 1, 8)
    assert statement.issued_by == coordinator
    event = SecurityEvent.objects.get(action="pe_statement.issued")
    assert event.actor == coordinator and event.detail["points"] == 8
    assert [message.to for message in mail.outbox] == [[assessor.email]]
    assert "8 PE-punten" in mail.outbox[0].body

    # A later assignment does not change a statement once issued.
    assignment(assessor, judged=at(date(2025, 10, 1)))
    statement.refresh_from_db()
    assert statement.candidates == 2

    job = latest_reports(statement, PE_STATEMENT).get()
    assert job.state == RenderState.DONE, job.error
    pages = pdf_pages(job.file.read())
    assert len(pages) == job.page_count == 1
    text = " ".join(pages[0].split())
    assert "Verklaring mentor of assessor" in text
    assert "Anke Visser" in text
    assert "1 januari 2025 tot en met 31 december 2025" in text
    assert "Aantal beoordeelde kandidaten 2" in text
    assert "1 × 4 = 4 PE-punten" in text and "2 × 2 = 4 PE-punten" in text
    assert "PE-punten in totaal 8" in text
    assert "Carla Mulder" in text
    # The number of candidates, never who they were.
    assert candidate.round.portfolio.owner.full_name not in text


def test_issuing_the_same_period_twice_gives_the_one_statement(
    assessor, coordinator, django_capture_on_commit_callbacks
):
    first = issued(django_capture_on_commit_callbacks, assessor, coordinator)
    again = issued(django_capture_on_commit_callbacks, assessor, coordinator)
    assert first == again and PEStatement.objects.count() == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not_coordinator", "Alleen de coördinator certificeren"),
        ("self", "geen verklaring voor jezelf"),
        ("not_assessor", "is geen assessor"),
        ("future", "periode die voorbij is"),
        ("reversed", "vóór het begin"),
        ("overlap", "overlappen niet"),
    ],
)
def test_issuing_is_refused_with_a_reason(
    case, message, assessor, coordinator, django_capture_on_commit_callbacks
):
    by, person, period = coordinator, assessor, dict(YEAR_2025)
    if case == "not_coordinator":
        by = user_with(Role.ASSESSOR)
    elif case == "self":
        by = user_with(Role.CERTIFICATION_COORDINATOR, Role.ASSESSOR)
        person = by
    elif case == "not_assessor":
        person = user_with(Role.PROFESSIONAL)
    elif case == "future":
        period["period_end"] = timezone.localdate().replace(year=timezone.localdate().year + 1)
    elif case == "reversed":
        period = {"period_start": date(2025, 6, 1), "period_end": date(2025, 5, 1)}
    elif case == "overlap":
        issued(django_capture_on_commit_callbacks, assessor, coordinator)
        period = {"period_start": date(2025, 7, 1), "period_end": date(2026, 6, 30)}
    with pytest.raises(PEStatementError, match=message):
        issue_pe_statement(assessor=person, by=by, **period)
    assert PEStatement.objects.count() == (1 if case == "overlap" else 0)


# --- taking it over into the assessor's own portfolio -------------------------------------------


@pytest.fixture
def own_portfolio(assessor):
    return PortfolioFactory(owner=assessor, jobcoach__recertification_date=date(2027, 6, 30))


def test_the_statement_is_taken_over_once_with_its_pdf_as_evidence(
    assessor, coordinator, own_portfolio, django_capture_on_commit_callbacks
):
    assignment(assessor, judged=at(date(2025, 4, 2)))
    statement = issued(django_capture_on_commit_callbacks, assessor, coordinator)
    offers = activity_offers_for(portfolio=own_portfolio)
    assert [offer.source for offer in offers] == [source_of(statement)]

    activity = take_over_offer(portfolio=own_portfolio, source=source_of(statement), by=assessor)
    assert (activity.type, activity.start, activity.end, activity.candidates) == (
        "jobcoach_mentor_assessor",
        date(2025, 1, 1),
        date(2025, 12, 31),
        1,
    )
    assert activity.source == source_of(statement)
    evidence_text = " ".join(pdf_pages(activity.evidence.file.read())[0].split())
    assert "PE-punten in totaal 6" in evidence_text
    assert activity.evidence.owner == assessor

    pe = evaluate_portfolio(own_portfolio).to_json()["pe"]
    assert pe["categories"]["4"]["earned"] == statement.points == 6
    assert evaluate_portfolio(own_portfolio).rule("JC-B-EVIDENCE").status == "met"

    assert activity_offers_for(portfolio=own_portfolio) == []
    with pytest.raises(TransitionError, match="staat al in je portfolio"):
        take_over_offer(portfolio=own_portfolio, source=source_of(statement), by=assessor)
    assert PEActivity.objects.filter(portfolio=own_portfolio).count() == 1
    assert own_portfolio.events.filter(action="activity_taken_over").count() == 1


def test_a_taken_over_activity_keeps_what_the_statement_says(
    assessor, coordinator, own_portfolio, django_capture_on_commit_callbacks, client
):
    statement = issued(django_capture_on_commit_callbacks, assessor, coordinator)
    activity = take_over_offer(portfolio=own_portfolio, source=source_of(statement), by=assessor)
    with pytest.raises(TransitionError, match="overgenomen uit een verklaring"):
        update_activity(
            portfolio=own_portfolio, by=assessor, activity_id=activity.pk, values={"candidates": 9}
        )
    client.force_login(assessor)
    response = client.get(reverse("portfolios:pe_edit", args=[own_portfolio.pk, activity.pk]))
    assert response.status_code == 302
    # Removed, it is offered again (and still counts once).
    client.post(reverse("portfolios:pe_delete", args=[own_portfolio.pk, activity.pk]))
    assert [o.source for o in activity_offers_for(portfolio=own_portfolio)] == [
        source_of(statement)
    ]


def test_the_engine_never_counts_one_statement_twice():
    framework = jobcoach_framework(version="2024.1")
    taken_over = ActivitySnapshot(
        type="jobcoach_mentor_assessor",
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        candidates=3,
        evidence="verklaring.pdf",
        source="pe-verklaring-7",
    )
    snapshot = JobcoachSnapshot(
        recertification_date=date(2027, 6, 30), pe_activities=(taken_over, taken_over)
    )
    pe = compute_pe(snapshot, framework=framework, anchor=date(2027, 6, 30))
    assert [a.points for a in pe.activities] == [10, 0]
    assert pe.activities[1].duplicate_of == 0
    assert pe.category(4).earned == 10
    assert "telt maar één keer" in pe.activities[1].explanation
    # Two statements (two sources) count both.
    other = ActivitySnapshot(**{**taken_over.__dict__, "source": "pe-verklaring-8"})
    snapshot = JobcoachSnapshot(
        recertification_date=date(2027, 6, 30), pe_activities=(taken_over, other)
    )
    assert (
        compute_pe(snapshot, framework=framework, anchor=date(2027, 6, 30)).category(4).earned == 20
    )


def test_the_database_holds_a_source_once_per_portfolio(own_portfolio):
    PEActivity.objects.create(
        portfolio=own_portfolio, type="jobcoach_mentor_assessor", source="pe-verklaring-1"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PEActivity.objects.create(
            portfolio=own_portfolio, type="jobcoach_mentor_assessor", source="pe-verklaring-1"
        )
    # Activities typed by the owner carry no source and are not limited.
    PEActivity.objects.create(portfolio=own_portfolio, type="course")
    PEActivity.objects.create(portfolio=own_portfolio, type="course")


def test_a_statement_whose_pdf_is_not_made_yet_waits(
    assessor, coordinator, own_portfolio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        statement = issue_pe_statement(assessor=assessor, by=coordinator, **YEAR_2025)
    (offer,) = pe_statement_offers(owner=assessor)
    assert not offer.ready
    with pytest.raises(TransitionError, match="wordt nog gemaakt"):
        take_over_offer(portfolio=own_portfolio, source=source_of(statement), by=assessor)
    assert not PEActivity.objects.filter(portfolio=own_portfolio).exists()


def test_only_the_assessor_is_offered_the_statement(
    assessor, coordinator, django_capture_on_commit_callbacks
):
    statement = issued(django_capture_on_commit_callbacks, assessor, coordinator)
    other = PortfolioFactory()
    assert activity_offers_for(portfolio=other) == []
    with pytest.raises(TransitionError, match="niet \\(meer\\) voor je beschikbaar"):
        take_over_offer(portfolio=other, source=source_of(statement), by=other.owner)


def test_the_pe_register_offers_the_statement_and_a_second_take_over_is_refused(
    assessor, coordinator, own_portfolio, django_capture_on_commit_callbacks, client
):
    statement = issued(django_capture_on_commit_callbacks, assessor, coordinator)
    client.force_login(assessor)
    page = client.get(reverse("portfolios:pe", args=[own_portfolio.pk])).content.decode()
    assert "Neem de verklaring over" in page and "data-confirm" in page
    url = reverse("portfolios:pe_take_over", args=[own_portfolio.pk, source_of(statement)])
    first = client.post(url, follow=True).content.decode()
    assert "met de PDF als bewijs" in first
    second = client.post(url, follow=True).content.decode()
    assert "staat al in je portfolio" in second
    assert PEActivity.objects.filter(portfolio=own_portfolio).count() == 1
    page = client.get(reverse("portfolios:pe", args=[own_portfolio.pk])).content.decode()
    assert "Neem de verklaring over" not in page and "overgenomen" in page


# --- pages: who may, and what it costs ----------------------------------------------------------


def test_issuing_from_the_page_and_who_may(
    assessor, coordinator, client, django_capture_on_commit_callbacks
):
    assignment(assessor, judged=at(date(2025, 4, 2)))
    url = reverse("assessments:pe_statement_issue", args=[assessor.pk])
    data = {"period_start": "2025-01-01", "period_end": "2025-12-31"}
    others = [
        assessor,
        user_with(Role.ASSESSOR),
        user_with(Role.PROFESSIONAL),
        user_with(Role.CIRCLE_COORDINATOR),
        user_with(Role.SECRETARIAT, is_staff=True),
    ]
    for person in others:
        client.force_login(person)
        assert client.post(url, data).status_code == 404, person
    assert not PEStatement.objects.exists()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, follow=True)
    assert "is ondertekend (6 PE-punten)" in response.content.decode()
    statement = PEStatement.objects.get()
    # Overlapping period: the message stands next to the field, the period as typed.
    response = client.post(url, {"period_start": "2025-06-01", "period_end": "2025-12-31"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "overlappen niet" in body and 'value="2025-06-01"' in body
    # The PDF: the assessor, the coordinator and staff; nobody else.
    job = latest_reports(statement, PE_STATEMENT).get()
    readers = {assessor: 200, coordinator: 200, others[4]: 200}
    for person in [*others, coordinator]:
        client.force_login(person)
        expected = readers.get(person, 404)
        assert client.get(reverse("pdf:download", args=[job.pk])).status_code == expected


def test_pages_of_the_statements_per_persona(assessor, coordinator, client):
    pages = {
        reverse("assessments:pe_statements"): {coordinator},
        reverse("assessments:pe_statement_assessor", args=[assessor.pk]): {coordinator},
        reverse("assessments:my_pe_statements"): {assessor},
    }
    people = [
        assessor,
        coordinator,
        user_with(Role.PROFESSIONAL),
        user_with(Role.CIRCLE_COORDINATOR),
        user_with(Role.SECRETARIAT, is_staff=True),
    ]
    for url, allowed in pages.items():
        client.logout()
        assert client.get(url).status_code == 302  # anonymous: the login page
        for person in people:
            client.force_login(person)
            assert client.get(url).status_code == (200 if person in allowed else 404), url
    # Someone who is no assessor has no assessor page.
    client.force_login(coordinator)
    professional = user_with(Role.PROFESSIONAL)
    url = reverse("assessments:pe_statement_assessor", args=[professional.pk])
    assert client.get(url).status_code == 404


def test_the_coordinator_sees_the_candidates_of_the_period(assessor, coordinator, client):
    first = assignment(assessor, judged=at(date(2025, 4, 2)))
    client.force_login(coordinator)
    page = client.get(
        reverse("assessments:pe_statement_assessor", args=[assessor.pk]),
        {"period_start": "2025-01-01", "period_end": "2025-12-31"},
    ).content.decode()
    assert first.round.portfolio.owner.full_name.split()[0] in page
    assert "data-confirm" in page and "6 PE-punten" in page
    # A bad period: a message next to the field, never a 500.
    response = client.get(
        reverse("assessments:pe_statements"),
        {"period_start": "2025-13-01", "period_end": "2025-12-31"},
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def _statements(coordinator, count):
    for index in range(count):
        person = user_with(Role.ASSESSOR)
        assignment(person, judged=at(date(2025, 3, 1 + index)))
        statement = PEStatement.objects.create(
            assessor=person,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            candidates=1,
            years=1,
            points=6,
            framework_version="2024.1",
            issued_by=coordinator,
            issued_at=timezone.now(),
        )
        RenderJob.objects.create(
            kind=PE_STATEMENT,
            content_type=ContentType.objects.get_for_model(PEStatement),
            object_id=statement.pk,
            version=1,
            title=str(statement),
            state=RenderState.DONE,
            page_count=1,
        )


def _queries(client, url, params=None) -> int:
    """Queries of a page that judges the portfolio again (no verdict remembered)."""
    remembered.remembered.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured.captured_queries)


def test_the_coordinator_overview_costs_the_same_for_one_and_many_rows(coordinator, client):
    client.force_login(coordinator)
    url = reverse("assessments:pe_statements")
    params = {"period_start": "2025-01-01", "period_end": "2025-12-31"}
    _statements(coordinator, 1)
    one = _queries(client, url, params)
    _statements(coordinator, 6)
    assert _queries(client, url, params) == one


def test_the_assessor_pages_cost_the_same_for_one_and_many_rows(
    assessor, coordinator, own_portfolio, client, django_capture_on_commit_callbacks
):
    def statement(year):
        assignment(assessor, judged=at(date(year, 5, 1)))
        period = {"period_start": date(year, 1, 1), "period_end": date(year, 12, 31)}
        issued(django_capture_on_commit_callbacks, assessor, coordinator, **period)

    statement(2024)
    urls = {
        "mine": (assessor, reverse("assessments:my_pe_statements"), None),
        "register": (assessor, reverse("portfolios:pe", args=[own_portfolio.pk]), None),
        "assessor": (
            coordinator,
            reverse("assessments:pe_statement_assessor", args=[assessor.pk]),
            {"period_start": "2023-01-01", "period_end": "2025-12-31"},
        ),
    }
    counts = {}
    for name, (person, url, params) in urls.items():
        client.force_login(person)
        counts[name] = _queries(client, url, params)
    statement(2023)
    statement(2025)
    for name, (person, url, params) in urls.items():
        client.force_login(person)
        assert _queries(client, url, params) == counts[name], name


# --- admin ------------------------------------------------------------------------------------


def test_the_admin_shows_a_statement_read_only_and_makes_its_pdf_again(
    assessor, coordinator, client, django_capture_on_commit_callbacks
):
    statement = issued(django_capture_on_commit_callbacks, assessor, coordinator)
    staff = user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True)
    client.force_login(staff)
    changelist = reverse("admin:assessments_pestatement_changelist")
    page = client.get(changelist, {"q": "Anke"}).content.decode()
    assert "Anke Visser" in page
    assert client.get(reverse("admin:assessments_pestatement_add")).status_code == 403
    change = client.get(reverse("admin:assessments_pestatement_change", args=[statement.pk]))
    assert change.status_code == 200 and 'name="points"' not in change.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(changelist, {"action": "rerender_pdf", "_selected_action": [statement.pk]})
    versions = list(latest_reports(statement, PE_STATEMENT))
    assert [job.version for job in versions] == [2, 1]
    assert versions[0].state == RenderState.DONE
    statement.refresh_from_db()
    assert statement.points == 6 - 2  # no candidates: the year only, unchanged


def test_the_offer_warns_when_the_owner_typed_the_same_work_by_hand(
    assessor, coordinator, own_portfolio, client, django_capture_on_commit_callbacks
):
    issued(django_capture_on_commit_callbacks, assessor, coordinator)
    client.force_login(assessor)
    url = reverse("portfolios:pe", args=[own_portfolio.pk])
    assert "tellen dezelfde maanden twee keer" not in client.get(url).content.decode()
    PEActivity.objects.create(
        portfolio=own_portfolio,
        type="jobcoach_mentor_assessor",
        start=date(2025, 6, 1),
        end=None,
        candidates=1,
    )
    assert "tellen dezelfde maanden twee keer" in client.get(url).content.decode()
