"""KK-7: the year's programme: drafted, items proposed by members, agreed in the circle."""

from datetime import date

import pytest

from kwaliteitskringen import selectors, services
from kwaliteitskringen.models import (
    CircleEvent,
    Meeting,
    MeetingForm,
    MeetingState,
    Programme,
    ProgrammeItem,
    ProgrammeState,
)
from kwaliteitskringen.services import TransitionError
from tests.factories import Role, user_with
from tests.kwaliteitskringen.conftest import TODAY
from tests.kwaliteitskringen.factories import MembershipFactory, held_meeting

pytestmark = pytest.mark.django_db

NEXT = TODAY.year + 1


def _propose(programme, by, day, theme="Casusbespreking loopbaanvragen", **kwargs):
    return services.propose_programme_item(
        programme=programme,
        by=by,
        on=day,
        theme=theme,
        form=kwargs.pop("form", MeetingForm.CASE_DISCUSSION),
        **kwargs,
    )


def test_kk7_coordinator_drafts_the_programme_once_and_it_is_recorded(world):
    programme = services.draft_programme(circle=world.circle, year=NEXT, by=world.coordinator)
    again = services.draft_programme(circle=world.circle, year=NEXT, by=world.coordinator)
    assert again.pk == programme.pk and programme.state == ProgrammeState.DRAFT
    assert Programme.objects.count() == 1
    assert CircleEvent.objects.filter(action="programme_drafted").count() == 1


@pytest.mark.parametrize("year", [TODAY.year - 1, TODAY.year + 2])
def test_kk7_programme_is_for_this_or_next_membership_year(world, year):
    with pytest.raises(TransitionError, match="dit jaar of het volgende"):
        services.draft_programme(circle=world.circle, year=year, by=world.coordinator)


def test_kk7_only_the_coordinator_drafts(world):
    for outsider in (world.member, world.other_coordinator):
        with pytest.raises(TransitionError):
            services.draft_programme(circle=world.circle, year=NEXT, by=outsider)
    assert not Programme.objects.exists()


def test_kk7_a_member_proposes_an_item_with_date_theme_form_and_host(world):
    programme = services.draft_programme(circle=world.circle, year=NEXT, by=world.coordinator)
    item = _propose(
        programme,
        world.member,
        date(NEXT, 2, 10),
        form=MeetingForm.INTERVISION,
        host=world.member,
        place="Utrecht",
    )
    assert (item.proposed_by, item.host, item.form) == (
        world.member,
        world.member,
        MeetingForm.INTERVISION,
    )
    assert CircleEvent.objects.filter(action="programme_item_proposed").count() == 1
    # a double click gives the same item, not a second one
    assert _propose(programme, world.member, date(NEXT, 2, 10), host=world.member).pk == item.pk
    assert ProgrammeItem.objects.count() == 1


def test_kk7_proposals_are_refused_from_outsiders_outside_the_year_and_for_non_member_hosts(
    world,
):
    programme = services.draft_programme(circle=world.circle, year=NEXT, by=world.coordinator)
    with pytest.raises(TransitionError):
        _propose(programme, world.other_member, date(NEXT, 2, 10))
    with pytest.raises(TransitionError, match="Kies een datum in"):
        _propose(programme, world.member, date(TODAY.year, 12, 10))
    with pytest.raises(TransitionError, match="geen deelnemer"):
        _propose(programme, world.member, date(NEXT, 3, 10), host=world.other_member)
    with pytest.raises(TransitionError, match="thema"):
        _propose(programme, world.member, date(NEXT, 3, 10), theme="  ")
    assert not ProgrammeItem.objects.exists()


def test_kk7_agreeing_turns_every_item_into_a_planned_meeting(world):
    programme = services.draft_programme(circle=world.circle, year=NEXT, by=world.coordinator)
    first = _propose(programme, world.member, date(NEXT, 2, 10), host=world.member, note="Agenda")
    second = _propose(programme, world.coordinator, date(NEXT, 4, 14), place="Amersfoort")
    before = Meeting.objects.count()
    agreed = services.agree_programme(programme=programme, by=world.coordinator, default_place="Z")
    assert agreed.state == ProgrammeState.AGREED and agreed.agreed_by == world.coordinator
    assert Meeting.objects.count() == before + 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.meeting.date, first.meeting.host, first.meeting.place, first.meeting.agenda) == (
        date(NEXT, 2, 10),
        world.member,
        "Z",
        "Agenda",
    )
    assert second.meeting.place == "Amersfoort"
    assert first.meeting.state == MeetingState.PLANNED and first.meeting.circle == world.circle
    # double click: the same programme, no second set of meetings
    services.agree_programme(programme=programme, by=world.coordinator, default_place="Z")
    assert Meeting.objects.count() == before + 2
    assert CircleEvent.objects.filter(action="programme_agreed").count() == 1


