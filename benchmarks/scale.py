"""The benchmark's scale data, built through the test factories and the services.

Full scale (``scale=1``): 2,000 professionals with a Jobcoach portfolio of 60 PE activities each,
one of them with 1,000 activities, 1,000 submitted portfolios with an assessor assigned, and a
circle of 200 members with 100 meetings (half held, everyone's attendance recorded). A smaller
``scale`` shrinks every count in proportion, with floors that keep each page meaningful.

Dossier render jobs that submitting queues are created but not published: the benchmark
publishes them itself when it measures draining them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from unittest import mock

logger = logging.getLogger(__name__)

FULL = {
    "professionals": 2000,
    "activities": 60,
    "heavy_activities": 1000,
    "assignments": 1000,
    "members": 200,
    "meetings": 100,
}
FLOORS = {
    "professionals": 20,
    "activities": 60,
    "heavy_activities": 100,
    "assignments": 200,
    "members": 20,
    "meetings": 10,
}
NO_PASSWORD = "!"  # an unusable password: hashing thousands of real ones costs minutes


@dataclass(frozen=True)
class ScaleCounts:
    professionals: int
    activities: int
    heavy_activities: int
    assignments: int
    members: int
    meetings: int


def counts(scale: float) -> ScaleCounts:
    """The data set at ``scale`` of the full one. 200 assignments at least: the drain of
    render jobs needs 200 submissions."""
    return ScaleCounts(
        **{key: max(FLOORS[key], round(value * scale)) for key, value in FULL.items()}
    )


def build(scale: float, *, year: int) -> ScaleCounts:
    """Add the scale data to the database; returns the counts it built."""
    from kwaliteitskringen.revisions import prune_changes
    from portfolios import hooks, remembered
    from tests.factories import Role, UserFactory

    wanted = counts(scale)
    with mock.patch("noloc_portal.pdf.services._publish"):
        owners = [
            UserFactory(
                email=f"bench-pro-{n}@example.org", password=NO_PASSWORD, roles=[Role.PROFESSIONAL]
            )
            for n in range(wanted.professionals)
        ]
        for owner in owners:
            _draft(owner, wanted.activities)
        _submitted(owners[: wanted.assignments], wanted.assignments)
        _circle(owners[: wanted.members], wanted.meetings, year=year)
        heavy = UserFactory(
            email="bench-heavy@example.org", password=NO_PASSWORD, roles=[Role.PROFESSIONAL]
        )
        _draft(heavy, wanted.heavy_activities)
    # As the nightly tasks leave them: the last change noted per circle, per portfolio and per
    # person whose offers changed.
    prune_changes()
    remembered.prune_changes()
    hooks.OFFER_CHANGES.prune()
    analyze()
    return wanted


def analyze() -> None:
    """The planner's statistics and the visibility map of every table, as autovacuum keeps them
    on a production server (this machine's runs without it: a table never analyzed is planned
    from guesses, and the queue's page was read by joining and sorting every queued portfolio;
    a table never vacuumed makes every index-only count read the rows as well)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _draft(owner, activities: int):
    """A draft Jobcoach portfolio with ``activities`` PE activities of every type."""
    from tests.portfolios.factories import DocumentFactory, PEActivityFactory, PortfolioFactory

    portfolio = PortfolioFactory(owner=owner)
    evidence = DocumentFactory(owner=owner)
    kinds = [
        {"type": "course", "sbu": Decimal(8)},
        {"type": "workshop", "hours": Decimal(3)},
        {"type": "book"},
        {"type": "lecture", "sbu": None},
        {"type": "course_outside_field", "sbu": Decimal(4)},
    ]
    for n in range(activities):
        PEActivityFactory(
            portfolio=portfolio,
            date=date(2024, 1, 1) + timedelta(days=(n * 7) % 900),
            evidence=evidence if n % 4 else None,
            **kinds[n % len(kinds)],
        )
    return portfolio


def _submitted(owners, count: int) -> None:
    """``count`` complete portfolios submitted by their owners, each with an assessor assigned
    by the certification coordinator (round robin over 20 assessors)."""
    from assessments.services import assign_assessor
    from portfolios.services import submit_portfolio
    from tests.factories import Role, UserFactory
    from tests.portfolios.factories import complete_portfolio

    coordinator = UserFactory(
        email="bench-certificering@example.org",
        password=NO_PASSWORD,
        roles=[Role.CERTIFICATION_COORDINATOR],
    )
    assessors = [
        UserFactory(
            email=f"bench-assessor-{n}@example.org", password=NO_PASSWORD, roles=[Role.ASSESSOR]
        )
        for n in range(20)
    ]
    for n in range(count):
        portfolio = complete_portfolio(owner=owners[n % len(owners)])
        submit_portfolio(portfolio=portfolio, by=portfolio.owner)
        round_ = portfolio.rounds.order_by("-number").first()
        assign_assessor(round=round_, assessor=assessors[n % len(assessors)], by=coordinator)


def _circle(members, meetings: int, *, year: int) -> None:
    """One circle with ``members`` this year and ``meetings`` spread over this year and the last:
    the past ones held with everyone's attendance, the coming ones with registrations."""
    from kwaliteitskringen.models import Attendance, MeetingRegistration, MeetingState
    from tests.factories import Role, UserFactory
    from tests.kwaliteitskringen.factories import CircleFactory, MeetingFactory, MembershipFactory

    coordinator = UserFactory(
        email="bench-kring@example.org", password=NO_PASSWORD, roles=[Role.CIRCLE_COORDINATOR]
    )
    circle = CircleFactory(
        coordinator=coordinator, name="Kwaliteitskring Benchmark", capacity=len(members) + 10
    )
    MembershipFactory(circle=circle, member=coordinator, year=year)
    for member in members:
        MembershipFactory(circle=circle, member=member, year=year)
    first = date(year - 1, 1, 15)
    step = max(1, 700 // meetings)
    today = date.today()
    for n in range(meetings):
        day = first + timedelta(days=n * step)
        held = day < today
        meeting = MeetingFactory(
            circle=circle,
            date=day,
            start_time=time(19, 30),
            host=members[n % len(members)],
            state=MeetingState.HELD if held else MeetingState.PLANNED,
        )
        if held:
            Attendance.objects.bulk_create(
                Attendance(meeting=meeting, participant=member, present=(i + n) % 5 != 0)
                for i, member in enumerate(members)
            )
        MeetingRegistration.objects.bulk_create(
            MeetingRegistration(meeting=meeting, participant=member) for member in members
        )
