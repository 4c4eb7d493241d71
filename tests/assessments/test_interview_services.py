"""AS-4: the certification interview of a Loopbaanprofessional round, scheduled (and moved) by
an assessor with the candidate told, then recorded as held with notes per criterion."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection

from assessments.models import AssessmentRound, AssignmentState, Interview, InterviewState
from assessments.services import InterviewError, record_interview, schedule_interview
from portfolios.models import AuditEvent, PortfolioState
from tests.assessments.rounds import assessment
from tests.factories import Role, user_with
from tests.portfolios.test_write_services import in_threads

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=AMSTERDAM)
STARTS = datetime(2026, 12, 10, 14, 30, tzinfo=AMSTERDAM)


def plan(setting, by=None, **values):
    values = {
        "starts_at": STARTS,
        "location": "Noloc, Utrecht",
        "online_link": "",
        "now": NOW,
        **values,
    }
    return schedule_interview(round=setting.round, by=by or setting.assessors[0], **values)


def hold(interview, by, **values):
    values = {
        "held_on": date(2026, 12, 10),
        "notes": "Kandidaat lichtte beide casussen helder toe.",
        "criterion_notes": {"task_3": "Sterk in het afronden van trajecten.", "attitude": " "},
        "as_of": date(2026, 12, 11),
        **values,
    }
    return record_interview(interview=interview, by=by, **values)


def test_as4_an_assessor_schedules_the_interview_and_the_candidate_is_told(
    django_capture_on_commit_callbacks,
):
    setting = assessment(loopbaan=True, judged=0)
    with django_capture_on_commit_callbacks(execute=True):
        interview = plan(setting, online_link="https://meet.example.org/noloc")
    assert interview.state == InterviewState.SCHEDULED
    assert interview.scheduled_by == setting.assessors[0]
    event = AuditEvent.objects.get(action="interview_scheduled")
    assert event.detail["round"] == 1
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {setting.portfolio.owner.email, setting.assessors[1].email}
    to_candidate = by_address[setting.portfolio.owner.email]
    assert "10 december 2026, 14:30" in to_candidate.subject
    assert "Noloc, Utrecht" in to_candidate.body
    assert "https://meet.example.org/noloc" in to_candidate.body
    assert f"/portfolios/{setting.portfolio.pk}/" in to_candidate.body
    to_colleague = by_address[setting.assessors[1].email]
    assert f"/beoordelingen/ronde/{setting.round.pk}/gesprek/" in to_colleague.body


def test_as4_moving_the_interview_tells_the_candidate_again(django_capture_on_commit_callbacks):
    setting = assessment(loopbaan=True)
    with django_capture_on_commit_callbacks(execute=True):
        first = plan(setting)
        moved = plan(setting, by=setting.assessors[1], starts_at=STARTS + timedelta(days=1))
    assert moved.pk == first.pk and Interview.objects.count() == 1
    assert moved.starts_at == STARTS + timedelta(days=1)
    assert AuditEvent.objects.filter(action="interview_rescheduled").count() == 1
    to_candidate = [m for m in mail.outbox if m.to == [setting.portfolio.owner.email]]
    assert len(to_candidate) == 2
    assert "verplaatst" in to_candidate[1].subject and "11 december 2026" in to_candidate[1].subject


def test_as4_the_same_plan_twice_sends_nothing_more(django_capture_on_commit_callbacks):
    setting = assessment(loopbaan=True)
    with django_capture_on_commit_callbacks(execute=True):
        plan(setting)
        plan(setting)
    assert Interview.objects.count() == 1
    assert AuditEvent.objects.filter(action__startswith="interview_").count() == 1
    assert len(mail.outbox) == 2  # the candidate and the other assessor, once


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"starts_at": None}, "starts_at"),
        ({"starts_at": NOW}, "starts_at"),
        ({"starts_at": NOW - timedelta(days=1)}, "starts_at"),
        ({"location": " ", "online_link": ""}, "location"),
        ({"online_link": "meet.example.org"}, "online_link"),
        ({"online_link": "javascript:alert(1)"}, "online_link"),
    ],
)
def test_as4_what_a_plan_needs(values, field):
    setting = assessment(loopbaan=True)
    with pytest.raises(InterviewError) as refused:
        plan(setting, **values)
    assert refused.value.field == field
    assert not Interview.objects.exists()


@pytest.mark.parametrize("state", [AssignmentState.PENDING_DECLARATION, AssignmentState.DECLINED])
def test_as4_an_assessor_who_did_not_declare_does_not_plan(state):
    setting = assessment(loopbaan=True, judged=0)
    setting.assignments[0].state = state
    setting.assignments[0].save()
    with pytest.raises(InterviewError, match="Alleen een assessor"):
        plan(setting)


@pytest.mark.parametrize("who", ["unassigned", "owner", "coordinator"])
def test_as4_only_an_assessor_of_the_round_plans(who):
    setting = assessment(loopbaan=True)
    by = {
        "unassigned": user_with(Role.ASSESSOR),
        "owner": setting.portfolio.owner,
        "coordinator": user_with(Role.CERTIFICATION_COORDINATOR),
    }[who]
    with pytest.raises(InterviewError, match="Alleen een assessor"):
        plan(setting, by=by)
    assert not Interview.objects.exists()


def test_as4_a_jobcoach_round_has_no_interview():
    setting = assessment()
    with pytest.raises(InterviewError, match="geen gesprek"):
        plan(setting)


@pytest.mark.parametrize(
    "state",
    [
        PortfolioState.SUBMITTED,
        PortfolioState.SUPPLEMENT_REQUESTED,
        PortfolioState.ADVISED,
        PortfolioState.DECIDED,
        PortfolioState.WITHDRAWN,
    ],
)
def test_as4_no_interview_planned_outside_the_assessment(state):
    setting = assessment(loopbaan=True, state=state)
    with pytest.raises(InterviewError, match="niet meer in beoordeling"):
        plan(setting)


def test_as4_an_earlier_round_is_not_planned():
    setting = assessment(loopbaan=True)
    AssessmentRound.objects.create(portfolio=setting.portfolio, number=2)
    with pytest.raises(InterviewError, match="niet meer in beoordeling"):
        plan(setting)


def test_as4_the_interview_is_recorded_with_notes_per_criterion():
    setting = assessment(loopbaan=True)
    interview = plan(setting)
    held = hold(interview, setting.assessors[1])
    assert held.state == InterviewState.HELD and held.held_on == date(2026, 12, 10)
    assert held.recorded_by == setting.assessors[1]
    assert dict(held.criterion_notes.values_list("criterion", "notes")) == {
        "task_3": "Sterk in het afronden van trajecten."
    }
    assert AuditEvent.objects.filter(action="interview_recorded").count() == 1


def test_as4_recording_twice_keeps_one_record():
    setting = assessment(loopbaan=True)
    interview = plan(setting)
    hold(interview, setting.assessors[0])
    again = hold(interview, setting.assessors[1])
    assert again.recorded_by == setting.assessors[0]
    assert AuditEvent.objects.filter(action="interview_recorded").count() == 1
    with pytest.raises(InterviewError, match="al vastgelegd door"):
        hold(interview, setting.assessors[1], notes="Een ander verslag.")
    with pytest.raises(InterviewError, match="al gehouden"):
        plan(setting, starts_at=STARTS + timedelta(days=3))


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"held_on": None}, "held_on"),
        ({"held_on": date(2026, 12, 12)}, "held_on"),
        ({"notes": "  "}, "notes"),
        ({"criterion_notes": {"nonsense": "Iets"}}, None),
    ],
)
def test_as4_what_a_record_needs(values, field):
    setting = assessment(loopbaan=True)
    interview = plan(setting)
    with pytest.raises(InterviewError) as refused:
        hold(interview, setting.assessors[0], **values)
    assert refused.value.field == field
    interview.refresh_from_db()
    assert interview.state == InterviewState.SCHEDULED
    assert not interview.criterion_notes.exists()


def test_as4_only_an_assessor_of_the_round_records():
    setting = assessment(loopbaan=True)
    interview = plan(setting)
    with pytest.raises(InterviewError, match="Alleen een assessor"):
        hold(interview, user_with(Role.ASSESSOR))
    with pytest.raises(InterviewError, match="Alleen een assessor"):
        hold(interview, setting.portfolio.owner)


def test_as4_no_record_once_the_portfolio_left_the_assessment():
    setting = assessment(loopbaan=True)
    interview = plan(setting)
    setting.portfolio.state = PortfolioState.ADVISED
    setting.portfolio.save()
    with pytest.raises(InterviewError, match="niet meer in beoordeling"):
        hold(interview, setting.assessors[0])


# --- Races on PostgreSQL -----------------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_as4_both_assessors_planning_at_once_make_one_interview():
    setting = assessment(loopbaan=True)
    results = in_threads(
        lambda: plan(setting, by=setting.assessors[0]),
        lambda: plan(setting, by=setting.assessors[1]),
    )
    assert all(isinstance(result, Interview) for result in results), results
    assert Interview.objects.count() == 1
    assert AuditEvent.objects.filter(action="interview_scheduled").count() == 1
    assert not AuditEvent.objects.filter(action="interview_rescheduled").exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_as4_both_assessors_recording_at_once_make_one_record():
    setting = assessment(loopbaan=True)
    interview = plan(setting)
    results = in_threads(
        lambda: hold(interview, setting.assessors[0]),
        lambda: hold(interview, setting.assessors[1], notes="Een eigen verslag."),
    )
    kept = [result for result in results if isinstance(result, Interview)]
    refused = [result for result in results if isinstance(result, InterviewError)]
    assert len(kept) == 1 and len(refused) == 1, results
    assert AuditEvent.objects.filter(action="interview_recorded").count() == 1
    assert Interview.objects.get().recorded_by == kept[0].recorded_by
