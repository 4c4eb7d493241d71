"""The assessor's transitions (AS-2, AS-3): declare, decline, draft judgements, finish."""

import threading

import pytest
from django.core import mail
from django.db import connection

from assessments.models import AssignmentState, Judgement, Verdict
from assessments.services import (
    JudgingError,
    declare_no_conflict,
    decline_assignment,
    finish_judging,
    judged_criteria,
    save_judgements,
)
from portfolios.models import AuditEvent, PortfolioState
from portfolios.permissions import can_view_portfolio
from tests.assessments.judging import assigned
from tests.factories import Role, user_with

pytestmark = pytest.mark.django_db


def all_meet(assignment):
    return {criterion.key: (Verdict.MEETS, "") for criterion in judged_criteria(assignment)}


def test_as2_portfolio_opens_to_the_assessor_only_after_declaring(assessor):
    assignment = assigned(assessor)
    portfolio = assignment.round.portfolio
    assert not can_view_portfolio(assessor, portfolio)
    declare_no_conflict(assignment=assignment, by=assessor)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.JUDGING
    assert assignment.declared_at is not None
    assert can_view_portfolio(assessor, portfolio)
    assert (
        AuditEvent.objects.filter(portfolio=portfolio, action="no_conflict_declared").count() == 1
    )


def test_as2_declaring_twice_is_one_transition(assessor):
    assignment = assigned(assessor)
    first = declare_no_conflict(assignment=assignment, by=assessor)
    second = declare_no_conflict(assignment=assignment, by=assessor)
    assert first.declared_at == second.declared_at
    assert AuditEvent.objects.filter(action="no_conflict_declared").count() == 1


def test_as2_only_the_assigned_assessor_declares(assessor):
    assignment = assigned(assessor)
    for someone in (
        user_with(Role.ASSESSOR),
        user_with(Role.CERTIFICATION_COORDINATOR),
        assignment.round.portfolio.owner,
    ):
        with pytest.raises(JudgingError, match="toegewezen assessor"):
            declare_no_conflict(assignment=assignment, by=someone)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.PENDING_DECLARATION


def test_as2_decline_tells_the_coordinators_and_keeps_the_portfolio_closed(
    assessor, django_capture_on_commit_callbacks
):
    assignment = assigned(assessor)
    coordinator = user_with(Role.CERTIFICATION_COORDINATOR)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decline_assignment(assignment=assignment, by=assessor, reason="Oud-collega van mij.")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.DECLINED
    assert assignment.decline_reason == "Oud-collega van mij."
    assert not can_view_portfolio(assessor, assignment.round.portfolio)
    to = sorted(address for message in mail.outbox for address in message.to)
    assert coordinator.email in to
    message = next(m for m in mail.outbox if coordinator.email in m.to)
    assert "afgewezen" in message.subject.lower() or "wijst" in message.subject.lower()
    assert "Oud-collega van mij." in message.body
    assert f"/beoordelingen/certificering/{assignment.round.portfolio.pk}/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        decline_assignment(assignment=assignment, by=assessor, reason="Nog eens")
    assert AuditEvent.objects.filter(action="assignment_declined").count() == 1


def test_as2_decline_needs_a_reason(assessor):
    assignment = assigned(assessor)
    with pytest.raises(JudgingError, match="reden"):
        decline_assignment(assignment=assignment, by=assessor, reason="   ")


def test_as2_no_decline_after_declaring_and_no_declaring_after_decline(assessor):
    declared = assigned(assessor, declared=True)
    with pytest.raises(JudgingError, match="al verklaard"):
        decline_assignment(assignment=declared, by=assessor, reason="Toch niet")
    other = assigned(assessor)
    decline_assignment(assignment=other, by=assessor, reason="Ken de kandidaat")
    with pytest.raises(JudgingError, match="afgewezen"):
        declare_no_conflict(assignment=other, by=assessor)


def test_as3_judging_refused_before_declaring(assessor):
    assignment = assigned(assessor)
    with pytest.raises(JudgingError, match="Verklaar eerst"):
        save_judgements(assignment=assignment, by=assessor, values={})
    with pytest.raises(JudgingError, match="Verklaar eerst"):
        finish_judging(assignment=assignment, by=assessor)


def test_as3_drafts_are_saved_and_changed(assessor):
    assignment = assigned(assessor, declared=True)
    save_judgements(assignment=assignment, by=assessor, values={"a1": ("", "Half gelezen")})
    save_judgements(
        assignment=assignment, by=assessor, values={"a1": (Verdict.DOES_NOT_MEET, "Niet getekend")}
    )
    judgement = Judgement.objects.get(assignment=assignment, criterion="a1")
    assert (judgement.verdict, judgement.explanation) == (Verdict.DOES_NOT_MEET, "Niet getekend")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.JUDGING


