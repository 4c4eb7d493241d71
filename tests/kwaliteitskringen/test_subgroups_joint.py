"""KK-7 subgroups and joint meetings; KK-12: their attendance feeds the portfolio, once."""

from datetime import date

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from kwaliteitskringen import selectors, services
from kwaliteitskringen.models import (
    Attendance,
    CircleEvent,
    MeetingForm,
    MeetingState,
    Subgroup,
    SubgroupMembership,
)
from kwaliteitskringen.services import TransitionError
from portfolios.jobcoach.models import PEActivity
from portfolios.jobcoach.services import add_circle_meeting, circle_meetings_offered
from portfolios.services import TransitionError as PortfolioTransitionError
from portfolios.services import evaluate_portfolio
from tests.factories import Role, user_with
from tests.kwaliteitskringen.conftest import TODAY
from tests.kwaliteitskringen.factories import MeetingFactory, MembershipFactory, held_meeting
from tests.portfolios.factories import PortfolioFactory

pytestmark = pytest.mark.django_db

MEETING = {
    "date": date(2026, 11, 20),
    "place": "Utrecht",
    "theme": "Intervisie",
    "form": "intervision",
}


def _subgroup(world, *extra):
    return services.form_subgroup(
        circle=world.circle,
        name="Intervisiegroep",
        purpose="Eens per maand intervisie",
        members=list(extra),
        by=world.member,
    )


# --- subgroups ------------------------------------------------------------------------------


def test_kk7_a_member_forms_a_subgroup_joins_it_and_convenes_it(world):
    colleague = MembershipFactory(circle=world.circle, year=2026).member
    subgroup = _subgroup(world, colleague)
    assert subgroup.convener == world.member
    assert {m.member for m in selectors.subgroup_members(subgroup)} == {world.member, colleague}
    assert _subgroup(world, colleague).pk == subgroup.pk  # double click
    assert CircleEvent.objects.filter(action="subgroup_formed").count() == 1


def test_kk7_only_circle_members_form_or_join_a_subgroup(world):
    with pytest.raises(TransitionError):
        services.form_subgroup(circle=world.circle, name="X", by=world.other_member)
    with pytest.raises(TransitionError, match="Alleen deelnemers"):
        _subgroup(world, world.other_member)
    subgroup = _subgroup(world)
    with pytest.raises(TransitionError, match="Alleen deelnemers"):
        services.join_subgroup(subgroup=subgroup, member=world.other_member, by=world.other_member)
    # one member cannot sign another up; the convener can
    colleague = MembershipFactory(circle=world.circle, year=2026).member
    third = MembershipFactory(circle=world.circle, year=2026).member
    with pytest.raises(TransitionError):
        services.join_subgroup(subgroup=subgroup, member=third, by=colleague)
    services.join_subgroup(subgroup=subgroup, member=third, by=world.member)
    assert SubgroupMembership.objects.filter(subgroup=subgroup).count() == 2


def test_leaving_and_rejoining_keeps_one_row_and_the_convener_role_ends(world):
    subgroup = _subgroup(world)
    services.leave_subgroup(subgroup=subgroup, member=world.member, by=world.member)
    services.leave_subgroup(subgroup=subgroup, member=world.member, by=world.member)
    subgroup.refresh_from_db()
    assert subgroup.convener is None
    assert not selectors.subgroup_members(subgroup).exists()
    services.join_subgroup(subgroup=subgroup, member=world.member, by=world.member)
    services.join_subgroup(subgroup=subgroup, member=world.member, by=world.member)
    assert SubgroupMembership.objects.filter(subgroup=subgroup, left_at__isnull=True).count() == 1
    assert CircleEvent.objects.filter(action="subgroup_joined").count() == 1


