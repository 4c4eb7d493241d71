"""Rounds in the state the advice and the interview start from, written as rows: the judging
itself has services of its own and tests of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from assessments.models import (
    AssessmentRound,
    Assignment,
    AssignmentState,
    Interview,
    InterviewState,
    Judgement,
    Verdict,
)
from portfolios.models import Portfolio, PortfolioState
from portfolios.registry import framework_version
from tests.factories import Role, user_with
from tests.portfolios.factories import LoopbaanPortfolioFactory, PortfolioFactory


@dataclass
class Setting:
    round: AssessmentRound
    portfolio: Portfolio
    assessors: list
    assignments: list[Assignment]


def criteria_of(portfolio: Portfolio):
    return framework_version(portfolio.framework, version=portfolio.framework_version).criteria


def judge(assignment: Assignment, verdicts: dict[str, str] | None = None, *, finish=True):
    """Judgements for every criterion (``verdicts`` overrides "meets" per key); with ``finish``
    the assignment is judged."""
    verdicts = verdicts or {}
    for criterion in criteria_of(assignment.round.portfolio):
        verdict = verdicts.get(criterion.key, Verdict.MEETS)
        Judgement.objects.create(
            assignment=assignment,
            criterion=criterion.key,
            verdict=verdict,
            explanation=""
            if verdict == Verdict.MEETS
            else f"Toelichting van {assignment.assessor.full_name} bij {criterion.key}",
        )
    if finish:
        assignment.state = AssignmentState.JUDGED
        assignment.judged_at = timezone.now()
        assignment.save(update_fields=["state", "judged_at"])


def assessment(
    *,
    loopbaan: bool = False,
    judged: int | None = None,
    state: str = PortfolioState.IN_ASSESSMENT,
    verdicts: list[dict[str, str]] | None = None,
) -> Setting:
    """A portfolio in assessment with its round and declared assessors (one for Jobcoach, two
    for Loopbaanprofessional); the first ``judged`` of them (default: all) judged, each with
    its ``verdicts``."""
    factory = LoopbaanPortfolioFactory if loopbaan else PortfolioFactory
    portfolio = factory(state=state, submitted_at=timezone.now())
    round_ = AssessmentRound.objects.create(portfolio=portfolio, number=1)
    count = 2 if loopbaan else 1
    judged = count if judged is None else judged
    assessors, assignments = [], []
    for index in range(count):
        assessor = user_with(Role.ASSESSOR)
        assignment = Assignment.objects.create(
            round=round_,
            assessor=assessor,
            state=AssignmentState.JUDGING,
            declared_at=timezone.now(),
        )
        judge(assignment, (verdicts or [])[index] if verdicts else None, finish=index < judged)
        assessors.append(assessor)
        assignments.append(assignment)
    return Setting(round_, portfolio, assessors, assignments)


def held_interview(round_: AssessmentRound, by, *, notes: dict[str, str] | None = None):
    interview = Interview.objects.create(
        round=round_,
        starts_at=timezone.now() - timedelta(days=1),
        location="Utrecht, Noloc-kantoor",
        scheduled_by=by,
        state=InterviewState.HELD,
        held_on=date.today() - timedelta(days=1),
        notes="Open gesprek over beide casussen.",
        recorded_by=by,
    )
    for key, text in (notes or {}).items():
        interview.criterion_notes.create(criterion=key, notes=text)
    return interview