def test_kk7_after_agreement_proposals_and_withdrawals_are_refused(world):
    programme = services.draft_programme(circle=world.circle, year=NEXT, by=world.coordinator)
    item = _propose(programme, world.member, date(NEXT, 2, 10), place="Utrecht")
    services.agree_programme(programme=programme, by=world.coordinator)
    with pytest.raises(TransitionError, match="al vastgesteld"):
        _propose(programme, world.member, date(NEXT, 3, 10))
    with pytest.raises(TransitionError, match="al vastgesteld"):
        services.withdraw_programme_item(item=item, by=world.member)
    assert ProgrammeItem.objects.count() == 1


def test_kk7_agreeing_needs_items_a_place_for_each_and_the_coordinator(world):
    programme = services.draft_programme(circle=world.circle, year=NEXT, by=world.coordinator)
    with pytest.raises(TransitionError, match="nog geen onderdelen"):
        services.agree_programme(programme=programme, by=world.coordinator)
    _propose(programme, world.member, date(NEXT, 2, 10))
    with pytest.raises(TransitionError, match="plaats"):
        services.agree_programme(programme=programme, by=world.coordinator)
    with pytest.raises(TransitionError):
        services.agree_programme(programme=programme, by=world.member, default_place="Utrecht")
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.DRAFT
    assert not ProgrammeItem.objects.filter(meeting__isnull=False).exists()


def test_proposer_or_coordinator_withdraws_a_draft_item_twice_harmlessly(world):
    programme = services.draft_programme(circle=world.circle, year=NEXT, by=world.coordinator)
    item = _propose(programme, world.member, date(NEXT, 2, 10))
    other = MembershipFactory(circle=world.circle, year=TODAY.year).member
    with pytest.raises(TransitionError):
        services.withdraw_programme_item(item=item, by=other)
    services.withdraw_programme_item(item=item, by=world.member)
    services.withdraw_programme_item(item=item, by=world.member)
    assert not ProgrammeItem.objects.exists()
    assert CircleEvent.objects.filter(action="programme_item_withdrawn").count() == 1


def test_kk7_rotation_suggests_who_is_due_for_items_without_a_host(world):
    circle = world.circle
    recent = MembershipFactory(circle=circle, year=TODAY.year).member
    never = MembershipFactory(circle=circle, year=TODAY.year).member
    held_meeting(circle, date(TODAY.year, 3, 1), host=recent)
    held_meeting(circle, date(TODAY.year - 3, 3, 1), host=world.member)
    programme = services.draft_programme(circle=circle, year=NEXT, by=world.coordinator)
    one = _propose(programme, world.coordinator, date(NEXT, 2, 10))
    two = _propose(programme, world.coordinator, date(NEXT, 3, 10))
    hosted = _propose(programme, world.coordinator, date(NEXT, 4, 10), host=never)
    rule_interval = 2
    rotation = selectors.hosting_rotation(circle, as_of=TODAY, interval_years=rule_interval)
    suggestions = selectors.host_suggestions(selectors.programme_of(circle, NEXT), rotation)
    # never is already in the programme, so the due member who hosted longest ago comes first
    assert suggestions[one.pk] == world.member
    assert suggestions[two.pk] == recent
    assert hosted.pk not in suggestions


def test_a_programme_of_another_circle_is_closed_to_its_members(world):
    programme = services.draft_programme(
        circle=world.other_circle, year=NEXT, by=world.other_coordinator
    )
    outsider = user_with(Role.PROFESSIONAL)
    for person in (world.member, outsider, world.coordinator):
        with pytest.raises(TransitionError):
            _propose(programme, person, date(NEXT, 2, 10))
