from assessments.models import Assignment, AssignmentState
from portfolios.models import Portfolio, PortfolioState


def assignments_of(user):
    return (
        Assignment.objects.filter(assessor=user)
        .exclude(state=AssignmentState.DECLINED)
        .select_related("round__portfolio__owner")
        .order_by("-assigned_at")
    )


def portfolios_for_certification():
    """Every portfolio past the draft stage, with its rounds and assessors."""
    return (
        Portfolio.objects.exclude(state__in=[PortfolioState.DRAFT, PortfolioState.WITHDRAWN])
        .select_related("owner")
        .prefetch_related("rounds__assignments__assessor")
        .order_by("submitted_at")
    )
