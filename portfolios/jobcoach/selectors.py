"""Register Jobcoach: read queries of the portfolio list."""

from __future__ import annotations

from typing import Any

from django.utils.translation import ngettext

from portfolios.jobcoach.models import PEActivity, ReflectionMeeting
from portfolios.models import Portfolio
from portfolios.selectors import count_per_portfolio


def list_annotations() -> dict[str, Any]:
    return {
        "meeting_count": count_per_portfolio(ReflectionMeeting.objects.all()),
        "activity_count": count_per_portfolio(PEActivity.objects.all()),
    }


def summary(portfolio: Portfolio) -> str:
    """The list's line for a portfolio annotated by :func:`list_annotations`."""
    meetings, activities = portfolio.meeting_count, portfolio.activity_count
    return " · ".join(
        (
            ngettext("%(n)s bijeenkomst", "%(n)s bijeenkomsten", meetings) % {"n": meetings},
            ngettext("%(n)s PE-activiteit", "%(n)s PE-activiteiten", activities)
            % {"n": activities},
        )
    )
