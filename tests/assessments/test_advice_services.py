"""AS-5, AS-6 (and AS-4 for Loopbaanprofessional): the advice that ends a round, recorded once,
through record_advice; refused from every wrong state, a double click lands on the same advice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection

from assessments.models import (
    Advice,
    AdviceOutcome,
    AssessmentRound,
    Assignment,
    AssignmentState,
    Interview,
    InterviewState,
)
from assessments.services import AdviceError, latest_supplement_deadline, record_advice
from portfolios.models import AuditEvent, PortfolioState
from tests.assessments.rounds import assessment, held_interview
from tests.factories import Role, user_with
from tests.portfolios.test_write_services import in_threads

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)


def advise(setting, by=None, **values):
    values = {
        "outcome": AdviceOutcome.POSITIVE,
        "motivation": "Alle criteria zijn ruim aangetoond.",
        "development_advice": "Verdiep je in groepsbegeleiding.",
        "as_of": TODAY,
        **values,
    }
    return record_advice(round=setting.round, by=by or setting.assessors[0], **values)


def supplement(setting, by=None, **values):
    values = {
        "outcome": AdviceOutcome.SUPPLEMENT,
        "motivation": "Het reflectieverslag blijft bij een beschrijving.",
        "development_advice": "",
        "supplement_sections": ["a32"],
        "supplement_deadline": TODAY + timedelta(days=42),
        **values,
    }
    return advise(setting, by, **values)


@pytest.fixture
def coordinator(db):
    return user_with(Role.CERTIFICATION_COORDINATOR, email="coordinator@example.org")


# --- Jobcoach: the one assessor ----------------------------------------------------------------


@pytest.mark.parametrize("outcome", [AdviceOutcome.POSITIVE, AdviceOutcome.NEGATIVE])
def test_as5_a_judged_assessor_advises_and_the_portfolio_is_advised(
    outcome, coordinator, django_capture_on_commit_callbacks
):
    setting = assessment()
    with django_capture_on_commit_callbacks(execute=True):
        advice = advise(setting, outcome=outcome)
    assert advice.outcome == outcome and advice.advised_by == setting.assessors[0]
    assert advice.development_advice == "Verdiep je in groepsbegeleiding."
    setting.portfolio.refresh_from_db()
    assert setting.portfolio.state == PortfolioState.ADVISED
    event = AuditEvent.objects.get(portfolio=setting.portfolio, action="advised")
    assert event.actor == setting.assessors[0]
    assert event.detail == {"round": 1, "outcome": outcome}
    (message,) = mail.outbox
    assert message.to == ["coordinator@example.org"]
    assert str(setting.portfolio) in message.subject
    assert f"/portfolios/{setting.portfolio.pk}/" in message.body
    assert "Alle criteria zijn ruim aangetoond." in message.body


def test_as5_a_supplement_reopens_the_named_sections_and_tells_the_owner(
    coordinator, django_capture_on_commit_callbacks
):
    setting = assessment()
    with django_capture_on_commit_callbacks(execute=True):
        advice = supplement(setting)
    assert advice.supplement_sections == ["a32"]
    assert advice.supplement_deadline == TODAY + timedelta(days=42)
    setting.portfolio.refresh_from_db()
    assert setting.portfolio.state == PortfolioState.SUPPLEMENT_REQUESTED
    assert setting.portfolio.reopened_sections == ["a32"]
    assert setting.portfolio.is_section_editable("a32")
    assert not setting.portfolio.is_section_editable("a31")
    actions = set(
        AuditEvent.objects.filter(portfolio=setting.portfolio).values_list("action", flat=True)
    )
    assert actions == {"advised", "supplement_requested"}
    (message,) = mail.outbox
    assert message.to == [setting.portfolio.owner.email]
    assert "8 januari 2027" in message.subject
    assert "A3.2 Reflectieverslag" in message.body
    assert "Het reflectieverslag blijft bij een beschrijving." in message.body
    assert "8 januari 2027" in message.body
    assert f"/portfolios/{setting.portfolio.pk}/" in message.body


def test_as5_a_double_click_records_one_advice(django_capture_on_commit_callbacks):
    setting = assessment()
    with django_capture_on_commit_callbacks(execute=True):
        first = supplement(setting)
        second = supplement(setting)
    assert first.pk == second.pk
    assert Advice.objects.count() == 1
    assert AuditEvent.objects.filter(action="advised").count() == 1
    assert len(mail.outbox) == 1


def test_as5_a_different_second_advice_is_refused_naming_who_advised():
    setting = assessment()
    advise(setting)
    with pytest.raises(AdviceError, match="al vastgelegd door"):
        advise(setting, outcome=AdviceOutcome.NEGATIVE)
    assert Advice.objects.get().outcome == AdviceOutcome.POSITIVE


@pytest.mark.parametrize(
    "state",
    [AssignmentState.PENDING_DECLARATION, AssignmentState.JUDGING, AssignmentState.DECLINED],
)
def test_as5_no_advice_before_the_assessor_judged(state):
    setting = assessment(judged=0)
    Assignment.objects.filter(pk=setting.assignments[0].pk).update(state=state)
    with pytest.raises(AdviceError):
        advise(setting)
    assert not Advice.objects.exists()
    setting.portfolio.refresh_from_db()
    assert setting.portfolio.state == PortfolioState.IN_ASSESSMENT


@pytest.mark.parametrize("who", ["unassigned", "owner", "coordinator", "staff"])
def test_as5_only_an_assessor_of_the_round_advises(who, coordinator, staff):
    setting = assessment()
    by = {
        "unassigned": user_with(Role.ASSESSOR),
        "owner": setting.portfolio.owner,
        "coordinator": coordinator,
        "staff": staff,
    }[who]
    with pytest.raises(AdviceError, match="Alleen een assessor"):
        advise(setting, by=by)
    assert not Advice.objects.exists()


@pytest.mark.parametrize(
    "state",
    [
        PortfolioState.DRAFT,
        PortfolioState.SUBMITTED,
        PortfolioState.SUPPLEMENT_REQUESTED,
        PortfolioState.ADVISED,
        PortfolioState.DECIDED,
        PortfolioState.WITHDRAWN,
    ],
)
def test_as5_refused_from_every_other_portfolio_state(state):
    setting = assessment(state=state)
    with pytest.raises(AdviceError, match="wacht niet op een advies"):
        advise(setting)
    assert not Advice.objects.exists()
    setting.portfolio.refresh_from_db()
    assert setting.portfolio.state == state


def test_as5_only_the_current_round_is_advised():
    setting = assessment()
    AssessmentRound.objects.create(portfolio=setting.portfolio, number=2)
    with pytest.raises(AdviceError, match="wacht niet op een advies"):
        advise(setting)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"motivation": "   "}, "motivation"),
        ({"development_advice": ""}, "development_advice"),
    ],
)
def test_as5_as6_what_a_positive_advice_needs(values, field):
    setting = assessment()
    with pytest.raises(AdviceError) as refused:
        advise(setting, **values)
    assert refused.value.field == field
    assert not Advice.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"supplement_deadline": None}, "supplement_deadline", "uiterste datum"),
        ({"supplement_deadline": TODAY}, "supplement_deadline", "na vandaag"),
        ({"supplement_deadline": TODAY - timedelta(days=1)}, "supplement_deadline", "na vandaag"),
        (
            {"supplement_deadline": date(2027, 2, 28)},
            "supplement_deadline",
            "uiterlijk 27 februari 2027",
        ),
        ({"supplement_sections": []}, "supplement_sections", "onderdelen"),
        ({"supplement_sections": ["c"]}, "supplement_sections", "onderdelen"),
        ({"supplement_sections": ["education"]}, "supplement_sections", "onderdelen"),
    ],
)
def test_as5_what_a_supplement_request_needs(values, field, message):
    setting = assessment()
    with pytest.raises(AdviceError, match=message) as refused:
        supplement(setting, **values)
    assert refused.value.field == field
    assert not Advice.objects.exists()
    setting.portfolio.refresh_from_db()
    assert setting.portfolio.state == PortfolioState.IN_ASSESSMENT
    assert setting.portfolio.reopened_sections == []


def test_as5_the_latest_deadline_is_three_months_on_clamped_to_the_month():
    assert latest_supplement_deadline(date(2026, 11, 27)) == date(2027, 2, 27)
    assert latest_supplement_deadline(date(2026, 11, 30)) == date(2027, 2, 28)
    assert latest_supplement_deadline(date(2027, 11, 30)) == date(2028, 2, 29)
    setting = assessment()
    assert supplement(setting, supplement_deadline=date(2027, 2, 27)).pk


def test_as5_a_positive_advice_keeps_no_supplement_fields():
    setting = assessment()
    advice = advise(setting, supplement_sections=["a32"], supplement_deadline=TODAY)
    assert advice.supplement_sections == [] and advice.supplement_deadline is None


def test_as5_after_a_supplement_round_the_new_round_is_advised():
    setting = assessment()
    supplement(setting)
    setting.portfolio.refresh_from_db()
    setting.portfolio.state = PortfolioState.IN_ASSESSMENT
    setting.portfolio.save()
    second = AssessmentRound.objects.create(portfolio=setting.portfolio, number=2)
    Assignment.objects.create(
        round=second, assessor=setting.assessors[0], state=AssignmentState.JUDGED
    )
    advice = record_advice(
        round=second,
        by=setting.assessors[0],
        outcome=AdviceOutcome.POSITIVE,
        motivation="De aanvulling is in orde.",
        development_advice="Blijf reflecteren.",
        as_of=TODAY,
    )
    assert advice.round == second
    setting.portfolio.refresh_from_db()
    assert setting.portfolio.state == PortfolioState.ADVISED


# --- Loopbaanprofessional: joint, after both judged and the interview (AS-4) ----------------


def test_as4_no_joint_advice_while_the_other_assessor_judges():
    setting = assessment(loopbaan=True, judged=1)
    held_interview(setting.round, setting.assessors[0])
    with pytest.raises(AdviceError, match="beide assessoren"):
        advise(setting, by=setting.assessors[0])
    assert not Advice.objects.exists()


def test_as4_no_joint_advice_with_one_assessor_assigned():
    setting = assessment(loopbaan=True)
    setting.assignments[1].delete()
    held_interview(setting.round, setting.assessors[0])
    with pytest.raises(AdviceError, match="beide assessoren"):
        advise(setting)


@pytest.mark.parametrize("interview", ["none", "scheduled"])
def test_as4_no_advice_before_the_interview_was_held(interview):
    setting = assessment(loopbaan=True)
    if interview == "scheduled":
        Interview.objects.create(
            round=setting.round, starts_at="2026-12-01T10:00:00+01:00", location="Utrecht"
        )
    with pytest.raises(AdviceError, match="toetsingsgesprek"):
        advise(setting)
    assert not Advice.objects.exists()


@pytest.mark.parametrize("advisor", [0, 1])
def test_as4_either_assessor_records_the_joint_advice_once(
    advisor, django_capture_on_commit_callbacks
):
    setting = assessment(loopbaan=True)
    held_interview(setting.round, setting.assessors[0])
    with django_capture_on_commit_callbacks(execute=True):
        advice = advise(setting, by=setting.assessors[advisor])
        again = advise(setting, by=setting.assessors[1 - advisor])
    assert again.pk == advice.pk and advice.advised_by == setting.assessors[advisor]
    assert AuditEvent.objects.filter(action="advised").count() == 1
    setting.portfolio.refresh_from_db()
    assert setting.portfolio.state == PortfolioState.ADVISED


def test_as4_the_other_assessor_cannot_record_a_second_different_advice():
    setting = assessment(loopbaan=True)
    held_interview(setting.round, setting.assessors[0])
    advise(setting, by=setting.assessors[0])
    name = setting.assessors[0].full_name
    with pytest.raises(AdviceError, match=f"al vastgelegd door {name}"):
        advise(setting, by=setting.assessors[1], outcome=AdviceOutcome.NEGATIVE)


def test_as4_a_supplement_reopens_the_cases_of_a_loopbaan_portfolio():
    setting = assessment(loopbaan=True)
    held_interview(setting.round, setting.assessors[1])
    supplement(setting, supplement_sections=["cases", "experience"])
    setting.portfolio.refresh_from_db()
    assert set(setting.portfolio.reopened_sections) == {"cases", "experience"}


def test_as4_an_interview_held_in_an_earlier_round_counts():
    setting = assessment(loopbaan=True)
    held_interview(setting.round, setting.assessors[0])
    supplement(setting, supplement_sections=["cases"])
    setting.portfolio.refresh_from_db()
    setting.portfolio.state = PortfolioState.IN_ASSESSMENT
    setting.portfolio.save()
    second = AssessmentRound.objects.create(portfolio=setting.portfolio, number=2)
    for assessor in setting.assessors:
        Assignment.objects.create(round=second, assessor=assessor, state=AssignmentState.JUDGED)
    advice = record_advice(
        round=second,
        by=setting.assessors[1],
        outcome=AdviceOutcome.POSITIVE,
        motivation="Aangevuld en in orde.",
        development_advice="Verdiep de arbeidsmarktkennis.",
        as_of=TODAY,
    )
    assert advice.round == second
    assert Interview.objects.get().state == InterviewState.HELD


# --- Races on PostgreSQL -----------------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_as4_both_assessors_at_once_make_one_advice():
    setting = assessment(loopbaan=True)
    held_interview(setting.round, setting.assessors[0])
    results = in_threads(
        lambda: advise(setting, by=setting.assessors[0]),
        lambda: advise(setting, by=setting.assessors[1], outcome=AdviceOutcome.NEGATIVE),
    )
    advices = [result for result in results if isinstance(result, Advice)]
    refusals = [result for result in results if isinstance(result, AdviceError)]
    assert len(advices) == 1 and len(refusals) == 1, results
    assert "al vastgelegd door" in str(refusals[0])
    assert Advice.objects.count() == 1
    assert AuditEvent.objects.filter(action="advised").count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_as5_a_double_click_at_once_makes_one_supplement_request():
    setting = assessment()
    results = in_threads(lambda: supplement(setting), lambda: supplement(setting))
    assert all(isinstance(result, Advice) for result in results), results
    assert results[0].pk == results[1].pk
    assert AuditEvent.objects.filter(action="supplement_requested").count() == 1
