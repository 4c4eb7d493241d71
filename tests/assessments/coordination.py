"""Rows the certification coordinator's tests start from. The assessors' and the advice's own
services are not used: the rows are written as those would leave them."""

from __future__ import annotations

from datetime import date

from assessments.models import Advice, AssessmentRound, Assignment, AssignmentState
from portfolios.models import Portfolio, PortfolioState
from tests.factories import Role, user_with
from tests.portfolios.factories import PortfolioFactory


def round_of(portfolio: Portfolio, number: int = 1) -> AssessmentRound:
    return AssessmentRound.objects.create(portfolio=portfolio, number=number)


def submitted_round(factory=PortfolioFactory, **kwargs) -> AssessmentRound:
    return round_of(factory(state=PortfolioState.SUBMITTED, **kwargs))


def assign(round_: AssessmentRound, assessor=None, state=AssignmentState.JUDGING) -> Assignment:
    return Assignment.objects.create(
        round=round_, assessor=assessor or user_with(Role.ASSESSOR), state=state
    )


def advised_portfolio(factory=PortfolioFactory, outcome="positive", **kwargs) -> Portfolio:
    """A portfolio whose latest round ended in an advice of ``outcome``."""
    portfolio = factory(state=PortfolioState.ADVISED, **kwargs)
    round_ = round_of(portfolio)
    assignment = assign(round_, state=AssignmentState.JUDGED)
    Advice.objects.create(
        round=round_,
        outcome=outcome,
        motivation="Het portfolio laat overtuigend zien dat aan de criteria is voldaan.",
        development_advice="Verdiep de reflectie op eigen handelen.",
        supplement_deadline=date(2026, 12, 31) if outcome == "supplement" else None,
        advised_by=assignment.assessor,
    )
    return portfolio


def advised_on(portfolio: Portfolio, day) -> None:
    """Date the advice of the latest round ``day`` (a decision may not precede its advice)."""
    from datetime import datetime, time

    from django.utils import timezone

    moment = timezone.make_aware(datetime.combine(day, time(12, 0)))
    Advice.objects.filter(round__portfolio=portfolio).update(advised_at=moment)