def test_kk11_subgroup_meeting_has_its_own_attendance_list_and_registration(world):
    colleague = MembershipFactory(circle=world.circle, year=2026).member
    outsider_in_circle = MembershipFactory(circle=world.circle, year=2026).member
    subgroup = _subgroup(world, colleague)
    meeting = services.schedule_subgroup_meeting(
        subgroup=subgroup, by=world.member, agenda="1. Casus", **MEETING
    )
    assert meeting.circle == world.circle and meeting.subgroup == subgroup
    assert [user for user, _trial in services.expected_attendees(meeting)] == sorted(
        [world.member, colleague], key=lambda u: (u.full_name, u.email)
    )
    with pytest.raises(TransitionError, match="leden van de subgroep"):
        services.register_for_meeting(
            meeting=meeting, participant=outsider_in_circle, as_of=date(2026, 11, 1)
        )
    services.register_for_meeting(meeting=meeting, participant=colleague, as_of=date(2026, 11, 1))
    # the convener records attendance, an ordinary member cannot
    with pytest.raises(TransitionError):
        services.record_attendance(meeting=meeting, present={colleague.pk}, by=colleague)
    with pytest.raises(TransitionError, match="geen deelnemer"):
        services.record_attendance(
            meeting=meeting, present={outsider_in_circle.pk}, by=world.member
        )
    services.record_attendance(meeting=meeting, present={colleague.pk}, by=world.member)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    marks = Attendance.objects.filter(meeting=meeting).values_list("participant", "present")
    assert dict(marks) == {world.member.pk: False, colleague.pk: True}


def test_subgroup_meetings_do_not_count_as_circle_meetings_or_hosting_evenings(world):
    subgroup = _subgroup(world)
    before = selectors.meeting_count(world.circle, 2026)
    held_meeting(world.circle, date(2026, 5, 1), host=world.member, subgroup=subgroup)
    assert selectors.meeting_count(world.circle, 2026) == before
    rotation = selectors.hosting_rotation(world.circle, as_of=TODAY, interval_years=2)
    assert [row["last"] for row in rotation if row["member"] == world.member] == [None]
    assert selectors.annual_report_figures(world.circle, 2026)["meeting_count"] == 0


def test_subgroup_list_counts_members_and_meetings_with_subqueries(world):
    colleague = MembershipFactory(circle=world.circle, year=2026).member
    subgroup = _subgroup(world, colleague)
    for day in (1, 2, 3):
        MeetingFactory(circle=world.circle, subgroup=subgroup, date=date(2026, 12, day))
    MeetingFactory(
        circle=world.circle, subgroup=subgroup, date=date(2026, 12, 4), state="cancelled"
    )
    row = selectors.subgroups_of(world.circle, user=colleague).get()
    assert (row.member_total, row.meeting_total, row.mine) == (2, 3, True)
    assert "COUNT(DISTINCT" not in str(selectors.subgroups_of(world.circle).query).upper()


# --- joint meetings -------------------------------------------------------------------------


def test_kk7_joint_meeting_expects_both_circles_each_person_once(world):
    in_both = MembershipFactory(circle=world.circle, year=2026).member
    MembershipFactory(circle=world.other_circle, member=in_both, year=2026)
    meeting = services.schedule_meeting(
        circle=world.circle, by=world.coordinator, joint_with=world.other_circle, **MEETING
    )
    expected = [user for user, _trial in services.expected_attendees(meeting)]
    assert sorted(u.pk for u in expected) == sorted(
        [world.member.pk, world.other_member.pk, in_both.pk]
    )
    # members of the guest circle register too; an outsider cannot
    services.register_for_meeting(
        meeting=meeting, participant=world.other_member, as_of=date(2026, 11, 1)
    )
    with pytest.raises(TransitionError):
        services.register_for_meeting(
            meeting=meeting, participant=user_with(Role.PROFESSIONAL), as_of=date(2026, 11, 1)
        )
    services.record_attendance(
        meeting=meeting, present={world.other_member.pk, in_both.pk}, by=world.coordinator
    )
    services.record_attendance(
        meeting=meeting, present={world.other_member.pk, in_both.pk}, by=world.coordinator
    )
    assert Attendance.objects.filter(meeting=meeting).count() == 3
    assert Attendance.objects.filter(meeting=meeting, participant=in_both).count() == 1
    assert list(selectors.guest_meetings(world.other_circle)) == [meeting]
    with transaction.atomic(), pytest.raises(IntegrityError):
        Attendance.objects.create(meeting=meeting, participant=in_both, present=True)


def test_joint_meeting_is_with_another_circle_and_only_its_host_manages_it(world):
    with pytest.raises(TransitionError, match="andere kring"):
        services.schedule_meeting(
            circle=world.circle, by=world.coordinator, joint_with=world.circle, **MEETING
        )
    meeting = services.schedule_meeting(
        circle=world.circle, by=world.coordinator, joint_with=world.other_circle, **MEETING
    )
    with pytest.raises(TransitionError):
        services.record_attendance(meeting=meeting, present=set(), by=world.other_coordinator)


