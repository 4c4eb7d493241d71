"""The public register (AS-5): anyone checks, without logging in, whether a professional holds a
current registration. It shows the name, the register, the end date and the place only where the
professional chose to show it; expired and coming registrations are not in it; an entry that is
not current answers 404; the pages cost the same queries for one entry or many, and one address
cannot page through it faster than a person would."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Registration
from assessments.register_selectors import PublicEntry, public_register
from assessments.register_views import REGISTER_PAGE_SIZE
from tests.factories import Role, user_with

pytestmark = pytest.mark.django_db

SEARCH = reverse("register:search")


def registered(
    name: str,
    *,
    register: str = "jobcoach",
    place: str = "",
    show_place: bool = False,
    starts: int = -100,
    ends: int = 300,
    **owner,
) -> Registration:
    """A registration of a new professional, from ``starts`` to ``ends`` days from today."""
    today = timezone.localdate()
    person = user_with(
        Role.PROFESSIONAL, full_name=name, place=place, show_place_in_register=show_place, **owner
    )
    return Registration.objects.create(
        owner=person,
        register=register,
        valid_from=today + timedelta(days=starts),
        valid_until=today + timedelta(days=ends),
    )


def listed(client, **query) -> str:
    response = client.get(SEARCH, query)
    assert response.status_code == 200
    return response.content.decode()


def test_anyone_sees_current_registrations_with_register_and_end_date(client):
    registration = registered("Petra de Jong", ends=400)
    registered("Lotte Loopbaan", register="loopbaanprofessional")

    body = listed(client)

    assert "Petra de Jong" in body and "Lotte Loopbaan" in body
    assert "Register Jobcoach" in body and "Register Loopbaanprofessional" in body
    assert registration.valid_until.strftime("%Y") in body
    assert reverse("register:entry", args=[registration.public_id]) in body


def test_search_by_name_finds_every_part_in_any_case(client):
    registered("Petra van 't Hoff")
    registered("Pieter Hofman")
    registered("Anna de Wit")

    body = listed(client, naam="hoff petra")
    assert "Petra van &#x27;t Hoff" in body
    assert "Pieter Hofman" not in body and "Anna de Wit" not in body

    body = listed(client, naam="hof")
    assert "Petra van &#x27;t Hoff" in body and "Pieter Hofman" in body
    assert "Anna de Wit" not in body


def test_place_is_shown_and_searchable_only_when_the_professional_allows_it(client):
    registered("Open Olga", place="Utrecht", show_place=True)
    registered("Stille Stan", place="Utrecht", show_place=False)

    body = listed(client)
    assert body.count("Utrecht") == 1  # Olga's place; Stan's stays hidden

    body = listed(client, plaats="utrecht")
    assert "Open Olga" in body
    assert "Stille Stan" not in body  # a hidden place does not even match


def test_filter_by_register(client):
    registered("Jan Jobcoach", register="jobcoach")
    registered("Lotte Loopbaan", register="loopbaanprofessional")

    body = listed(client, register="loopbaanprofessional")

    assert "Lotte Loopbaan" in body and "Jan Jobcoach" not in body


def test_an_unknown_register_or_a_long_name_is_told_and_the_page_still_answers(client):
    registered("Jan Jobcoach")

    body = listed(client, register="bestaat-niet", naam="x" * 500)

    assert "Selecteer een geldige keuze" in body
    assert "Jan Jobcoach" in body  # the invalid filters are left out, the list stays


def test_the_register_hides_expired_coming_and_nameless_registrations(client):
    registered("Verlopen Vera", starts=-2000, ends=-1)
    registered("Komende Kees", starts=1, ends=1500)
    registered("", email="zonder.naam@example.org")
    registered("Vandaag Vincent", starts=-1460, ends=0)  # its last day still counts

    body = listed(client)

    assert "Verlopen Vera" not in body
    assert "Komende Kees" not in body
    assert "zonder.naam@example.org" not in body
    assert "Vandaag Vincent" in body
    assert "1 actuele registratie" in body


def test_the_register_shows_nothing_else_of_the_person(client):
    registration = registered(
        "Petra de Jong",
        email="petra.privé@example.org",
        membership_number="N-55555",
        place="Arnhem",
        show_place=False,
    )

    for response in (
        client.get(SEARCH),
        client.get(reverse("register:entry", args=[registration.public_id])),
    ):
        body = response.content.decode()
        assert "Petra de Jong" in body
        assert "petra.priv" not in body and "example.org" not in body
        assert "N-55555" not in body and "Arnhem" not in body
        assert '<meta name="robots" content="noindex">' in body


def test_the_entry_page_shows_one_current_registration(client):
    registration = registered("Olga Open", place="Zwolle", show_place=True, ends=100)

    response = client.get(reverse("register:entry", args=[registration.public_id]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Olga Open" in body and "Register Jobcoach" in body and "Zwolle" in body
    assert "Actuele registratie" in body


@pytest.mark.parametrize("starts, ends", [(-2000, -1), (1, 1500)], ids=["expired", "coming"])
def test_the_entry_page_of_a_registration_not_current_says_so_with_404(client, starts, ends):
    registration = registered("Niet Nu", starts=starts, ends=ends)

    response = client.get(reverse("register:entry", args=[registration.public_id]))

    assert response.status_code == 404
    body = response.content.decode()
    assert "Geen actuele registratie gevonden" in body
    assert "Niet Nu" not in body


def test_an_unknown_entry_gets_the_same_404(client):
    response = client.get(reverse("register:entry", args=["0b8e8a3e-3f9d-4e5c-9a1b-2c3d4e5f6a7b"]))
    assert response.status_code == 404
    assert "Geen actuele registratie gevonden" in response.content.decode()


def test_entries_are_not_numbered(client):
    first, second = registered("Een"), registered("Twee")
    assert first.public_id != second.public_id
    assert str(first.pk) not in reverse("register:entry", args=[first.public_id]).split("/")


def test_the_register_is_paginated_by_name(client):
    for n in range(REGISTER_PAGE_SIZE + 3):
        registered(f"Persoon {n:02d}")

    first = listed(client)
    second = listed(client, pagina=2)

    assert "Persoon 00" in first and f"Persoon {REGISTER_PAGE_SIZE - 1:02d}" in first
    assert f"Persoon {REGISTER_PAGE_SIZE:02d}" not in first
    assert f"Persoon {REGISTER_PAGE_SIZE:02d}" in second and "Persoon 00" not in second
    assert "pagina 2 van 2" in second
    # The search stays in the link to the next page.
    registered("Persoon extra")
    assert "naam=Persoon" in listed(client, naam="Persoon")


def test_the_register_costs_the_same_queries_for_one_entry_and_a_full_page(
    client, django_assert_num_queries
):
    registered("Eerste Persoon", place="Utrecht", show_place=True)
    with CaptureQueriesContext(connection) as one:
        listed(client)
    for n in range(REGISTER_PAGE_SIZE + 5):
        registered(f"Persoon {n}", register="loopbaanprofessional" if n % 2 else "jobcoach")
    with django_assert_num_queries(len(one.captured_queries)):
        body = listed(client)
    assert body.count("/register/") > REGISTER_PAGE_SIZE


def test_the_entry_page_costs_one_query(client, django_assert_num_queries):
    registration = registered("Eerste Persoon")
    with django_assert_num_queries(1):
        client.get(reverse("register:entry", args=[registration.public_id]))


def test_the_selector_and_the_entry_agree_on_what_is_public():
    registration = registered("Petra de Jong", place=" Den  Haag ", show_place=True)
    today = timezone.localdate()

    assert list(public_register(as_of=today, place="den")) == [registration]
    entry = PublicEntry.of(registration)
    assert entry.place == "Den  Haag".strip()
    assert PublicEntry.of(registration, show_place=False).place == ""
    assert list(public_register(as_of=today + timedelta(days=301))) == []
    assert list(public_register(as_of=date(2000, 1, 1))) == []


@pytest.fixture
def counting_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.REGISTER_LIMIT_PER_ADDRESS = 3
    cache.clear()
    yield
    cache.clear()


def test_one_address_cannot_page_through_the_register_faster_than_by_hand(client, counting_cache):
    registration = registered("Petra de Jong")
    entry = reverse("register:entry", args=[registration.public_id])

    statuses = [
        client.get(SEARCH, REMOTE_ADDR="203.0.113.5").status_code,
        client.get(SEARCH, {"pagina": 2}, REMOTE_ADDR="203.0.113.5").status_code,
        client.get(entry, REMOTE_ADDR="203.0.113.5").status_code,
        client.get(SEARCH, REMOTE_ADDR="203.0.113.5").status_code,
        client.get(entry, REMOTE_ADDR="203.0.113.5").status_code,
    ]

    assert statuses == [200, 200, 200, 429, 429]
    throttled = client.get(SEARCH, REMOTE_ADDR="203.0.113.5").content.decode()
    assert "Probeer het over 10 minuten opnieuw" in throttled
    # Another address is not held up.
    assert client.get(SEARCH, REMOTE_ADDR="198.51.100.7").status_code == 200
