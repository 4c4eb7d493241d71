"""Read queries shared by the portfolio pages, the API and the PDFs."""

from __future__ import annotations

from django.db.models import Count, Q

from portfolios import registry
from portfolios.jobcoach.models import PEActivity, ReflectionMeeting
from portfolios.models import Portfolio, PortfolioState


def portfolios_of(user):
    return (
        Portfolio.objects.filter(owner=user)
        .select_related(*registry.summary_related())
        .annotate(
            meeting_count=Count("reflection_meetings", distinct=True),
            activity_count=Count("pe_activities", distinct=True),
        )
        .order_by("-created_at")
    )


def previous_portfolio(user, *, before: Portfolio | None = None) -> Portfolio | None:
    """The owner's most recent earlier portfolio that went through assessment (JC-A2 shows its
    development plan next to the look-back)."""
    candidates = Portfolio.objects.filter(owner=user).filter(
        Q(state=PortfolioState.DECIDED) | Q(state=PortfolioState.ADVISED)
    )
    if before is not None:
        candidates = candidates.exclude(pk=before.pk).filter(created_at__lt=before.created_at)
    return candidates.order_by("-created_at").first()


def meetings_of(portfolio: Portfolio):
    return (
        ReflectionMeeting.objects.filter(portfolio=portfolio)
        .select_related("statement")
        .prefetch_related("confirmations")
    )


def activities_of(portfolio: Portfolio):
    # Same order as the snapshot, so the engine's activity index matches the row.
    return PEActivity.objects.filter(portfolio=portfolio).select_related("evidence").order_by("pk")
