"""seed_demo: a year of history with signals, and a second circle with a waiting list."""

import pytest
from django.core.management import call_command

from kwaliteitskringen import selectors
from kwaliteitskringen.models import (
    Application,
    ApplicationState,
    Attendance,
    Circle,
    Meeting,
    Membership,
    ReportState,
)
from tests.kwaliteitskringen.conftest import TODAY

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Circle, Meeting, Attendance, Membership, Application)]


def test_seed_demo_gives_the_coordinator_a_circle_with_signals_and_is_idempotent():
    call_command("seed_demo", stdout=None)
    first = _counts()
    call_command("seed_demo", stdout=None)
    assert _counts() == first

    utrecht = Circle.objects.get(coordinator__email="kring@example.org")
    assert Membership.objects.filter(
        circle=utrecht, member__email="professional@example.org", year=2026
    ).exists()
    assert Meeting.objects.filter(circle=utrecht, date__year=2026).count() >= 6
    assert utrecht.annual_reports.get(year=2025).state == ReportState.PUBLISHED
    kinds = {s.kind for s in selectors.circle_signals(utrecht, as_of=TODAY)[0]}
    assert len(kinds) >= 2 and {"participants", "absent"} <= kinds

    zwolle = Circle.objects.exclude(pk=utrecht.pk).get(name="Kwaliteitskring Zwolle")
    assert zwolle.region != utrecht.region
    waiting = list(selectors.waiting_list(zwolle).values_list("applicant__email", flat=True))
    assert waiting[0] == "candidate@example.org" and len(waiting) >= 2
    assert Application.objects.filter(state=ApplicationState.WAITLISTED).count() == len(waiting)


def test_seed_demo_has_a_chair_a_pending_founding_request_and_interest_without_a_circle():
    from kwaliteitskringen.models import FoundingRequest, FoundingState, Interest, RegionalChair
    from noloc_portal.accounts.models import Role, User
    from noloc_portal.accounts.otp import mfa_required, totp_device

    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    chair = User.objects.get(email="regio@example.org")
    assert chair.has_role(Role.REGIONAL_CHAIR) and mfa_required(chair) and totp_device(chair)
    assert RegionalChair.objects.get(user=chair).region == "Utrecht"
    founding = FoundingRequest.objects.get()
    assert founding.state == FoundingState.SUBMITTED
    assert founding.founder.email == "candidate@example.org"
    assert not Circle.objects.filter(region__iexact=founding.region).exists()
    assert Interest.objects.filter(region=founding.region).count() == 2


def test_seed_demo_has_both_programme_states_a_subgroup_and_a_joint_meeting():
    from kwaliteitskringen.models import ProgrammeState, Subgroup

    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    utrecht = Circle.objects.get(coordinator__email="kring@example.org")
    agreed = selectors.programme_of(utrecht, 2026)
    assert agreed.state == ProgrammeState.AGREED
    assert all(item.meeting_id for item in agreed.items.all())
    assert agreed.items.count() == 7  # the year's plenary evenings, December's included
    draft = selectors.programme_of(utrecht, 2027)
    assert draft.state == ProgrammeState.DRAFT and draft.items.count() == 2
    subgroup = Subgroup.objects.get(circle=utrecht)
    assert subgroup.meetings.filter(state="held").exists()
    assert selectors.subgroup_members(subgroup).count() == 3
    joint = Meeting.objects.get(circle=utrecht, joint_with__name="Kwaliteitskring Zwolle")
    assert joint.attendances.filter(
        participant__circle_memberships__circle__name__contains="Zwolle"
    ).exists()
    assert joint.attendances.count() == 7 + 8
    assert list(selectors.guest_meetings(joint.joint_with)) == [joint]
