"""The circle pages' prepared queries (noloc_portal.prepared) give what the plain querysets they
replace give, on circles with several rows of every kind, for more than one set of values; and
their rows' choice labels are Django's."""

from collections import defaultdict
from datetime import date

import pytest
from django.db.models import Exists, OuterRef, Subquery

from kwaliteitskringen import permissions, selectors
from kwaliteitskringen import rules as kk_rules
from kwaliteitskringen import views as kk_views
from kwaliteitskringen.models import (
    CURRENT_STATES,
    Attendance,
    Circle,
    CircleRules,
    Contribution,
    Meeting,
    MeetingForm,
    MeetingRegistration,
    MeetingState,
    Membership,
    MembershipState,
    Programme,
    ProgrammeItem,
    RenewalRound,
    SignalDismissal,
    Subgroup,
    SubgroupMembership,
)
from tests.factories import Role, user_with
from tests.kwaliteitskringen.factories import (
    CircleFactory,
    MeetingFactory,
    held_meeting,
)

pytestmark = pytest.mark.django_db

YEARS = (2025, 2026, 2027)


@pytest.fixture
def busy(world):
    """Both circles of ``world`` with members of three years in several states, held, planned
    and cancelled meetings (subgroup and joint ones too), attendance, registrations,
    contributions, dismissals, rules, renewal rounds, a programme and subgroups."""
    circles = [world.circle, world.other_circle, CircleFactory(name="Kring Leeg")]
    people = [world.member, world.other_member] + [user_with(Role.PROFESSIONAL) for _ in range(5)]
    states = list(MembershipState)
    for c, circle in enumerate(circles[:2]):
        for p, person in enumerate(people):
            for year in YEARS:
                if (p + year + c) % 4:
                    Membership.objects.update_or_create(
                        circle=circle,
                        member=person,
                        year=year,
                        defaults={"state": states[(p + year) % 5]},
                    )
        for n, day in enumerate(
            (
                date(2025, 3, 4),
                date(2025, 11, 5),
                date(2026, 2, 3),
                date(2026, 4, 7),
                date(2026, 6, 2),
                date(2026, 9, 8),
                date(2027, 1, 12),
            )
        ):
            meeting = held_meeting(
                circle,
                day,
                present=people[n % 3 : n % 3 + 3],
                absent=people[n % 3 + 3 : n % 3 + 5],
                host=people[(n + c) % 7],
            )
            MeetingRegistration.objects.create(meeting=meeting, participant=people[n % 7])
        for n, day in enumerate([date(2026, 12, 1), date(2026, 12, 15), date(2027, 2, 2)]):
            meeting = MeetingFactory(circle=circle, date=day, host=people[(n * 2 + c) % 7])
            MeetingRegistration.objects.create(meeting=meeting, participant=people[(n + c) % 7])
            MeetingRegistration.objects.get_or_create(meeting=meeting, participant=people[0])
        MeetingFactory(circle=circle, date=date(2026, 5, 5), state=MeetingState.CANCELLED)
        for n, day in enumerate([date(2025, 4, 1), date(2026, 1, 20), date(2026, 8, 1)]):
            Contribution.objects.create(
                circle=circle, participant=people[n + c], date=day, description="Casus"
            )
        SignalDismissal.objects.create(circle=circle, key=f"participants:2026:{c}", note="Ok")
        SignalDismissal.objects.create(circle=circle, key=f"meetings:2026:{c}", note="Ok")
        RenewalRound.objects.create(circle=circle, year=2026)
        open_round = RenewalRound.objects.create(circle=circle, year=2027)
        if c:
            RenewalRound.objects.filter(pk=open_round.pk).update(closed_at="2026-11-01T10:00Z")
        for year in (2025, 2026):
            programme = Programme.objects.create(circle=circle, year=year)
            for n in range(3):
                ProgrammeItem.objects.create(
                    programme=programme,
                    date=date(year, 10 - n, 1 + n),
                    theme=f"Thema {year} {n}",
                    form=MeetingForm.CASE_DISCUSSION,
                    host=people[n] if n else None,
                    proposed_by=people[n + 1],
                )
        for n, name in enumerate(("Intervisie", "Arbeidsmarkt", "Beeldvorming")):
            subgroup = Subgroup.objects.create(circle=circle, name=name, convener=people[n])
            for person in people[n : n + 3]:
                SubgroupMembership.objects.create(subgroup=subgroup, member=person)
            MeetingFactory(circle=circle, subgroup=subgroup, date=date(2026, 3, 3 + n))
    # A subgroup membership that ended, joint meetings both ways.
    SubgroupMembership.objects.filter(member=people[1]).update(left_at="2026-06-01T10:00Z")
    MeetingFactory(circle=circles[1], joint_with=circles[0], date=date(2026, 10, 6))
    MeetingFactory(circle=circles[1], joint_with=circles[0], date=date(2024, 10, 6))
    MeetingFactory(circle=circles[0], joint_with=circles[1], date=date(2026, 12, 8))
    for year, minimum in ((2020, 4), (2024, 5), (2026, 6)):
        CircleRules.objects.update_or_create(
            effective_year=year, defaults={"min_participants": minimum}
        )
    return circles, people


