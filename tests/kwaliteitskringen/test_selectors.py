"""The counts of the circle list and the meetings list: correlated subqueries that give the
same numbers as the double-join ``Count(distinct)`` they replaced, on a data set where the
join would multiply rows (several meetings, registrations and attendances per circle)."""

from datetime import date

import pytest
from django.db.models import Count, Q

from kwaliteitskringen import selectors
from kwaliteitskringen.models import (
    COUNTING_STATES,
    Attendance,
    Circle,
    Meeting,
    MeetingRegistration,
    MeetingState,
    MembershipState,
)
from tests.kwaliteitskringen.factories import (
    CircleFactory,
    MeetingFactory,
    MembershipFactory,
    held_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def circles():
    busy = CircleFactory(region="Utrecht")
    quiet = CircleFactory(region="Gelderland")
    CircleFactory(region="Zeeland")  # no members, no meetings: counts are 0, not None
    members = [MembershipFactory(circle=busy, year=2026).member for _ in range(4)]
    MembershipFactory(circle=busy, year=2026, state=MembershipState.LAPSED)
    MembershipFactory(circle=busy, year=2026, state=MembershipState.REMOVED)
    MembershipFactory(circle=busy, year=2025)
    MembershipFactory(circle=quiet, year=2026)
    first = held_meeting(busy, date(2026, 2, 1), present=members[:3], absent=members[3:])
    second = held_meeting(busy, date(2026, 4, 1), present=members[:1], absent=members[1:])
    planned = MeetingFactory(circle=busy, date=date(2026, 12, 1))
    MeetingFactory(circle=busy, date=date(2026, 6, 1), state=MeetingState.CANCELLED)
    MeetingFactory(circle=busy, date=date(2025, 6, 1), state=MeetingState.HELD)
    MeetingFactory(circle=quiet, date=date(2026, 9, 1))
    for meeting in (first, second, planned):
        for member in members[:3]:
            MeetingRegistration.objects.create(meeting=meeting, participant=member)
    return busy, quiet


def test_public_circles_count_like_the_double_join_did(circles):
    year = 2026
    before = {
        c.pk: (c.meeting_total, c.member_total)
        for c in Circle.objects.annotate(
            meeting_total=Count(
                "meetings",
                filter=Q(meetings__date__year=year) & ~Q(meetings__state=MeetingState.CANCELLED),
                distinct=True,
            ),
            member_total=Count(
                "memberships",
                filter=Q(memberships__year=year, memberships__state__in=COUNTING_STATES),
                distinct=True,
            ),
        )
    }
    after = {c.pk: (c.meeting_total, c.member_total) for c in selectors.public_circles(year=year)}
    assert after == before
    busy, quiet = circles
    assert after[busy.pk] == (3, 5) and after[quiet.pk] == (1, 1)
    assert sorted(after.values())[0] == (0, 0)


def test_meetings_of_circle_count_like_the_double_join_did(circles):
    busy, _ = circles
    before = {
        m.pk: (m.registered_total, m.present_total)
        for m in Meeting.objects.filter(circle=busy).annotate(
            registered_total=Count("registrations", distinct=True),
            present_total=Count("attendances", filter=Q(attendances__present=True), distinct=True),
        )
    }
    meetings = list(selectors.meetings_of_circle(busy))
    after = {m.pk: (m.registered_total, m.present_total) for m in meetings}
    assert after == before
    assert sorted(after.values()) == [(0, 0), (0, 0), (3, 0), (3, 1), (3, 3)]
    assert [m.date for m in meetings] == sorted((m.date for m in meetings), reverse=True)
    assert Attendance.objects.count() == 8
