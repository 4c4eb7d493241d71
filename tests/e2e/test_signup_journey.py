"""A newcomer in Chromium: from the front page to a circle of their choice, through sign-up and
the link in the e-mail, without losing the circle on the way."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from kwaliteitskringen.models import Application
from noloc_portal.accounts.models import Role, User
from tests.kwaliteitskringen.factories import CircleFactory
from tests.pdf_files import MINIMAL_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_front_page_and_sign_up_form_fit_a_desktop_and_a_phone(live_server, browser):
    SCREENSHOTS.mkdir(exist_ok=True)
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        page = browser.new_context(viewport=viewport).new_page()
        page.goto(f"{live_server.url}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Het certificeringsportaal van Noloc"
        )
        assert fits(page), name
        page.screenshot(path=SCREENSHOTS / f"front-page-{name}.png", full_page=True)
        page.goto(f"{live_server.url}/accounts/account-aanmaken/")
        assert fits(page), name
        page.screenshot(path=SCREENSHOTS / f"signup-form-{name}.png", full_page=True)


def test_a_visitor_signs_up_confirms_and_applies_for_the_circle_they_chose(
    live_server, browser, tmp_path
):
    CircleFactory(name="Kwaliteitskring Eemland", region="Utrecht")
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(MINIMAL_PDF)
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_context(viewport=PHONE).new_page()
    page.set_default_timeout(15000)

    # The front page leads to the circles; applying asks to log in, which offers sign-up.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Bekijk de kringen per regio").click()
    page.get_by_role("link", name="Aanmelden bij Kwaliteitskring Eemland").click()
    assert "/accounts/login/?next=" in page.url
    page.screenshot(path=SCREENSHOTS / "signup-login-offer.png", full_page=True)
    page.locator("main").get_by_role("link", name="Account aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account aanmaken")
    assert "Na het bevestigen van je e-mailadres ga je verder" in page.content()

    # A mistake in the membership number: said next to the field, the rest is kept.
    page.get_by_label("Naam*", exact=True).fill("Sanne de Vries")
    page.get_by_label("Noloc-lidnummer").fill("12 345")
    page.get_by_label("Plaats", exact=True).fill("Amersfoort")
    page.get_by_label("Toon mijn plaats in het openbare register").check()
    page.get_by_label("E-mailadres").fill("sanne@example.org")
    page.get_by_label("Wachtwoord*", exact=True).fill("kring-en-keurmerk-2026")
    page.get_by_label("Wachtwoord herhalen").fill("kring-en-keurmerk-2026")
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.locator("#error_1_id_membership_number")).to_contain_text("N- met vijf cijfers")
    assert page.get_by_label("Naam*", exact=True).input_value() == "Sanne de Vries"
    assert page.get_by_label("Toon mijn plaats in het openbare register").is_checked()
    assert fits(page)
    page.screenshot(path=SCREENSHOTS / "signup-form-error.png", full_page=True)

    page.get_by_label("Noloc-lidnummer").fill("N-12345")
    page.get_by_label("Wachtwoord*", exact=True).fill("kring-en-keurmerk-2026")
    page.get_by_label("Wachtwoord herhalen").fill("kring-en-keurmerk-2026")
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in je mailbox")
    assert not User.objects.get(email="sanne@example.org").is_active

    # The link in the e-mail opens the account and leads to the circle's application form.
    [message] = mail.outbox
    link = next(word for word in message.body.split() if "/bevestigen/" in word)
    page.goto(link.replace(settings.SITE_URL.rstrip("/"), live_server.url))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Aanmelden bij Kwaliteitskring Eemland"
    )
    assert "Je e-mailadres is bevestigd" in page.content()
    page.get_by_label("Je cv").set_input_files(cv)
    page.get_by_label("Wat verwacht je van de kring").fill("Intervisie met vakgenoten.")
    page.get_by_role("button", name="Aanmelding versturen").click()
    assert "Aanmelding bij Kwaliteitskring Eemland" in page.locator("main").inner_text()
    page.screenshot(path=SCREENSHOTS / "signup-applied.png", full_page=True)

    user = User.objects.get(email="sanne@example.org")
    assert user.is_active and user.has_role(Role.PROFESSIONAL)
    assert user.membership_number == "N-12345" and user.show_place_in_register
    assert Application.objects.get(applicant=user).circle.name == "Kwaliteitskring Eemland"