def test_as3_unknown_criterion_is_refused(assessor):
    assignment = assigned(assessor, declared=True)
    with pytest.raises(JudgingError, match="Onbekend criterium"):
        save_judgements(assignment=assignment, by=assessor, values={"zz": (Verdict.MEETS, "")})


def test_as3_finish_names_each_criterion_without_verdict_or_explanation(assessor):
    assignment = assigned(assessor, declared=True)
    values = all_meet(assignment)
    values["a1"] = ("", "")
    values["b"] = (Verdict.SUPPLEMENT_NEEDED, "  ")
    values["a4"] = (Verdict.DOES_NOT_MEET, "")
    save_judgements(assignment=assignment, by=assessor, values=values)
    with pytest.raises(JudgingError) as refused:
        finish_judging(assignment=assignment, by=assessor)
    errors = refused.value.errors
    assert set(errors) == {"a1", "b", "a4"}
    assert "Kies een oordeel bij A1" in errors["a1"]
    assert "Licht je oordeel bij B Permanente educatie toe" in errors["b"]
    assert "A4" in errors["a4"]
    assert "3 criteria" in str(refused.value)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.JUDGING and assignment.judged_at is None


def test_as3_finish_marks_judged_once_and_freezes_the_judgements(assessor):
    assignment = assigned(assessor, declared=True)
    values = all_meet(assignment)
    values["b"] = (Verdict.SUPPLEMENT_NEEDED, "Bewijs van de cursus ontbreekt.")
    save_judgements(assignment=assignment, by=assessor, values=values)
    finish_judging(assignment=assignment, by=assessor)
    again = finish_judging(assignment=assignment, by=assessor)
    assert again.state == AssignmentState.JUDGED and again.judged_at is not None
    event = AuditEvent.objects.get(action="judgement_finished")
    assert event.actor == assessor
    assert event.detail["verdicts"]["b"] == Verdict.SUPPLEMENT_NEEDED
    with pytest.raises(JudgingError, match="afgerond"):
        save_judgements(assignment=assignment, by=assessor, values={"b": (Verdict.MEETS, "")})
    assert Judgement.objects.get(assignment=assignment, criterion="b").verdict == (
        Verdict.SUPPLEMENT_NEEDED
    )


def test_as3_jc_a2_is_not_judged_when_exempt(assessor):
    assignment = assigned(assessor, declared=True)
    rules = assignment.round.submission.evaluation["rules"]
    exempt = any(r["id"] == "JC-A2" and r["status"] == "exempt" for r in rules)
    keys = [criterion.key for criterion in judged_criteria(assignment)]
    assert ("a2" in keys) is not exempt
    for rule in rules:
        if rule["id"] == "JC-A2":
            rule["status"] = "exempt"
    assignment.round.submission.save()
    assignment.refresh_from_db()
    assert "a2" not in [criterion.key for criterion in judged_criteria(assignment)]
    save_judgements(assignment=assignment, by=assessor, values=all_meet(assignment))
    finish_judging(assignment=assignment, by=assessor)
    assert assignment.judgements.filter(criterion="a2").count() == 0


def test_as3_loopbaan_criteria_all_have_to_be_judged(assessor):
    assignment = assigned(assessor, loopbaan=True, declared=True)
    keys = [criterion.key for criterion in judged_criteria(assignment)]
    assert keys[:2] == ["education", "experience"] and "attitude" in keys
    save_judgements(assignment=assignment, by=assessor, values={"education": (Verdict.MEETS, "")})
    with pytest.raises(JudgingError) as refused:
        finish_judging(assignment=assignment, by=assessor)
    assert len(refused.value.errors) == len(keys) - 1


def test_as3_judging_stops_when_the_portfolio_left_assessment(assessor):
    assignment = assigned(assessor, declared=True)
    portfolio = assignment.round.portfolio
    portfolio.state = PortfolioState.ADVISED
    portfolio.save()
    with pytest.raises(JudgingError, match="niet \\(meer\\) in beoordeling"):
        finish_judging(assignment=assignment, by=assessor)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_as3_finish_clicked_twice_at_once_is_one_transition(assessor):
    assignment = assigned(assessor, declared=True)
    save_judgements(assignment=assignment, by=assessor, values=all_meet(assignment))
    barrier = threading.Barrier(2)
    failures = []

    def click():
        try:
            barrier.wait()
            finish_judging(assignment=assignment, by=assessor)
        except Exception as error:  # collected and asserted below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert AuditEvent.objects.filter(action="judgement_finished").count() == 1
