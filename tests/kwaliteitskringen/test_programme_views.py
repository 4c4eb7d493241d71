"""KK-7 pages: the programme, subgroups and joint meetings as members and coordinators use
them; outsiders 404; the same number of queries for 1 and N rows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from kwaliteitskringen import revisions, services
from kwaliteitskringen.models import (
    ApplicationState,
    Attendance,
    Meeting,
    MeetingForm,
    MeetingState,
    ProgrammeItem,
    ProgrammeState,
    Subgroup,
)
from tests.kwaliteitskringen.factories import (
    ApplicationFactory,
    MeetingFactory,
    MembershipFactory,
    held_meeting,
)

pytestmark = pytest.mark.django_db


def _programme_url(world, year=2027):
    return reverse("kwaliteitskringen:programme", args=[world.circle.pk]) + f"?jaar={year}"


def test_members_draft_and_agree_the_programme_and_the_circle_page_shows_it(client, world):
    url = reverse("kwaliteitskringen:programme", args=[world.circle.pk])
    client.force_login(world.coordinator)
    client.post(url, {"action": "draft", "year": "2026"})
    client.post(url, {"action": "draft", "year": "2026"})  # double click
    client.force_login(world.member)
    response = client.post(
        url,
        {
            "action": "propose",
            "year": "2026",
            "date": "2026-12-15",
            "theme": "Kerstcasus",
            "form": MeetingForm.CASE_DISCUSSION,
            "host": world.member.pk,
            "place": "Utrecht",
        },
    )
    assert response.status_code == 302
    item = ProgrammeItem.objects.get()
    assert item.proposed_by == world.member
    body = client.get(url).content.decode()
    assert "Kerstcasus" in body and "Concept" in body and "De kring heeft het" not in body
    client.force_login(world.coordinator)
    client.post(url, {"action": "agree", "year": "2026", "default_place": ""})
    item.refresh_from_db()
    assert item.programme.state == ProgrammeState.AGREED
    assert item.meeting.state == MeetingState.PLANNED
    client.force_login(world.member)
    body = client.get(reverse("kwaliteitskringen:circle", args=[world.circle.pk])).content.decode()
    assert "Jaarprogramma 2026" in body and "Vastgesteld" in body and "Kerstcasus" in body
    assert reverse("kwaliteitskringen:meeting", args=[item.meeting.pk]) in body


def test_bad_proposal_is_explained_next_to_the_field_and_keeps_the_text(client, world):
    services.draft_programme(circle=world.circle, year=2027, by=world.coordinator)
    client.force_login(world.member)
    response = client.post(
        _programme_url(world),
        {"action": "propose", "year": "2027", "date": "2026-05-01", "theme": "Mijn thema"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kies een datum in 2027" in body and "Kies een vorm." in body
    assert 'value="Mijn thema"' in body
    assert not ProgrammeItem.objects.exists()


def test_agreeing_without_a_place_keeps_the_page_with_the_message(client, world):
    programme = services.draft_programme(circle=world.circle, year=2027, by=world.coordinator)
    services.propose_programme_item(
        programme=programme, by=world.member, on=date(2027, 2, 1), theme="T", form="tips"
    )
    client.force_login(world.coordinator)
    response = client.post(_programme_url(world), {"action": "agree", "year": "2027"})
    assert response.status_code == 200
    assert "vul een plaats in" in response.content.decode()
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.DRAFT


def test_the_form_suggests_the_member_due_to_host(client, world):
    held_meeting(world.circle, date(2023, 5, 1), host=world.member)
    services.draft_programme(circle=world.circle, year=2027, by=world.coordinator)
    client.force_login(world.coordinator)
    body = client.get(_programme_url(world)).content.decode()
    assert f"Volgens het rooster is {world.member} aan de beurt." in body


def test_trial_applicants_and_other_circles_do_not_see_programme_or_subgroups(client, world):
    applicant = ApplicationFactory(circle=world.circle, state=ApplicationState.TRIAL).applicant
    subgroup = services.form_subgroup(circle=world.circle, name="Intervisie", by=world.member)
    for person in (applicant, world.other_member, world.other_coordinator):
        client.force_login(person)
        for name, pk in [
            ("programme", world.circle.pk),
            ("subgroups", world.circle.pk),
            ("subgroup", subgroup.pk),
        ]:
            url = reverse(f"kwaliteitskringen:{name}", args=[pk])
            assert client.get(url).status_code == 404, (name, person)
            assert client.post(url, {"action": "join", "name": "X"}).status_code == 404
    assert Subgroup.objects.count() == 1


def test_member_starts_a_subgroup_plans_a_meeting_and_records_attendance(client, world):
    colleague = MembershipFactory(circle=world.circle, year=2026).member
    client.force_login(world.member)
    response = client.post(
        reverse("kwaliteitskringen:subgroups", args=[world.circle.pk]),
        {"name": "Intervisiegroep Oost", "purpose": "Maandelijks", "members": [colleague.pk]},
    )
    subgroup = Subgroup.objects.get()
    assert response.url == reverse("kwaliteitskringen:subgroup", args=[subgroup.pk])
    response = client.post(
        reverse("kwaliteitskringen:subgroup_meeting_create", args=[subgroup.pk]),
        {
            "date": "2026-11-20",
            "place": "Deventer",
            "form": "intervision",
            "theme": "Intervisie over grenzen",
            "agenda": "1. Opening",
            "facilitator": "Ria Post",
        },
    )
    assert response.url == reverse("kwaliteitskringen:subgroup", args=[subgroup.pk])
    meeting = Meeting.objects.get(subgroup=subgroup)
    attendance_url = reverse("kwaliteitskringen:meeting_attendance", args=[meeting.pk])
    page = client.get(attendance_url).content.decode()
    assert escape(str(colleague)) in page and "manage_members" not in page
    client.post(attendance_url, {"present": [colleague.pk, world.member.pk]})
    assert Attendance.objects.filter(meeting=meeting, present=True).count() == 2
    # the colleague sees it on the subgroup page; not on the circle's own meeting list
    client.force_login(colleague)
    body = client.get(response.url).content.decode()
    assert "Intervisie over grenzen" in body and "2 aanwezig" in body
    circle_page = reverse("kwaliteitskringen:circle", args=[world.circle.pk])
    assert "Intervisie over grenzen" in client.get(circle_page).content.decode()  # attended
    manage = reverse("kwaliteitskringen:manage_meetings", args=[world.circle.pk])
    client.force_login(world.coordinator)
    assert "Intervisie over grenzen" not in client.get(manage).content.decode()


def test_a_member_who_does_not_convene_cannot_plan_or_record_for_the_subgroup(client, world):
    colleague = MembershipFactory(circle=world.circle, year=2026).member
    subgroup = services.form_subgroup(
        circle=world.circle, name="Intervisie", by=world.member, members=[colleague]
    )
    meeting = MeetingFactory(circle=world.circle, subgroup=subgroup, date=date(2026, 11, 20))
    client.force_login(colleague)
    for name, pk in [
        ("subgroup_meeting_create", subgroup.pk),
        ("meeting_attendance", meeting.pk),
        ("meeting_edit", meeting.pk),
        ("meeting_cancel", meeting.pk),
    ]:
        assert client.get(reverse(f"kwaliteitskringen:{name}", args=[pk])).status_code == 404


def test_coordinator_plans_a_joint_meeting_and_the_guest_circle_sees_and_registers(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("kwaliteitskringen:meeting_create", args=[world.circle.pk]),
        {
            "date": "2026-12-10",
            "place": "Amersfoort",
            "form": "workshop",
            "theme": "Samen met Zwolle",
            "joint_with": world.other_circle.pk,
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(theme="Samen met Zwolle")
    assert meeting.joint_with == world.other_circle
    client.force_login(world.other_member)
    body = client.get(
        reverse("kwaliteitskringen:circle", args=[world.other_circle.pk])
    ).content.decode()
    assert "Samen met Zwolle" in body and "samen met Kring Utrecht" in body
    url = reverse("kwaliteitskringen:meeting", args=[meeting.pk])
    assert "Gezamenlijke bijeenkomst" in client.get(url).content.decode()
    client.post(url, {"action": "register"})
    client.post(url, {"action": "register"})
    assert meeting.registrations.get().participant == world.other_member
    client.force_login(world.other_coordinator)
    manage = reverse("kwaliteitskringen:manage_meetings", args=[world.other_circle.pk])
    assert "Samen met Zwolle" in client.get(manage).content.decode()


# --- query counts: the same for 1 and N rows ------------------------------------------------


def _grow(world, n, start=0):
    programme = services.draft_programme(circle=world.circle, year=2026, by=world.coordinator)
    subgroup = Subgroup.objects.filter(circle=world.circle).first() or services.form_subgroup(
        circle=world.circle, name="Groep", by=world.member
    )
    for i in range(start, start + n):
        member = MembershipFactory(circle=world.circle, year=2026).member
        services.propose_programme_item(
            programme=programme,
            by=member,
            on=date(2026, 12, 1 + i),
            theme=f"Thema {i}",
            form="tips",
            host=member,
        )
        services.join_subgroup(subgroup=subgroup, member=member, by=member)
        held_meeting(
            world.circle, date(2026, 1 + i, 5), present=[member], host=member, subgroup=subgroup
        )
        MeetingFactory(circle=world.circle, subgroup=subgroup, date=date(2026, 12, 1 + i))
        other = services.form_subgroup(circle=world.circle, name=f"Groep {i}", by=member)
        MeetingFactory(circle=world.circle, subgroup=other, date=date(2026, 12, 20))
        MeetingFactory(circle=world.other_circle, joint_with=world.circle, date=date(2026, 12, 2))
    return subgroup


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("programme", "member"),
        ("programme", "coordinator"),
        ("subgroups", "member"),
        ("subgroup", "member"),
        ("circle", "member"),
        ("manage_meetings", "coordinator"),
    ],
)
def test_new_lists_issue_the_same_queries_for_1_and_n_rows(
    client, world, django_assert_num_queries, name, persona
):
    client.force_login(getattr(world, persona))
    subgroup = _grow(world, 1)
    pk = subgroup.pk if name == "subgroup" else world.circle.pk
    url = reverse(f"kwaliteitskringen:{name}", args=[pk])
    client.get(url)  # warm caches (content types, session)
    revisions.remembered.clear()  # then the first request at this revision, as after _grow
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _grow(world, 6, start=1)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200
