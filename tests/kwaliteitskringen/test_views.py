"""Pages: every URL × persona (outsiders 404), isolation, bad input, query counts."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kwaliteitskringen import revisions, selectors, services
from kwaliteitskringen.models import (
    AnnualReport,
    Application,
    ApplicationState,
    Meeting,
    MeetingState,
    Membership,
    ReportState,
)
from kwaliteitskringen.urls import urlpatterns
from tests.factories import Role, user_with
from tests.kwaliteitskringen.factories import (
    PDF_BYTES,
    ApplicationFactory,
    CircleFactory,
    MeetingFactory,
    MembershipFactory,
    held_meeting,
)

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "member",
    "other_member",
    "coordinator",
    "other_coordinator",
    "staff",
    "chair",
    "founder",
]
MANAGERS_ONLY = {"coordinator": 200, "staff": 200}
NOBODY = dict.fromkeys(PERSONAS, 404)
MEMBERS_AND_MANAGERS = {"member": 200, "coordinator": 200, "staff": 200}
EVERYONE = dict.fromkeys(PERSONAS, 200)


def _login(client, world, persona):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))


def _targets(world):
    applicant_app = ApplicationFactory(circle=world.circle, applicant=world.member)
    held = held_meeting(world.circle, date(2026, 11, 17), present=[world.member])
    draft = AnnualReport.objects.create(circle=world.circle, year=2025)
    published = AnnualReport.objects.create(
        circle=world.other_circle, year=2025, state=ReportState.PUBLISHED
    )
    submitted = AnnualReport.objects.create(
        circle=world.circle, year=2024, state=ReportState.SUBMITTED
    )
    interest = services.register_interest(
        email="iemand@example.org", region="Drenthe", consent=True
    )
    membership = Membership.objects.get(member=world.member)
    c, m = world.circle.pk, world.meeting.pk
    services.draft_programme(circle=world.circle, year=2026, by=world.coordinator)
    subgroup = services.form_subgroup(circle=world.circle, name="Intervisie", by=world.member)
    subgroup_meeting = MeetingFactory(
        circle=world.circle, subgroup=subgroup, date=date(2026, 11, 20)
    )
    joint = MeetingFactory(
        circle=world.circle, joint_with=world.other_circle, date=date(2026, 11, 20)
    )
    convener_only = {**MEMBERS_AND_MANAGERS}  # the member convenes the subgroup
    both_circles = dict.fromkeys(
        ["member", "other_member", "coordinator", "other_coordinator", "staff"], 200
    )
    return {
        # url name: (args, expected status per persona; others 404, anonymous login)
        "public_list": ((), EVERYONE),
        "mine": ((), {**EVERYONE, "anonymous": 302}),
        "name_consent": ((membership.pk,), {}),  # POST only
        "annual_report": ((published.pk,), EVERYONE),
        "annual_report#draft": ((draft.pk,), MANAGERS_ONLY),
        "annual_report#submitted": ((submitted.pk,), {**MANAGERS_ONLY, "chair": 200}),
        "circle": ((c,), MEMBERS_AND_MANAGERS),
        "apply": ((c,), {**EVERYONE, "anonymous": 302, "member": 302, "coordinator": 200}),
        "renew": ((c,), {}),  # POST only
        "application": ((applicant_app.pk,), MEMBERS_AND_MANAGERS),
        "meeting": ((m,), MEMBERS_AND_MANAGERS),
        "meeting_report": ((held.pk,), MANAGERS_ONLY),
        "manage_members": ((c,), MANAGERS_ONLY),
        "manage_settings": ((c,), MANAGERS_ONLY),
        "remove_member": ((c, membership.pk), MANAGERS_ONLY),
        "contribution": ((c,), {}),
        "renewal": ((c,), {}),
        "split": ((c,), MANAGERS_ONLY),
        "manage_applications": ((c,), MANAGERS_ONLY),
        "decide_application": ((applicant_app.pk,), MANAGERS_ONLY),
        "manage_meetings": ((c,), MANAGERS_ONLY),
        "meeting_create": ((c,), MANAGERS_ONLY),
        "meeting_edit": ((m,), MANAGERS_ONLY),
        "meeting_cancel": ((m,), MANAGERS_ONLY),
        "meeting_attendance": ((m,), MANAGERS_ONLY),
        "manage_signals": ((c,), MANAGERS_ONLY),
        "manage_annual_report": ((c,), MANAGERS_ONLY),
        "manage_subsidy": ((c,), MANAGERS_ONLY),
        # founding a circle, interest, the regional chair
        "found": ((), {**EVERYONE, "anonymous": 302, "founder": 302}),
        "founding_request": ((world.founding.pk,), {"founder": 200, "staff": 200}),
        "interest": ((), EVERYONE),
        "interest_manage": ((interest.token,), EVERYONE),  # whoever holds the mailed link
        "interest_manage#wrong": (("x" * 43,), NOBODY),
        "region": ((), {"chair": 200, "staff": 200}),
        "region_circle": ((c,), {"chair": 200, "staff": 200}),
        "region_circle#other_region": ((world.other_circle.pk,), {"staff": 200}),
        # KK-7: the year's programme, subgroups, joint meetings
        "programme": ((c,), MEMBERS_AND_MANAGERS),
        "subgroups": ((c,), MEMBERS_AND_MANAGERS),
        "subgroup": ((subgroup.pk,), MEMBERS_AND_MANAGERS),
        "subgroup_meeting_create": ((subgroup.pk,), convener_only),
        "meeting#subgroup": ((subgroup_meeting.pk,), MEMBERS_AND_MANAGERS),
        "meeting_attendance#subgroup": ((subgroup_meeting.pk,), convener_only),
        "meeting_edit#subgroup": ((subgroup_meeting.pk,), convener_only),
        "meeting#joint": ((joint.pk,), both_circles),
        "meeting_attendance#joint": ((joint.pk,), MANAGERS_ONLY),
    }


def test_every_url_name_is_in_the_permission_matrix(world):
    names = {key.split("#")[0] for key in _targets(world)}
    assert names == {pattern.name for pattern in urlpatterns}


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix_get(client, world, persona):
    _login(client, world, persona)
    for key, (args, allowed) in _targets(world).items():
        url = reverse(f"kwaliteitskringen:{key.split('#')[0]}", args=args)
        response = client.get(url)
        if persona == "anonymous" and allowed.get("anonymous") != 200:
            assert response.status_code in (302, 404), key
            if response.status_code == 302:
                assert response.url.startswith(reverse("accounts:login")), key
            continue
        expected = allowed.get(persona, 404)
        if not allowed:  # POST-only views
            expected = 405 if persona != "anonymous" else 302
        assert response.status_code == expected, (key, persona, response.status_code)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("member", 404), ("other_member", 404), ("other_coordinator", 404), ("coordinator", 302)],
)
def test_posts_by_outsiders_change_nothing(client, world, persona, status):
    _login(client, world, persona)
    membership = Membership.objects.get(member=world.member)
    response = client.post(
        reverse("kwaliteitskringen:remove_member", args=[world.circle.pk, membership.pk]),
        {"reason": "Weg ermee"},
    )
    assert response.status_code == status
    membership.refresh_from_db()
    assert membership.is_current is (status == 404)


def test_coordinator_of_one_circle_sees_nothing_of_another(client, world):
    other_meeting = MeetingFactory(circle=world.other_circle, date=date(2026, 12, 1))
    client.force_login(world.coordinator)
    for name, args in [
        ("manage_members", [world.other_circle.pk]),
        ("manage_signals", [world.other_circle.pk]),
        ("circle", [world.other_circle.pk]),
        ("meeting", [other_meeting.pk]),
        ("meeting_attendance", [other_meeting.pk]),
    ]:
        assert client.get(reverse(f"kwaliteitskringen:{name}", args=args)).status_code == 404
    body = client.get(reverse("kwaliteitskringen:mine")).content.decode()
    assert world.circle.name in body and world.other_circle.name not in body


def test_members_see_their_own_circles_meetings_only(client, world):
    other_meeting = MeetingFactory(
        circle=world.other_circle, date=date(2026, 12, 1), theme="Geheim"
    )
    client.force_login(world.member)
    body = client.get(reverse("kwaliteitskringen:circle", args=[world.circle.pk])).content.decode()
    assert world.meeting.theme in body and "Geheim" not in body
    assert (
        client.get(reverse("kwaliteitskringen:meeting", args=[other_meeting.pk])).status_code == 404
    )


def test_public_page_shows_only_published_reports(client, world):
    published = AnnualReport.objects.create(
        circle=world.circle, year=2024, state=ReportState.PUBLISHED
    )
    submitted = AnnualReport.objects.create(
        circle=world.circle, year=2025, state=ReportState.SUBMITTED
    )
    body = client.get(reverse("kwaliteitskringen:public_list")).content.decode()
    assert reverse("kwaliteitskringen:annual_report", args=[published.pk]) in body
    assert reverse("kwaliteitskringen:annual_report", args=[submitted.pk]) not in body
    assert (
        client.get(reverse("kwaliteitskringen:annual_report", args=[submitted.pk])).status_code
        == 404
    )


def test_public_page_lists_circles_by_region_with_meeting_count_and_my_circle(client, world):
    held_meeting(world.circle, date(2026, 2, 1))
    MeetingFactory(circle=world.circle, date=date(2026, 3, 1), state=MeetingState.CANCELLED)
    client.force_login(world.member)
    body = client.get(reverse("kwaliteitskringen:public_list")).content.decode()
    assert body.index("Overijssel") < body.index("Utrecht")
    assert "2 bijeenkomsten in 2026" in body  # the planned one and the held one
    assert "Mijn kring" in body
    assert reverse("kwaliteitskringen:apply", args=[world.other_circle.pk]) in body


# --- applying as a new user would -----------------------------------------------------------


def test_applicant_applies_with_cv_and_sees_the_waiting_list_position(client, world):
    applicant = user_with(Role.PROFESSIONAL)
    ApplicationFactory(circle=world.circle, state=ApplicationState.WAITLISTED)
    client.force_login(applicant)
    url = reverse("kwaliteitskringen:apply", args=[world.circle.pk])
    cv = SimpleUploadedFile("cv.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(url, {"cv": cv, "expectations": "Casussen bespreken"})
    application = Application.objects.get(applicant=applicant)
    assert response.url == reverse("kwaliteitskringen:application", args=[application.pk])
    services.waitlist_application(application=application, by=world.coordinator)
    body = client.get(response.url).content.decode()
    assert "Plaats op de wachtlijst" in body and 'data-testid="position">2<' in body
    # The coordinator may read the CV, another member may not.
    download = reverse("documents:download", args=[application.cv.uuid])
    client.force_login(world.coordinator)
    assert client.get(download).status_code == 200
    client.force_login(world.other_member)
    assert client.get(download).status_code == 404


def test_bad_cv_gives_a_dutch_message_and_keeps_the_text(client, world):
    client.force_login(user_with(Role.PROFESSIONAL))
    url = reverse("kwaliteitskringen:apply", args=[world.circle.pk])
    fake = SimpleUploadedFile("cv.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(url, {"cv": fake, "expectations": "Mijn verwachtingen hier"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mijn verwachtingen hier" in body
    assert "is-invalid" in body
    assert not Application.objects.exists()
    response = client.post(url, {"expectations": ""})
    body = response.content.decode()
    assert "Voeg je cv toe." in body and "Beschrijf je verwachtingen" in body


def test_meeting_form_bad_input_is_explained_next_to_the_field(client, world):
    client.force_login(world.coordinator)
    url = reverse("kwaliteitskringen:meeting_create", args=[world.circle.pk])
    response = client.post(
        url, {"date": "31-02-2026", "theme": "Intervisie", "form": "intervision"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vul een geldige datum in." in body and "Vul de plaats in." in body
    assert 'value="Intervisie"' in body
    assert Meeting.objects.count() == 1


def test_coordinator_schedules_a_meeting_and_records_attendance(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("kwaliteitskringen:meeting_create", args=[world.circle.pk]),
        {
            "date": "2026-11-20",
            "start_time": "19:30",
            "place": "Utrecht",
            "form": "intervision",
            "theme": "Intervisie over grenzen",
            "facilitator": "Ingrid Vos",
            "host": world.member.pk,
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(theme="Intervisie over grenzen")
    url = reverse("kwaliteitskringen:meeting_attendance", args=[meeting.pk])
    response = client.post(url, {"present": [world.member.pk]})
    assert response.url == reverse("kwaliteitskringen:meeting_report", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    client.force_login(world.member)
    body = client.get(reverse("kwaliteitskringen:circle", args=[world.circle.pk])).content.decode()
    assert "Intervisie over grenzen" in body and "Ingrid Vos" in body  # attended list


def test_refused_transition_shows_a_dutch_message_not_an_error_page(client, world):
    client.force_login(world.coordinator)
    application = ApplicationFactory(circle=world.circle, state=ApplicationState.DECLINED)
    response = client.post(
        reverse("kwaliteitskringen:decide_application", args=[application.pk]),
        {"action": "trial"},
        follow=True,
    )
    assert response.status_code == 200
    assert "kan niet meer" in response.content.decode()


def test_decline_without_reason_keeps_the_page_with_the_message(client, world):
    client.force_login(world.coordinator)
    application = ApplicationFactory(circle=world.circle)
    response = client.post(
        reverse("kwaliteitskringen:decide_application", args=[application.pk]),
        {"action": "decline", "reason": ""},
    )
    assert response.status_code == 200
    assert "Geef een reden op." in response.content.decode()


def test_double_click_on_register_lands_on_the_same_result(client, world):
    client.force_login(world.member)
    url = reverse("kwaliteitskringen:meeting", args=[world.meeting.pk])
    for _ in range(2):
        assert client.post(url, {"action": "register"}).status_code == 302
    assert world.meeting.registrations.count() == 1


def test_signals_tab_offers_remove_and_dismiss(client, world):
    client.force_login(world.coordinator)
    url = reverse("kwaliteitskringen:manage_signals", args=[world.circle.pk])
    body = client.get(url).content.decode()
    assert "minimum is 8" in body and "Deelname beëindigen" in body
    response = client.post(url, {"key": "participants:2026:1", "note": ""})
    assert "Schrijf kort op" in response.content.decode()
    client.post(url, {"key": "participants:2026:1", "note": "Werving loopt"})
    assert "minimum is 8" not in client.get(url).content.decode()


# --- query counts: the same for 1 and N rows ------------------------------------------------


def _grow(world, n):
    for i in range(n):
        member = MembershipFactory(circle=world.circle, year=2026).member
        held_meeting(world.circle, date(2026, 1 + i % 10, 1 + i), present=[member], host=member)
        ApplicationFactory(circle=world.circle, state=ApplicationState.WAITLISTED)
        ApplicationFactory(circle=world.circle)
        other = CircleFactory(region=f"Regio {i}")
        AnnualReport.objects.create(circle=other, year=2025, state=ReportState.PUBLISHED)
        MeetingFactory(circle=other, date=date(2026, 5, 1))


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("public_list", "member"),
        ("mine", "coordinator"),
        ("circle", "member"),
        ("manage_members", "coordinator"),
        ("manage_applications", "coordinator"),
        ("manage_meetings", "coordinator"),
        ("manage_signals", "coordinator"),
        ("manage_subsidy", "coordinator"),
    ],
)
def test_list_pages_issue_the_same_queries_for_1_and_n_rows(
    client, world, django_assert_num_queries, name, persona
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(getattr(world, persona))
    args = [] if name in ("public_list", "mine") else [world.circle.pk]
    url = reverse(f"kwaliteitskringen:{name}", args=args)
    _grow(world, 1)
    client.get(url)  # warm caches (content types, session)
    revisions.remembered.clear()  # then the first request at this revision, as after _grow
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _grow(world, 6)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_secretary_runs_meetings_and_treasurer_the_money_but_neither_decides(client, world):
    secretary = MembershipFactory(circle=world.circle).member
    treasurer = MembershipFactory(circle=world.circle).member
    world.circle.secretary, world.circle.treasurer = secretary, treasurer
    world.circle.save()
    c = world.circle.pk

    def status(user, name, args):
        client.force_login(user)
        return client.get(reverse(f"kwaliteitskringen:{name}", args=args)).status_code

    assert status(secretary, "manage_meetings", [c]) == 200
    assert status(secretary, "meeting_create", [c]) == 200
    assert status(secretary, "manage_subsidy", [c]) == 404
    assert status(treasurer, "manage_subsidy", [c]) == 200
    assert status(treasurer, "meeting_create", [c]) == 404
    for user in (secretary, treasurer):
        assert status(user, "manage_applications", [c]) == 404
        assert status(user, "manage_signals", [c]) == 404
        assert status(user, "manage_annual_report", [c]) == 404


def test_the_contribution_form_is_drawn_the_same_from_the_process_cache(client, world):
    """The first request draws the form (a miss), the second takes it from the cache; a new
    participant is a new drawing."""
    from noloc_portal import lists

    def contribution_section(body: str) -> str:
        start = body.index('name="participant"')
        return body[start : body.index("</form>", start)]

    lists._FORM_HTML.clear()
    client.force_login(world.coordinator)
    url = reverse("kwaliteitskringen:manage_members", args=[world.circle.pk])
    drawn = contribution_section(client.get(url).content.decode())
    assert contribution_section(client.get(url).content.decode()) == drawn
    assert f'value="{world.member.pk}"' in drawn and 'name="description"' in drawn
    newcomer = MembershipFactory(circle=world.circle, year=world.meeting.date.year).member
    again = contribution_section(client.get(url).content.decode())
    assert f'value="{newcomer.pk}"' in again and f'value="{newcomer.pk}"' not in drawn


def test_the_members_page_shows_their_attendance_twenty_at_a_time(client, world):
    """A member's attendance grows with every meeting: the circle page writes 20 a page."""
    for n in range(25):
        held_meeting(world.circle, date(2025, 1, 1) + timedelta(days=7 * n), present=[world.member])
    client.force_login(world.member)
    url = reverse("kwaliteitskringen:circle", args=[world.circle.pk])
    first = client.get(url)
    assert len(first.context["attended"]) == 20
    assert "pagina 1 van 2" in first.content.decode()
    second = client.get(url, {"aanwezig": "2"})
    shown = {meeting.pk for meeting in first.context["attended"]}
    shown |= {meeting.pk for meeting in second.context["attended"]}
    assert len(shown) == len(selectors.attended_in_circle(world.member, world.circle))
    assert "pagina 2 van 2" in second.content.decode()
