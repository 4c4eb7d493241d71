"""AS-5: the dates of the registration a positive decision makes, exactly as domain.md says."""

from datetime import date

import pytest

from assessments.services import registration_dates


@pytest.mark.parametrize(
    ("decided_on", "valid_from", "valid_until"),
    [
        (date(2026, 3, 10), date(2026, 3, 10), date(2030, 3, 10)),
        (date(2026, 12, 31), date(2026, 12, 31), date(2030, 12, 31)),
        # 29 February to 29 February when the target year is a leap year ...
        (date(2024, 2, 29), date(2024, 2, 29), date(2028, 2, 29)),
        # ... and to 28 February when it has none (2100 is no leap year).
        (date(2096, 2, 29), date(2096, 2, 29), date(2100, 2, 28)),
        (date(2027, 2, 28), date(2027, 2, 28), date(2031, 2, 28)),
    ],
)
def test_as5_initial_registration_runs_four_years_from_the_decision(
    decided_on, valid_from, valid_until
):
    assert registration_dates(decided_on=decided_on, previous_end=None) == (
        valid_from,
        valid_until,
    )


@pytest.mark.parametrize(
    ("previous_end", "decided_on", "valid_from", "valid_until"),
    [
        # Decided before the previous registration ends: it runs on without a gap.
        (date(2026, 6, 30), date(2026, 5, 1), date(2026, 7, 1), date(2030, 6, 30)),
        # Decided on the last day of the previous registration: still covered that day.
        (date(2026, 5, 1), date(2026, 5, 1), date(2026, 5, 2), date(2030, 5, 1)),
        # Decided long before: the end still moves four years on from the previous end.
        (date(2027, 12, 31), date(2026, 11, 1), date(2028, 1, 1), date(2031, 12, 31)),
        # The previous registration had ended: valid from the decision, the gap not covered,
        # the end still four years after the previous end.
        (date(2026, 1, 31), date(2026, 3, 15), date(2026, 3, 15), date(2030, 1, 31)),
        (date(2026, 5, 1), date(2026, 5, 2), date(2026, 5, 2), date(2030, 5, 1)),
        # Leap years: a previous end on 29 February.
        (date(2024, 2, 29), date(2024, 1, 10), date(2024, 3, 1), date(2028, 2, 29)),
        (date(2096, 2, 29), date(2096, 2, 1), date(2096, 3, 1), date(2100, 2, 28)),
        # A previous end on 28 February of a year before a leap year stays on the 28th.
        (date(2027, 2, 28), date(2027, 2, 1), date(2027, 3, 1), date(2031, 2, 28)),
        # From the day after 28 February of a leap year is 29 February.
        (date(2028, 2, 28), date(2028, 1, 5), date(2028, 2, 29), date(2032, 2, 28)),
    ],
)
def test_as5_recertification_extends_the_previous_registration(
    previous_end, decided_on, valid_from, valid_until
):
    assert registration_dates(decided_on=decided_on, previous_end=previous_end) == (
        valid_from,
        valid_until,
    )


def test_as5_dates_at_the_end_of_the_calendar_do_not_fail():
    assert registration_dates(decided_on=date(2026, 1, 1), previous_end=date(9998, 6, 1)) == (
        date(9998, 6, 2),
        date.max,
    )
