"""Pure rule functions of KK-2 … KK-9: no ORM, no request, "today" passed in.

Rule values come from a ``CircleRules`` row (``rules_for(year)``); the functions take the numbers
they need so they can be tested table-driven without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from kwaliteitskringen.models import CircleRules, StaffelMethod
from noloc_portal.prepared import PreparedQuery

CENT = Decimal("0.01")


def _rules_until(year) -> QuerySet[CircleRules]:
    return CircleRules.objects.filter(effective_year__lte=year).order_by("-effective_year")


# Every dashboard tab and the circle page ask this: compiled once per process.
_RULES_UNTIL = PreparedQuery(_rules_until, year=int)


def rules_for(year: int) -> CircleRules:
    """The rule values that apply in ``year``: the newest row not later than it, else defaults."""
    rules = next(iter(_RULES_UNTIL.rows(0, 1, year=year)), None)
    return rules or CircleRules(effective_year=year)


def staffel_amount(
    *, full_amount: Decimal, started_on: date, year: int, method: str
) -> tuple[Decimal, int]:
    """KK-9 staffel: the subsidy for ``year`` and the number of months it covers.

    A circle started before ``year`` gets the full amount; one started later gets nothing. One
    started during the year gets a part (domain Decision): by default the whole months left in
    the year after the start month, so a start in March covers April–December, 9/12.
    """
    if started_on.year < year or method == StaffelMethod.NONE:
        return full_amount, 12
    if started_on.year > year:
        return Decimal("0.00"), 0
    months = 12 - started_on.month
    if method == StaffelMethod.MONTHS_INCLUDING_START:
        months += 1
    amount = (full_amount * months / 12).quantize(CENT, rounding=ROUND_HALF_UP)
    return amount, months


def claim_deadline(year: int) -> date:
    """KK-9: a claim for ``year`` must be in before the calendar year ends (31 December)."""
    return date(year, 12, 31)


def claim_deadline_passed(*, year: int, as_of: date) -> bool:
    return as_of > claim_deadline(year)


def attendance_runs(sequence: Sequence[bool | None]) -> tuple[int, int]:
    """Longest run of consecutive presences and of consecutive absences in ``sequence``.

    ``sequence`` holds one entry per held meeting of the circle in date order: True (present),
    False (absent) or None (not expected, e.g. not yet a member), which breaks a run.
    """
    longest_present = longest_absent = present = absent = 0
    for entry in sequence:
        present = present + 1 if entry is True else 0
        absent = absent + 1 if entry is False else 0
        longest_present = max(longest_present, present)
        longest_absent = max(longest_absent, absent)
    return longest_present, longest_absent


def absent_twice_in_a_row(sequence: Sequence[bool | None]) -> bool:
    """KK-3: absent at two consecutive meetings."""
    return attendance_runs(sequence)[1] >= 2


def trial_attended(sequence: Sequence[bool | None], *, trial_meetings: int) -> bool:
    """KK-5: the applicant attended ``trial_meetings`` consecutive meetings."""
    return attendance_runs(sequence)[0] >= trial_meetings


def hosting_due(*, last_hosted: date | None, as_of: date, interval_years: int) -> bool:
    """KK-7: each member hosts an evening once every one to two years; never hosted is due."""
    if last_hosted is None:
        return True
    year = last_hosted.year + interval_years
    if year > date.max.year:
        # A meeting stored at the end of the calendar (9999): its turn never comes round.
        return False
    try:
        limit = last_hosted.replace(year=year)
    except ValueError:  # 29 February
        limit = date(year, 3, 1)
    return as_of >= limit