def _ids(rows) -> list:
    return [row.pk for row in rows]


def test_current_members_as_the_queryset(busy):
    circles, _ = busy
    for circle in circles:
        for as_of in (date(2025, 6, 1), date(2026, 11, 23), date(2026, 12, 10), date(2027, 1, 2)):
            hosted = Meeting.objects.filter(
                circle=circle, host_id=OuterRef("member_id"), subgroup__isnull=True
            ).order_by("-date")
            plain = (
                selectors.memberships_of_year(circle, as_of.year)
                .filter(state__in=CURRENT_STATES)
                .annotate(
                    last_hosted=Subquery(hosted.filter(state=MeetingState.HELD).values("date")[:1]),
                    next_hosting=Subquery(
                        hosted.filter(state=MeetingState.PLANNED, date__gte=as_of).values("date")[
                            :1
                        ]
                    ),
                    contributed=Exists(
                        Contribution.objects.filter(
                            circle=circle,
                            date__year=as_of.year,
                            participant_id=OuterRef("member_id"),
                        )
                    ),
                )
            )

            prepared = selectors.current_members(circle, as_of=as_of)
            assert [
                (
                    m.membership_id,
                    m.member.pk,
                    str(m.member),
                    m.last_hosted,
                    m.next_hosting,
                    m.contributed,
                )
                for m in prepared
            ] == [
                (m.pk, m.member_id, str(m.member), m.last_hosted, m.next_hosting, m.contributed)
                for m in plain
            ]
    assert len(selectors.current_members(circles[0], as_of=date(2026, 11, 23))) >= 2


def test_the_signals_queries_as_the_querysets(busy):
    circles, _ = busy
    for circle in circles:
        for year in YEARS:
            values = {
                "circle": circle.pk,
                "year_start": date(year, 1, 1),
                "year_end": date(year, 12, 31),
            }
            meetings = list(
                Meeting.objects.filter(circle=circle, date__year=year, subgroup__isnull=True)
                .exclude(state=MeetingState.CANCELLED)
                .order_by("date", "start_time", "pk")
            )
            assert list(selectors._SIGNAL_MEETINGS(**values)) == [
                (meeting.pk, meeting.date, meeting.state, meeting.host_id) for meeting in meetings
            ]
            held = [meeting for meeting in meetings if meeting.state == MeetingState.HELD]
            marks = defaultdict(dict)  # participant -> meeting -> present
            for attendance in Attendance.objects.filter(meeting__in=held):
                marks[attendance.participant_id][attendance.meeting_id] = attendance.present
            expected = {
                participant: [(m.pk, m.date) for m in held if of_meeting.get(m.pk) is False]
                for participant, of_meeting in marks.items()
                if kk_rules.absent_twice_in_a_row([of_meeting.get(m.pk) for m in held])
            }
            in_order = [(m.pk, m.date) for m in held]
            assert dict(selectors.absences_in_a_row(**values, held=in_order)) == expected
        dismissals = SignalDismissal.objects.filter(circle=circle).select_related("dismissed_by")
        assert _ids(selectors._DISMISSALS(circle=circle.pk)) == _ids(dismissals)


def test_the_circle_pages_meetings_as_the_querysets(busy):
    circles, people = busy
    for circle in circles:
        for year in (2025, 2026, 2027):
            since = date(year - 1, 1, 1)
            own = list(
                selectors.meetings_of_circle(circle).filter(
                    date__year__gte=year - 1, subgroup__isnull=True
                )
            )
            guests = list(selectors.guest_meetings(circle).filter(date__year__gte=year - 1))
            plain = sorted(own + guests, key=lambda m: (m.date, m.pk), reverse=True)
            prepared = selectors.recent_meetings(circle, since=since)
            assert _ids(prepared) == _ids(plain)
            assert [(m.host_id, m.host_name) for m in prepared] == [
                (m.host_id, str(m.host) if m.host else None) for m in plain
            ]
            for person in people:
                registered = set(
                    MeetingRegistration.objects.filter(
                        participant=person, meeting__in=[m.pk for m in plain]
                    ).values_list("meeting_id", flat=True)
                )
                got = selectors.registered_meeting_ids(person, circle, since=since)
                assert got == registered
    assert selectors.registered_meeting_ids(people[0], circles[0], since=date(2026, 1, 1))


