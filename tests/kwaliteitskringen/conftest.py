from dataclasses import dataclass
from datetime import date

import pytest

from kwaliteitskringen.models import Circle, FoundingRequest, Meeting, RegionalChair
from noloc_portal.accounts.models import User
from tests.factories import Role, user_with
from tests.kwaliteitskringen.factories import CircleFactory, MeetingFactory, MembershipFactory

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """The app asks clock.today(); the tests live on 23 November 2026."""
    monkeypatch.setattr("kwaliteitskringen.clock.today", lambda: TODAY)
    return TODAY


@dataclass
class World:
    circle: Circle
    other_circle: Circle
    coordinator: User
    other_coordinator: User
    member: User
    other_member: User
    staff: User
    meeting: Meeting
    chair: User
    founder: User
    founding: FoundingRequest


@pytest.fixture
def world(db) -> World:
    """Two circles, each with a coordinator and a member, and a planned meeting in the first;
    the regional chair of the first circle's region, and a member asking to found a circle."""
    coordinator = user_with(Role.CIRCLE_COORDINATOR)
    other_coordinator = user_with(Role.CIRCLE_COORDINATOR)
    circle = CircleFactory(coordinator=coordinator, name="Kring Utrecht", region="Utrecht")
    other_circle = CircleFactory(
        coordinator=other_coordinator, name="Kring Zwolle", region="Overijssel"
    )
    member = user_with(Role.PROFESSIONAL)
    other_member = user_with(Role.PROFESSIONAL)
    MembershipFactory(circle=circle, member=member, year=2026)
    MembershipFactory(circle=other_circle, member=other_member, year=2026)
    meeting = MeetingFactory(circle=circle, date=date(2026, 12, 8))
    chair = user_with(Role.REGIONAL_CHAIR)
    RegionalChair.objects.create(user=chair, region="Utrecht")
    founder = user_with(Role.PROFESSIONAL)
    founding = FoundingRequest.objects.create(
        founder=founder,
        name="Kring Amersfoort",
        region="Utrecht",
        meeting_place="Bibliotheek Amersfoort",
        rhythm="zes keer per jaar op dinsdagavond",
        motivation="In Amersfoort is nog geen kring.",
    )
    return World(
        circle=circle,
        other_circle=other_circle,
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        member=member,
        other_member=other_member,
        staff=user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True),
        meeting=meeting,
        chair=chair,
        founder=founder,
        founding=founding,
    )
