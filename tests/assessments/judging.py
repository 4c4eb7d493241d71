"""Rounds ready for an assessor, through the real submit and assign services."""

from assessments.models import AssessmentRound, Assignment, AssignmentState
from assessments.services import assign_assessor, declare_no_conflict
from portfolios.services import submit_portfolio
from tests.factories import Role, user_with
from tests.portfolios.factories import complete_loopbaan_portfolio, complete_portfolio


def assigned(assessor, *, loopbaan: bool = False, declared: bool = False) -> Assignment:
    """A complete portfolio, submitted by its owner and assigned to ``assessor``."""
    portfolio = complete_loopbaan_portfolio() if loopbaan else complete_portfolio()
    submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    round_ = AssessmentRound.objects.get(portfolio=portfolio)
    coordinator = user_with(Role.CERTIFICATION_COORDINATOR)
    assignment = assign_assessor(round=round_, assessor=assessor, by=coordinator)
    if declared:
        assignment = declare_no_conflict(assignment=assignment, by=assessor)
    assert assignment.state == (
        AssignmentState.JUDGING if declared else AssignmentState.PENDING_DECLARATION
    )
    return assignment
