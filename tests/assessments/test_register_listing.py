"""What the public register shows of a professional: their place, only when they switch it on,
set by themselves on a page with a preview of their entry. Bad input keeps what was typed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Registration
from assessments.register_services import ListingError, update_register_listing
from noloc_portal.audit.models import SecurityEvent
from tests.factories import Role, user_with

pytestmark = pytest.mark.django_db

LISTING = reverse("register:listing")


@pytest.fixture
def registered(db):
    owner = user_with(Role.PROFESSIONAL, full_name="Petra de Jong", place="Arnhem")
    today = timezone.localdate()
    Registration.objects.create(
        owner=owner,
        register="jobcoach",
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=1000),
    )
    return owner


@pytest.mark.parametrize(
    "name, status",
    [
        ("anonymous", 302),
        ("professional", 200),
        ("assessor", 404),
        ("certification_coordinator", 404),
        ("circle_coordinator", 404),
        ("staff", 404),
    ],
)
def test_who_opens_the_listing_page(client, request, name, status):
    if name != "anonymous":
        client.force_login(request.getfixturevalue(name))
    response = client.get(LISTING)
    assert response.status_code == status
    if name == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
        assert client.post(LISTING, {"place": "X"}).status_code == 302


def test_a_professional_switches_the_place_on_and_the_register_shows_it(client, registered):
    client.force_login(registered)
    page = client.get(LISTING).content.decode()
    assert "Petra de Jong" in page and "Register Jobcoach" in page
    assert page.count("Arnhem") == 1  # in the field, not in the preview

    response = client.post(LISTING, {"place": "  Den   Haag ", "show_place_in_register": "on"})

    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.place == "Den Haag" and registered.show_place_in_register
    assert "Den Haag" in client.get(reverse("register:search"), {"plaats": "haag"}).content.decode()
    assert SecurityEvent.objects.filter(
        action="register.listing_changed", actor=registered, detail__show_place=True
    ).exists()


def test_switching_it_off_hides_the_place_again(client, registered):
    registered.show_place_in_register = True
    registered.save()
    client.force_login(registered)

    client.post(LISTING, {"place": "Arnhem"})

    registered.refresh_from_db()
    assert not registered.show_place_in_register
    body = client.get(reverse("register:search")).content.decode()
    assert "Petra de Jong" in body and "Arnhem" not in body


def test_the_preview_shows_what_was_typed_without_saving_it(client, registered):
    client.force_login(registered)

    response = client.post(
        LISTING, {"place": "Zwolle", "show_place_in_register": "on", "voorbeeld": "1"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Voorbeeld (nog niet opgeslagen)" in body
    assert body.count("Zwolle") == 2  # in the field and in the preview of the entry
    registered.refresh_from_db()
    assert registered.place == "Arnhem" and not registered.show_place_in_register


def test_showing_an_empty_place_is_refused_next_to_the_field(client, registered):
    client.force_login(registered)

    response = client.post(LISTING, {"place": "   ", "show_place_in_register": "on"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Vul een plaats in, of zet het vinkje uit" in body
    assert 'name="show_place_in_register"' in body and "checked" in body  # kept as typed
    registered.refresh_from_db()
    assert registered.place == "Arnhem"


def test_a_place_too_long_is_refused_and_kept(client, registered):
    client.force_login(registered)
    long_place = "Ergens" * 30

    body = client.post(LISTING, {"place": long_place}).content.decode()

    assert "Zorg dat deze waarde niet meer dan 100 tekens bevat" in body
    assert long_place in body


def test_without_a_registration_the_page_says_the_register_does_not_list_them(client, professional):
    client.force_login(professional)
    body = client.get(LISTING).content.decode()
    assert "Je hebt nu geen geldige registratie" in body


def test_only_the_professional_sets_their_own_listing(registered):
    with pytest.raises(ListingError):
        update_register_listing(
            user=registered,
            by=user_with(Role.PROFESSIONAL),
            place="Utrecht",
            show_place=True,
        )
    with pytest.raises(ListingError):
        update_register_listing(user=registered, by=registered, place=" ", show_place=True)
    registered.refresh_from_db()
    assert registered.place == "Arnhem" and not registered.show_place_in_register
