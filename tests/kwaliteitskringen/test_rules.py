"""The pure rules of KK-3, KK-5, KK-7 and KK-9, table-driven, no database."""

from datetime import date
from decimal import Decimal

import pytest

from kwaliteitskringen import rules
from kwaliteitskringen.models import StaffelMethod

FULL = Decimal("250.00")
P, A, X = True, False, None  # present, absent, not expected


@pytest.mark.parametrize(
    ("started_on", "expected", "months"),
    [
        (date(2025, 6, 1), Decimal("250.00"), 12),  # started the year before: full amount
        (date(2026, 1, 15), Decimal("229.17"), 11),  # February–December
        (date(2026, 3, 1), Decimal("187.50"), 9),  # April–December
        (date(2026, 3, 31), Decimal("187.50"), 9),  # the day within the month does not count
        (date(2026, 6, 30), Decimal("125.00"), 6),
        (date(2026, 11, 2), Decimal("20.83"), 1),
        (date(2026, 12, 1), Decimal("0.00"), 0),  # no whole month left
        (date(2027, 2, 1), Decimal("0.00"), 0),  # not started yet
    ],
)
def test_kk9_staffel_pro_rata_by_whole_months_after_the_start_month(started_on, expected, months):
    assert rules.staffel_amount(
        full_amount=FULL, started_on=started_on, year=2026, method=StaffelMethod.MONTHS_AFTER_START
    ) == (expected, months)


def test_kk9_staffel_is_a_rule_value_the_admin_can_change():
    started = date(2026, 3, 1)
    assert rules.staffel_amount(
        full_amount=FULL, started_on=started, year=2026, method=StaffelMethod.MONTHS_INCLUDING_START
    ) == (Decimal("208.33"), 10)
    assert rules.staffel_amount(
        full_amount=FULL, started_on=started, year=2026, method=StaffelMethod.NONE
    ) == (FULL, 12)


@pytest.mark.parametrize(
    ("as_of", "passed"),
    [(date(2026, 12, 30), False), (date(2026, 12, 31), False), (date(2027, 1, 1), True)],
)
def test_kk9_claim_deadline_is_the_end_of_the_calendar_year(as_of, passed):
    assert rules.claim_deadline(2026) == date(2026, 12, 31)
    assert rules.claim_deadline_passed(year=2026, as_of=as_of) is passed


@pytest.mark.parametrize(
    ("sequence", "flagged"),
    [
        ([P, A, A, P], True),  # two consecutive absences
        ([A, P, A, P, A], False),  # three absences, never two in a row
        ([P, P, A], False),  # one absence so far
        ([A, X, A], False),  # a meeting before joining breaks the run
        ([P, P, A, A], True),  # the last two
        ([], False),
    ],
)
def test_kk3_absent_at_two_consecutive_meetings(sequence, flagged):
    assert rules.absent_twice_in_a_row(sequence) is flagged


@pytest.mark.parametrize(
    ("sequence", "done"),
    [
        ([P, P], True),
        ([P, A, P], False),  # two meetings, but not consecutive
        ([A, P, A, P, P], True),
        ([P], False),
        ([P, X, P], False),
    ],
)
def test_kk5_trial_is_two_consecutive_meetings(sequence, done):
    assert rules.trial_attended(sequence, trial_meetings=2) is done


@pytest.mark.parametrize(
    ("last_hosted", "due"),
    [
        (None, True),  # never hosted
        (date(2024, 11, 24), False),  # one day short of two years
        (date(2024, 11, 23), True),  # exactly two years ago
        (date(2023, 5, 1), True),
        (date(2026, 1, 20), False),
        (date(9999, 12, 31), False),  # an odd stored date: its turn never comes round
    ],
)
def test_kk7_hosting_is_due_after_two_years(last_hosted, due):
    assert (
        rules.hosting_due(last_hosted=last_hosted, as_of=date(2026, 11, 23), interval_years=2)
        is due
    )
