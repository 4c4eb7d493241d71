"""Demo data: the submitted demo portfolio is assigned to assessor@example.org."""

from assessments.services import assign_assessor
from portfolios.models import Portfolio, PortfolioState


def seed(users: dict) -> None:
    portfolio = (
        Portfolio.objects.filter(owner=users["professional"], state=PortfolioState.SUBMITTED)
        .order_by("pk")
        .first()
    )
    if portfolio is None:
        return
    round_ = portfolio.rounds.order_by("-number").first()
    assign_assessor(round=round_, assessor=users["assessor"], by=users["certification"])
