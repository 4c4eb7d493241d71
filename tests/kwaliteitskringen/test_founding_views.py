"""Pages of founding a circle, interest and the regional chair: what a visitor, a member, a
chair and the secretariat see and do; query counts; the admin."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from kwaliteitskringen import services
from kwaliteitskringen.models import (
    AnnualReport,
    FoundingRequest,
    FoundingState,
    Interest,
    InterestInvitation,
    InterestState,
    RegionalChair,
    ReportState,
)
from noloc_portal.accounts.models import User
from tests.factories import Role, user_with
from tests.kwaliteitskringen.factories import CircleFactory, MembershipFactory, held_meeting

pytestmark = pytest.mark.django_db

INTEREST = {"region": "Drenthe", "email": "iemand@example.org", "consent": "on"}


# --- interest -------------------------------------------------------------------------------


def test_the_public_page_offers_interest_and_founding(client, world):
    body = client.get(reverse("kwaliteitskringen:public_list")).content.decode()
    assert reverse("kwaliteitskringen:interest") in body
    assert reverse("kwaliteitskringen:found") in body
    assert "Drenthe" in body  # a region without a circle can be chosen
    services.register_interest(email="geheim@example.org", region="Drenthe", consent=True)
    assert (
        "geheim@example.org"
        not in client.get(reverse("kwaliteitskringen:public_list")).content.decode()
    )


def test_the_interest_form_offers_the_regions_of_the_listed_circles(
    client, world, django_assert_num_queries
):
    """The regions come from the circles the page lists: no query of their own."""
    CircleFactory(region="Betuwe")
    with django_assert_num_queries(2):  # the circles with their totals, the published reports
        body = client.get(reverse("kwaliteitskringen:public_list")).content.decode()
    region = body[
        body.index('name="region"') : body.index("</select>", body.index('name="region"'))
    ]
    assert '<option value="Betuwe">Betuwe</option>' in region
    assert '<option value="Zeeland">Zeeland</option>' in region


def test_the_interest_form_is_drawn_the_same_from_the_process_cache(client, world):
    """The first request draws the form (a miss), the second takes it from the cache."""
    from noloc_portal import lists

    def interest_section(body: str) -> str:
        section = body[body.index('id="belangstelling"') : body.index('aria-labelledby="oprichten')]
        start = section.index('name="csrfmiddlewaretoken"')
        return section[:start] + section[section.index(">", start) :]

    lists._FORM_HTML.clear()
    url = reverse("kwaliteitskringen:public_list")
    drawn = interest_section(client.get(url).content.decode())
    assert interest_section(client.get(url).content.decode()) == drawn
    assert 'name="region"' in drawn and 'name="email"' in drawn and 'name="consent"' in drawn
    member = user_with(Role.PROFESSIONAL, email="lid@example.org")
    client.force_login(member)
    mine = interest_section(client.get(url).content.decode())
    assert 'value="lid@example.org"' in mine and 'value="lid@example.org"' not in drawn


def test_registering_interest_twice_gives_the_same_answer_and_one_row(
    client, django_capture_on_commit_callbacks
):
    url = reverse("kwaliteitskringen:interest")
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            response = client.post(url, INTEREST, follow=True)
            answers.append((response.redirect_chain, response.content.decode().count("Dank je")))
    assert answers[0] == answers[1]
    assert Interest.objects.get().email == "iemand@example.org"
    assert len(mail.outbox) == 2  # the owner of the address is told both times


def test_interest_without_consent_is_explained_next_to_the_field(client):
    response = client.post(
        reverse("kwaliteitskringen:interest"), {**INTEREST, "consent": "", "email": "x@example.org"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Zonder je toestemming kunnen we je niet mailen." in body
    assert 'value="x@example.org"' in body and not Interest.objects.exists()
    response = client.post(reverse("kwaliteitskringen:interest"), {"email": "geen-adres"})
    body = response.content.decode()
    assert "Vul een geldig e-mailadres in." in body and "Kies je regio." in body


def test_interest_is_limited_per_address(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.INTEREST_LIMIT_PER_ADDRESS = 2
    url = reverse("kwaliteitskringen:interest")
    statuses = [
        client.post(url, {**INTEREST, "email": f"p{i}@example.org"}).status_code for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Interest.objects.count() == 2


def test_interest_renewed_and_withdrawn_from_the_mailed_link(client):
    interest = services.register_interest(email="a@example.org", region="Drenthe", consent=True)
    services.expire_interests(as_of=interest.expires_on + date.resolution)
    url = reverse("kwaliteitskringen:interest_manage", args=[interest.token])
    assert "Verlopen" in client.get(url).content.decode()
    client.post(url, {"action": "renew"})
    interest.refresh_from_db()
    assert interest.state == InterestState.ACTIVE
    client.post(url, {"action": "withdraw"})
    interest.refresh_from_db()
    assert interest.state == InterestState.WITHDRAWN
    assert client.post(url, {"action": "delete-all"}).status_code == 404


# --- founding -------------------------------------------------------------------------------


def test_member_asks_to_found_a_circle_and_follows_the_request(client, world):
    member = user_with(Role.PROFESSIONAL)
    client.force_login(member)
    response = client.post(
        reverse("kwaliteitskringen:found"),
        {
            "name": "Kwaliteitskring Assen",
            "region": "Drenthe",
            "meeting_place": "Assen, bibliotheek",
            "rhythm": "vijf keer per jaar",
            "motivation": "In Drenthe is geen kring.",
        },
    )
    founding = FoundingRequest.objects.get(founder=member)
    assert response.url == reverse("kwaliteitskringen:founding_request", args=[founding.pk])
    body = client.get(response.url).content.decode()
    assert "Ingediend" in body and "Verzoek intrekken" in body
    assert "Kwaliteitskring Assen" in client.get(reverse("kwaliteitskringen:mine")).content.decode()
    # The form now leads to the open request instead of a second one.
    assert client.get(reverse("kwaliteitskringen:found")).url == response.url
    services.decline_founding_request(founding=founding, reason="Te weinig leden", by=world.staff)
    body = client.get(response.url).content.decode()
    assert "Afgewezen" in body and "Te weinig leden" in body


def test_founding_form_bad_input_stays_on_the_page(client, world):
    client.force_login(world.member)
    response = client.post(
        reverse("kwaliteitskringen:found"),
        {"name": "Kring Utrecht", "region": "Atlantis", "rhythm": "maandelijks"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Er bestaat al een kring met deze naam." in body
    assert "Vul de beoogde plaats in." in body and 'value="maandelijks"' in body
    assert not FoundingRequest.objects.filter(founder=world.member).exists()


def test_founder_withdraws_the_request(client, world):
    client.force_login(world.founder)
    url = reverse("kwaliteitskringen:founding_request", args=[world.founding.pk])
    client.post(url, {"action": "withdraw"})
    world.founding.refresh_from_db()
    assert world.founding.state == FoundingState.WITHDRAWN
    client.force_login(world.member)
    assert client.post(url, {"action": "withdraw"}).status_code == 404


# --- the regional chair ---------------------------------------------------------------------


def test_chair_sees_the_circles_of_their_region_only(client, world):
    client.force_login(world.chair)
    home = client.get(reverse("home"))
    assert home.url == reverse("kwaliteitskringen:region")
    body = client.get(home.url).content.decode()
    assert world.circle.name in body and world.other_circle.name not in body
    response = client.get(reverse("kwaliteitskringen:region_circle", args=[world.circle.pk]))
    body = response.content.decode()
    assert "minimum is 8" in body  # the circle's signals
    assert "Subsidie 2026" in body


def test_chair_reads_a_submitted_annual_report_but_not_a_draft(client, world):
    submitted = AnnualReport.objects.create(
        circle=world.circle, year=2025, state=ReportState.SUBMITTED, narrative="Goed jaar"
    )
    draft = AnnualReport.objects.create(circle=world.circle, year=2024)
    client.force_login(world.chair)
    body = client.get(
        reverse("kwaliteitskringen:region_circle", args=[world.circle.pk])
    ).content.decode()
    assert reverse("kwaliteitskringen:annual_report", args=[submitted.pk]) in body
    assert reverse("kwaliteitskringen:annual_report", args=[draft.pk]) not in body
    url = reverse("kwaliteitskringen:annual_report", args=[submitted.pk])
    assert client.get(url).status_code == 200
    assert (
        client.get(reverse("kwaliteitskringen:annual_report", args=[draft.pk])).status_code == 404
    )


def _grow_region(world, n):
    for i in range(n):
        circle = CircleFactory(region="Utrecht")
        MembershipFactory(circle=circle)
        held_meeting(circle, date(2026, 3, 1 + i))
        AnnualReport.objects.create(circle=circle, year=2025, state=ReportState.SUBMITTED)
        services.prepare_subsidy_claim(circle=circle, year=2026, by=circle.coordinator)
        FoundingRequest.objects.create(
            founder=world.coordinator if i == 0 else user_with(),
            name=f"Verzoek {i}",
            region="Utrecht",
            meeting_place="Utrecht",
            rhythm="maandelijks",
            motivation="Graag",
            state=FoundingState.DECLINED,
        )
        interest = services.register_interest(
            email=f"b{i}@example.org", region="Utrecht", consent=True
        )
        InterestInvitation.objects.create(interest=interest, circle=circle)


@pytest.mark.parametrize(
    ("name", "persona"), [("region", "chair"), ("region", "staff"), ("mine", "coordinator")]
)
def test_new_lists_issue_the_same_queries_for_1_and_n_rows(
    client, world, django_assert_num_queries, name, persona
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(getattr(world, persona))
    url = reverse(f"kwaliteitskringen:{name}")
    _grow_region(world, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _grow_region(world, 6)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("model", ["interest", "foundingrequest", "interestinvitation"])
def test_admin_lists_issue_the_same_queries_for_1_and_n_rows(
    admin_client, world, django_assert_num_queries, model
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse(f"admin:kwaliteitskringen_{model}_changelist")
    _grow_region(world, 1)
    admin_client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert admin_client.get(url).status_code == 200
    _grow_region(world, 6)
    with django_assert_num_queries(len(one.captured_queries)):
        assert admin_client.get(url).status_code == 200


# --- the secretariat's admin ----------------------------------------------------------------


def test_admin_approves_a_founding_request_through_the_service(
    admin_client, world, django_capture_on_commit_callbacks
):
    url = reverse("admin:kwaliteitskringen_foundingrequest_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "approve", "_selected_action": [world.founding.pk]})
    world.founding.refresh_from_db()
    assert world.founding.state == FoundingState.APPROVED
    assert world.founding.circle.coordinator == world.founder
    assert any("is opgericht" in message.subject for message in mail.outbox)


def test_admin_declines_with_a_reason_asked_on_a_second_page(admin_client, world):
    url = reverse("admin:kwaliteitskringen_foundingrequest_changelist")
    data = {"action": "decline_founding_request_action", "_selected_action": [world.founding.pk]}
    assert "Reden" in admin_client.post(url, data).content.decode()
    admin_client.post(url, {**data, "apply": "1", "reason": "Er is al een kring"})
    world.founding.refresh_from_db()
    assert (world.founding.state, world.founding.decision_reason) == (
        FoundingState.DECLINED,
        "Er is al een kring",
    )


def test_admin_shows_interest_per_region_and_invites_to_a_circle(
    admin_client, world, django_capture_on_commit_callbacks
):
    interest = services.register_interest(email="a@example.org", region="Utrecht", consent=True)
    services.register_interest(email="b@example.org", region="Drenthe", consent=True)
    url = reverse("admin:kwaliteitskringen_interest_changelist")
    body = admin_client.get(url).content.decode()
    assert "Belangstelling per regio" in body and "Drenthe" in body
    data = {"action": "invite", "_selected_action": [interest.pk]}
    assert "Kring om zich bij aan te melden" in admin_client.post(url, data).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {**data, "apply": "1", "circle": world.circle.pk})
    assert InterestInvitation.objects.get().circle == world.circle
    assert mail.outbox[-1].to == ["a@example.org"]


def test_admin_appoints_and_removes_a_regional_chair(admin_client, world):
    person = user_with(Role.PROFESSIONAL)
    admin_client.post(
        reverse("admin:kwaliteitskringen_regionalchair_add"),
        {"user": person.pk, "region": "Zeeland"},
    )
    assert User.objects.get(pk=person.pk).has_role(Role.REGIONAL_CHAIR)
    chair = RegionalChair.objects.get(user=person)
    admin_client.post(
        reverse("admin:kwaliteitskringen_regionalchair_delete", args=[chair.pk]), {"post": "yes"}
    )
    assert not RegionalChair.objects.filter(user=person).exists()
    assert not User.objects.get(pk=person.pk).has_role(Role.REGIONAL_CHAIR)
