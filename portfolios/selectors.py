"""Read queries shared by the portfolio pages, the API and the PDFs."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from noloc_portal.prepared import PreparedQuery
from portfolios import registry
from portfolios.models import Portfolio, PortfolioState, Submission


def portfolios_of(user):
    """The user's portfolios, newest first, with what each framework's summary line reads."""
    annotations: dict[str, Any] = {}
    for framework in registry.frameworks():
        if framework.list_annotations is not None:
            annotations |= framework.list_annotations()
    return (
        Portfolio.objects.filter(owner=user)
        .select_related(*registry.summary_related())
        .annotate(**annotations)
        .order_by("-created_at")
    )


_OWN_PORTFOLIOS = PreparedQuery(
    lambda owner: portfolios_of(owner), depends_on=registry.codes, owner=int
)


def own_portfolios(user) -> list[Portfolio]:
    """:func:`portfolios_of` evaluated, its SQL compiled once per process (the start page)."""
    return _OWN_PORTFOLIOS(owner=user.pk)


def count_per_portfolio(queryset: QuerySet) -> Coalesce:
    """The number of rows of ``queryset`` that belong to the outer portfolio: a correlated
    subquery, so counting several kinds of rows never multiplies a join (style §5)."""
    rows = (
        queryset.filter(portfolio=OuterRef("pk"))
        .order_by()
        .values("portfolio")
        # COUNT(*), not of a column: PostgreSQL counts from the index on the portfolio alone.
        .annotate(count=Count("*"))
        .values("count")
    )
    return Coalesce(Subquery(rows), 0)


def previous_portfolio(user, *, before: Portfolio | None = None) -> Portfolio | None:
    """The owner's most recent earlier portfolio that went through assessment (JC-A2 shows its
    development plan next to the look-back)."""
    candidates = Portfolio.objects.filter(owner=user).filter(
        Q(state=PortfolioState.DECIDED) | Q(state=PortfolioState.ADVISED)
    )
    if before is not None:
        candidates = candidates.exclude(pk=before.pk).filter(created_at__lt=before.created_at)
    return candidates.order_by("-created_at").first()


_SUBMISSIONS = PreparedQuery(
    lambda portfolio: Submission.objects.filter(portfolio_id=portfolio).order_by("-number"),
    portfolio=int,
)


def latest_submission(portfolio: Portfolio) -> Submission | None:
    """``portfolio.submissions.order_by("-number").first()``, compiled once per process: every
    overview shows it."""
    found = _SUBMISSIONS.rows(0, 1, portfolio=portfolio.pk)
    if not found:
        return None
    submission = found[0]
    Submission.portfolio.field.set_cached_value(submission, portfolio)
    return submission