def test_attended_in_a_circle_as_the_queryset(busy):
    circles, people = busy
    for circle in circles:
        for person in people:
            plain = selectors.attended_meetings_of(person).filter(circle=circle)
            got = selectors.attended_in_circle(person, circle)
            assert [(m.pk, m.circle.name, m.host_id) for m in got] == [
                (m.pk, m.circle.name, m.host_id) for m in plain
            ]
    assert selectors.attended_in_circle(people[2], circles[0])


def test_the_programme_and_its_items_as_programme_of(busy):
    circles, _ = busy
    for circle in circles:
        for year in YEARS:
            plain = selectors.programme_of(circle, year)
            programme, items = selectors.programme_with_items(circle, year)
            assert (programme and programme.pk) == (plain and plain.pk)
            expected = list(plain.items.all()) if plain else []
            assert [(i.pk, i.host_id, str(i.host or "")) for i in items] == [
                (i.pk, i.host_id, str(i.host or "")) for i in expected
            ]
    assert len(selectors.programme_with_items(circles[0], 2026)[1]) == 3


def test_subgroups_for_a_member_as_subgroups_of(busy):
    circles, people = busy
    for circle in circles:
        for person in people:
            plain = selectors.subgroups_of(circle, user=person)
            got = selectors.subgroups_for(circle, person)

            def shown(rows):
                return [(s.pk, s.name, s.member_total, s.meeting_total, s.mine) for s in rows]

            assert shown(got) == shown(plain)
    assert any(s.mine for s in selectors.subgroups_for(circles[0], people[0]))


def test_renewal_and_memberships_as_the_querysets(busy):
    circles, people = busy
    for circle in circles:
        for year in (2025, 2026, 2027, 2028):
            plain = RenewalRound.objects.filter(
                circle=circle, year=year, closed_at__isnull=True
            ).first()
            assert selectors.open_renewal(circle, year) == plain
            for person in people:
                mine = {
                    m.year: m
                    for m in Membership.objects.filter(
                        circle=circle, member=person, year__in=[year, year + 1]
                    )
                }
                assert selectors.memberships_in_years(circle, person, year, year + 1) == mine
                for check in (year, None):
                    expected = Membership.objects.filter(
                        circle=circle,
                        member=person,
                        year=check or 2026,
                        state__in=CURRENT_STATES,
                    ).exists()
                    assert permissions.is_member(person, circle, year=check) == expected
    assert selectors.open_renewal(circles[0], 2027) is not None


def test_rules_for_as_the_queryset(busy):
    for year in (2010, 2019, 2020, 2023, 2024, 2025, 2026, 2030):
        plain = (
            CircleRules.objects.filter(effective_year__lte=year).order_by("-effective_year").first()
        )
        got = kk_rules.rules_for(year)
        assert (got.pk, got.min_participants) == (
            (plain.pk, plain.min_participants) if plain else (None, CircleRules().min_participants)
        )


def test_the_circle_of_a_page_as_get_object_or_404(busy, world):
    from django.http import Http404

    for circle in Circle.objects.all():
        got = kk_views._circle_or_404(circle.pk, world.staff, permissions.can_view_dashboard)
        assert (got.pk, got.coordinator.full_name) == (circle.pk, circle.coordinator.full_name)
    for missing in (0, 10**9, 10**30):
        with pytest.raises(Http404):
            kk_views._circle_or_404(missing, world.staff, permissions.can_view_dashboard)
    with pytest.raises(Http404):
        kk_views._circle_or_404(world.circle.pk, world.member, permissions.can_view_dashboard)


