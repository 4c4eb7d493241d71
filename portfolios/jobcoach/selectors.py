"""Register Jobcoach read queries: the portfolio list line, meetings and PE activities."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from noloc_portal.lists import PER_PAGE
from noloc_portal.prepared import PreparedQuery
from portfolios.jobcoach.models import PEActivity, ReflectionMeeting
from portfolios.jobcoach.snapshot import UNSHOWN_ACTIVITY_COLUMNS, jobcoach_details
from portfolios.models import Portfolio
from portfolios.selectors import count_per_portfolio


def list_annotations() -> dict[str, Any]:
    return {
        "meeting_count": count_per_portfolio(ReflectionMeeting.objects.all()),
        "activity_count": count_per_portfolio(PEActivity.objects.all()),
    }


def summary(portfolio: Portfolio) -> str:
    """The list's line for a portfolio annotated by :func:`list_annotations` (its details row
    joined through ``summary_related``)."""
    meetings, activities = portfolio.meeting_count, portfolio.activity_count
    parts = []
    recertification = jobcoach_details(portfolio).recertification_date
    if recertification:
        parts.append(
            _("hercertificering %(date)s") % {"date": date_format(recertification, "j F Y")}
        )
    parts += [
        ngettext("%(n)s bijeenkomst", "%(n)s bijeenkomsten", meetings) % {"n": meetings},
        ngettext("%(n)s PE-activiteit", "%(n)s PE-activiteiten", activities) % {"n": activities},
    ]
    return " · ".join(parts)


def meetings_of(portfolio: Portfolio):
    return (
        ReflectionMeeting.objects.filter(portfolio=portfolio)
        .select_related("statement")
        .prefetch_related("confirmations")
    )


def activities_of(portfolio: Portfolio):
    # Same order as the snapshot, so the engine's activity index matches the row.
    return PEActivity.objects.filter(portfolio=portfolio).select_related("evidence").order_by("pk")


# The ids the overview's links name the rows by, in the snapshot's order; compiled once.
_MEETING_IDS = PreparedQuery(
    lambda portfolio: ReflectionMeeting.objects.filter(portfolio_id=portfolio).values_list(
        "pk", flat=True
    ),
    portfolio=int,
)
_ACTIVITY_IDS = PreparedQuery(
    lambda portfolio: PEActivity.objects.filter(portfolio_id=portfolio).values_list(
        "pk", flat=True
    ),
    portfolio=int,
)


def meeting_ids(portfolio: Portfolio) -> list[int]:
    """``portfolio.reflection_meetings.values_list("pk", flat=True)``."""
    return _MEETING_IDS(portfolio=portfolio.pk)


def activity_ids(portfolio: Portfolio) -> list[int]:
    """``portfolio.pe_activities.values_list("pk", flat=True)``."""
    return _ACTIVITY_IDS(portfolio=portfolio.pk)


# A page of the PE register shows at most PER_PAGE activities. Their ids take as many fixed places
# in the query that reads them (where a page is shorter, negative numbers no activity has, each
# different, so that the ORM keeps every place), so that one compiled query serves every page.
_PAGE_PLACES = tuple(f"activity_{n}" for n in range(PER_PAGE))


def _activities_of_page(**ids: int):
    # By id alone, unordered: the plan PostgreSQL keeps for the prepared statement then looks the
    # ids up in the primary key. With the portfolio as well it read all of the portfolio's
    # activities by its index to keep 50 (0.75 ms at 1,000 activities), and the ordering joined
    # the portfolio; the portfolio is checked on the rows instead.
    return (
        PEActivity.objects.filter(pk__in=[ids[p] for p in _PAGE_PLACES])
        .select_related("evidence")
        .defer(*UNSHOWN_ACTIVITY_COLUMNS)
        .order_by()
    )


_PAGE_ACTIVITIES = PreparedQuery(_activities_of_page, **dict.fromkeys(_PAGE_PLACES, int))


def activities_by_pk(portfolio: Portfolio, pks: list[int]) -> dict[int, PEActivity]:
    """The activities ``pks`` of the portfolio (a page of the register: at most PER_PAGE), with
    their evidence, by id; an id that is not (or no longer) the portfolio's is left out."""
    if len(pks) > len(_PAGE_PLACES):
        raise ValueError(f"a page of the register holds at most {len(_PAGE_PLACES)} activities")
    if not pks:
        return {}
    filler = (-n for n in range(1, len(_PAGE_PLACES) + 1))
    ids = dict(zip(_PAGE_PLACES, [*pks, *filler], strict=False))
    return {
        activity.pk: activity
        for activity in _PAGE_ACTIVITIES(**ids)
        if activity.portfolio_id == portfolio.pk
    }