# --- KK-12: the portfolio, never twice ------------------------------------------------------


def test_kk12_subgroup_meeting_feeds_the_portfolio_once(world):
    subgroup = _subgroup(world)
    meeting = services.schedule_subgroup_meeting(
        subgroup=subgroup, by=world.member, facilitator="Ria Post", **MEETING
    )
    services.record_attendance(meeting=meeting, present={world.member.pk}, by=world.member)
    portfolio = PortfolioFactory(owner=world.member)
    offered = circle_meetings_offered(portfolio=portfolio)
    assert [(item["meeting"], item["as_reflection"]) for item in offered] == [(meeting, True)]
    add_circle_meeting(portfolio=portfolio, meeting=meeting, as_reflection=False, by=world.member)
    assert circle_meetings_offered(portfolio=portfolio) == []
    for as_reflection in (False, True):
        with pytest.raises(PortfolioTransitionError, match="al in je portfolio"):
            add_circle_meeting(
                portfolio=portfolio, meeting=meeting, as_reflection=as_reflection, by=world.member
            )
    assert PEActivity.objects.filter(portfolio=portfolio).count() == 1
    assert evaluate_portfolio(portfolio).to_json()["pe"]["categories"]["2"]["earned"] == 2


def test_kk12_joint_meeting_of_two_circles_feeds_a_member_of_both_once(world):
    in_both = MembershipFactory(circle=world.circle, year=2026).member
    MembershipFactory(circle=world.other_circle, member=in_both, year=2026)
    meeting = services.schedule_meeting(
        circle=world.circle, by=world.coordinator, joint_with=world.other_circle, **MEETING
    )
    circle_meeting = held_meeting(world.circle, date(2026, 10, 1), present=[in_both])
    services.record_attendance(
        meeting=meeting, present={in_both.pk, world.other_member.pk}, by=world.coordinator
    )
    assert list(selectors.attended_meetings_of(in_both)) == [meeting, circle_meeting]
    portfolio = PortfolioFactory(owner=in_both)
    assert [item["meeting"] for item in circle_meetings_offered(portfolio=portfolio)] == [
        meeting,
        circle_meeting,
    ]
    add_circle_meeting(portfolio=portfolio, meeting=meeting, as_reflection=False, by=in_both)
    assert [item["meeting"] for item in circle_meetings_offered(portfolio=portfolio)] == [
        circle_meeting
    ]
    # the guest circle's member gets it offered as well, once
    guest = PortfolioFactory(owner=world.other_member)
    assert [item["meeting"] for item in circle_meetings_offered(portfolio=guest)] == [meeting]


def test_kk12_an_absence_at_a_subgroup_or_joint_meeting_is_not_offered(world):
    subgroup = _subgroup(world)
    meeting = services.schedule_subgroup_meeting(subgroup=subgroup, by=world.member, **MEETING)
    services.record_attendance(meeting=meeting, present=set(), by=world.member)
    assert circle_meetings_offered(portfolio=PortfolioFactory(owner=world.member)) == []
    assert meeting.form == MeetingForm.INTERVISION


def test_a_circle_with_a_subgroup_meeting_can_still_be_deleted_in_the_admin_sense(world):
    subgroup = _subgroup(world)
    MeetingFactory(circle=world.circle, subgroup=subgroup, date=date(2026, 12, 1))
    joint = MeetingFactory(
        circle=world.other_circle, joint_with=world.circle, date=date(2026, 12, 2)
    )
    world.circle.delete()
    joint.refresh_from_db()
    assert joint.joint_with is None and not Subgroup.objects.exists()


def test_members_of_both_circles_hear_of_a_planned_joint_meeting(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.schedule_meeting(
            circle=world.circle, by=world.coordinator, joint_with=world.other_circle, **MEETING
        )
    told = {message.to[0] for message in mail.outbox}
    assert {world.member.email, world.other_member.email} <= told
    assert world.coordinator.email not in told
    message = next(m for m in mail.outbox if m.to == [world.member.email])
    assert "samen een bijeenkomst" in message.body
    assert reverse("kwaliteitskringen:meeting", args=[meeting.pk]) in message.body