def test_the_members_tabs_queries_as_the_querysets(busy, rf):
    from noloc_portal.lists import page_of

    circles, _ = busy
    for _ in range(4):
        for circle in circles[:2]:
            Contribution.objects.create(
                circle=circle,
                participant=user_with(Role.PROFESSIONAL),
                date=date(2026, 3, 1),
                description="Casus",
            )
    for circle in circles:
        for year in YEARS:
            plain = selectors.memberships_of_year(circle, year)
            for number in ("1", "2"):
                request = rf.get("/", {"pagina": number})
                got = page_of(
                    request, selectors.memberships_of_year_pageable(circle, year), per_page=3
                )
                expected = page_of(request, plain, per_page=3)
                assert got.paginator.count == expected.paginator.count
                assert [(m.pk, m.member.full_name) for m in got] == [
                    (m.pk, m.member.full_name) for m in expected
                ]
            assert selectors.current_member_count(circle, year) == (
                plain.filter(state__in=CURRENT_STATES).count()
            )
            assert selectors.member_ids_of_year(circle, year) == set(
                plain.values_list("member_id", flat=True)
            )
            rounds = RenewalRound.objects.filter(circle=circle, year__in=[year, year + 1])
            assert selectors.renewal_rounds(circle, year, year + 1) == {r.year: r for r in rounds}
            for limit in (2, 50):
                contributions = circle.contributions.filter(date__year=year).select_related(
                    "participant"
                )[:limit]
                got = selectors.contributions_of_year(circle, year, limit=limit)
                assert [(c.pk, str(c.participant)) for c in got] == [
                    (c.pk, str(c.participant)) for c in contributions
                ]
    assert selectors.current_member_count(circles[0], 2026) > 1
    assert len(selectors.contributions_of_year(circles[0], 2026, limit=50)) > 2


def test_the_meetings_tabs_queries_as_the_querysets(busy, rf):
    from noloc_portal.lists import page_of

    circles, _ = busy
    for circle in circles:
        plain = selectors.meetings_of_circle(circle).filter(subgroup__isnull=True)
        for number in ("1", "2", "3"):
            request = rf.get("/", {"pagina": number})
            got = page_of(request, selectors.circle_meetings_pageable(circle), per_page=4)
            expected = page_of(request, plain, per_page=4)
            assert got.paginator.count == expected.paginator.count
            assert [(m.pk, m.registered_total, m.present_total) for m in got] == [
                (m.pk, m.registered_total, m.present_total) for m in expected
            ]
        for limit in (1, 20):
            assert _ids(selectors.latest_guest_meetings(circle, limit=limit)) == _ids(
                selectors.guest_meetings(circle)[:limit]
            )
            assert [(m.pk, str(m.host)) for m in selectors.latest_hosting(circle, limit=limit)] == [
                (m.pk, str(m.host)) for m in selectors.hosting_history(circle)[:limit]
            ]
        for year in YEARS:
            meetings = Meeting.objects.filter(circle=circle, date__year=year, subgroup__isnull=True)
            assert selectors.meeting_count(circle, year) == (
                meetings.exclude(state=MeetingState.CANCELLED).count()
            )
            assert selectors.meeting_count(circle, year, held_only=True) == (
                meetings.filter(state=MeetingState.HELD).count()
            )
    assert selectors.meeting_count(circles[0], 2026, held_only=True) == 4
    assert len(selectors.latest_guest_meetings(circles[0], limit=20)) == 2


def test_the_public_list_as_public_circles(busy):
    from kwaliteitskringen.models import AnnualReport, ReportState

    circles, _ = busy
    for c, circle in enumerate(circles):
        for year, state in ((2023, ReportState.PUBLISHED), (2024, ReportState.DRAFT)) + (
            ((2025, ReportState.PUBLISHED),) if c != 1 else ()
        ):
            AnnualReport.objects.create(circle=circle, year=year, state=state)
    for year in YEARS:
        plain = list(selectors.public_circles(year=year))
        got = selectors.public_circles_listed(year=year)

        def shown(rows):
            return [
                (
                    circle.pk,
                    circle.coordinator.full_name,
                    circle.meeting_total,
                    circle.member_total,
                    [(report.pk, report.circle.name) for report in circle.published_reports],
                )
                for circle in rows
            ]

        assert shown(got) == shown(plain)
    assert sum(circle.meeting_total for circle in got) > 0


@pytest.mark.parametrize(
    "model, name",
    [
        (Circle, "status"),
        (Membership, "state"),
        (Meeting, "form"),
        (Meeting, "state"),
        (ProgrammeItem, "form"),
    ],
)
def test_the_display_of_a_choice_as_django_gives_it(model, name):
    """The lists' own get_FOO_display gives what Django's would, for every choice and for a
    value that is none."""
    from django.utils import translation

    field = model._meta.get_field(name)
    for language in ("nl", "en"):
        with translation.override(language):
            for value in [value for value, _ in field.choices] + ["onbekend", ""]:
                row = model(**{name: value})
                display = getattr(row, f"get_{name}_display")()
                assert display == model._get_FIELD_display(row, field)
                assert type(display) is str
