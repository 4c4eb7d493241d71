"""End to end in Chromium: the coordinator records attendance and sees it on the list; a circle
is founded where interest was waiting, and the interested member applies."""

from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from kwaliteitskringen.models import Application, FoundingRequest, FoundingState, MeetingState
from tests.conftest import log_in
from tests.factories import PASSWORD, Role, user_with
from tests.kwaliteitskringen.factories import CircleFactory, MeetingFactory, MembershipFactory
from tests.mfa import code_for_secret
from tests.pdf_files import MINIMAL_PDF


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_records_attendance_in_the_browser(live_server, browser):
    coordinator = user_with(Role.CIRCLE_COORDINATOR, email="coordinator@example.org")
    circle = CircleFactory(coordinator=coordinator, name="Kwaliteitskring Gouda")
    here = MembershipFactory(circle=circle, member=user_with(full_name="Anna Aanwezig")).member
    MembershipFactory(circle=circle, member=user_with(full_name="Bert Afwezig"))
    meeting = MeetingFactory(circle=circle, date=date(2026, 11, 17), theme="Casus over twijfel")

    page = browser.new_page()
    log_in(page, live_server.url, "coordinator@example.org", PASSWORD)
    page.get_by_role("link", name="Kwaliteitskring Gouda").click()
    page.get_by_role("link", name="Bijeenkomsten").click()
    page.get_by_role("link", name="Aanwezigheid 17-11-2026").click()
    page.get_by_label("Anna Aanwezig").check()
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    assert "De aanwezigheid is vastgelegd" in page.content()
    page.get_by_role("button", name="Verslag opslaan").click()
    body = page.locator("main").inner_text()

    assert "Presentielijst" in body and "Anna Aanwezig" in body and "Bert Afwezig" in body
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    assert list(meeting.attendances.filter(present=True).values_list("participant", flat=True)) == [
        here.pk
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_interest_founding_approval_and_applying_in_the_browser(live_server, browser, tmp_path):
    """A member in a region without a circle registers interest; another member asks to found a
    circle there; the secretariat approves in the admin; the interested member gets the e-mail
    and applies to the new circle."""
    CircleFactory(name="Kwaliteitskring Utrecht", region="Utrecht")
    user_with(Role.PROFESSIONAL, email="ines@example.org", full_name="Ines Interesse")
    user_with(Role.PROFESSIONAL, email="frank@example.org", full_name="Frank Oprichter")
    user_with(Role.SECRETARIAT, email="secretariaat@example.org", is_staff=True, is_superuser=True)
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(MINIMAL_PDF)

    def person(email):
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.set_default_timeout(15000)
        log_in(page, live_server.url, email, PASSWORD)
        return page

    # Ines, in Drenthe where there is no circle, registers her interest (on a phone).
    ines = person("ines@example.org")
    ines.goto(f"{live_server.url}/kwaliteitskringen/")
    ines.get_by_role("combobox", name="Je regio").select_option("Drenthe")
    assert ines.get_by_label("Je e-mailadres").input_value() == "ines@example.org"
    ines.get_by_label("Noloc mag me mailen").check()
    ines.get_by_role("button", name="Belangstelling doorgeven").click()
    assert "Dank je" in ines.locator("main").inner_text()

    # Frank asks to found a circle in Drenthe.
    frank = person("frank@example.org")
    frank.goto(f"{live_server.url}/kwaliteitskringen/")
    frank.get_by_role("link", name="Een kring oprichten").click()
    frank.get_by_label("Naam van de kring").fill("Kwaliteitskring Assen")
    frank.get_by_label("Regio").select_option("Drenthe")
    frank.get_by_label("Beoogde plaats van bijeenkomst").fill("Bibliotheek Assen")
    frank.get_by_label("Beoogd ritme").fill("vijf keer per jaar op woensdagavond")
    frank.get_by_label("Motivatie").fill("In Drenthe is nog geen kring.")
    frank.get_by_role("button", name="Verzoek versturen").click()
    assert frank.get_by_test_id("founding-state").inner_text() == "Ingediend"

    # The secretariat approves in the admin.
    admin = browser.new_page(viewport={"width": 1280, "height": 900})
    admin.set_default_timeout(15000)
    log_in(admin, live_server.url, "secretariaat@example.org", PASSWORD)
    admin.goto(f"{live_server.url}/admin/kwaliteitskringen/foundingrequest/")
    admin.locator("input[name=_selected_action]").first.check()
    admin.locator("select[name=action]").select_option("approve")
    admin.locator("button[name=index]").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 kring(en) opgericht.")
    founding = FoundingRequest.objects.select_related("circle").get()
    assert founding.state == FoundingState.APPROVED

    # Frank is now a coordinator: his next page asks him to set up the second login step.
    frank.reload()
    assert "/accounts/tweestaps/instellen/" in frank.url
    secret = frank.locator("[data-totp-secret]").inner_text()
    frank.get_by_label("Code").fill(code_for_secret(secret))
    frank.get_by_role("button", name="Bevestigen").click()
    frank.get_by_role("link", name="Ik heb ze bewaard, ga verder").click()
    frank.goto(f"{live_server.url}/kwaliteitskringen/oprichten/{founding.pk}/")
    assert frank.get_by_test_id("founding-state").inner_text() == "Goedgekeurd"
    frank.get_by_role("link", name="Naar het beheer van je kring").click()
    assert "Kwaliteitskring Assen" in frank.locator("main").inner_text()

    # Ines has the invitation and applies through its link.
    invitation = next(
        m for m in mail.outbox if m.to == ["ines@example.org"] and "Assen" in m.subject
    )
    link = next(line for line in invitation.body.split() if "/aanmelden/" in line)
    ines.goto(link.replace(settings.SITE_URL.rstrip("/"), live_server.url))
    ines.get_by_label("Je cv").set_input_files(cv)
    ines.get_by_label("Wat verwacht je van de kring").fill("Collega's in de buurt om mee te leren.")
    ines.get_by_role("button", name="Aanmelding versturen").click()
    assert "Aanmelding bij Kwaliteitskring Assen" in ines.locator("main").inner_text()
    application = Application.objects.get(applicant__email="ines@example.org")
    assert application.circle == founding.circle
    assert founding.circle.coordinator.email == "frank@example.org"


def _fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_members_plan_the_programme_and_a_subgroup_on_a_phone(live_server, browser):
    coordinator = user_with(Role.CIRCLE_COORDINATOR, email="kees@example.org")
    circle = CircleFactory(coordinator=coordinator, name="Kwaliteitskring Gouda")
    member = user_with(full_name="Anna de Vries", email="anna@example.org")
    MembershipFactory(circle=circle, member=member)
    MembershipFactory(circle=circle, member=user_with(full_name="Bert Bakker"))
    from kwaliteitskringen import services

    services.draft_programme(circle=circle, year=2026, by=coordinator)
    programme_url = f"{live_server.url}/kwaliteitskringen/kring/{circle.pk}/programma/"

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(phone, live_server.url, "anna@example.org", PASSWORD)
    phone.goto(programme_url)
    assert _fits_a_phone(phone)
    phone.get_by_label("Datum").fill("2026-12-15")
    phone.get_by_label("Thema").fill("Casus: twijfel over een overstap")
    phone.get_by_label("Vorm").select_option(label="Casusbespreking")
    phone.get_by_label("Gastheer/-vrouw (verzorgt de avond)").select_option(label="Anna de Vries")
    phone.get_by_role("button", name="Voorstellen").click()
    assert "Je voorstel staat in het programma" in phone.content()
    assert _fits_a_phone(phone)

    phone.goto(f"{live_server.url}/kwaliteitskringen/kring/{circle.pk}/subgroepen/")
    phone.get_by_label("Naam").fill("Intervisiegroep Gouda")
    phone.get_by_label("Bert Bakker").check()
    phone.get_by_role("button", name="Subgroep starten").click()
    body = phone.locator("main").inner_text()
    assert "Intervisiegroep Gouda" in body and "Bert Bakker" in body
    assert _fits_a_phone(phone)

    desk = browser.new_page()
    log_in(desk, live_server.url, "kees@example.org", PASSWORD)
    desk.goto(programme_url)
    desk.get_by_label("Plaats voor onderdelen zonder plaats").fill("Bibliotheek Gouda")
    desk.get_by_role("button", name="De kring heeft het programma afgesproken").click()
    assert "Het programma is vastgesteld" in desk.content()
    meeting = circle.meetings.get()
    assert (meeting.theme, meeting.place, meeting.host) == (
        "Casus: twijfel over een overstap",
        "Bibliotheek Gouda",
        member,
    )
