"""An anonymous visitor checks a claim in Chromium: opens the public register, searches a name,
opens the entry; on a desktop and on a 390 px phone. The professional makes the certificate of
the registration from their start page and downloads it once it is made."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Registration
from tests.conftest import log_in
from tests.factories import PASSWORD, Role, user_with
from tests.pdf_files import pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def registered(name: str, *, place: str = "", shown: bool = False, days: int = 800, **owner):
    today = timezone.localdate()
    person = user_with(
        Role.PROFESSIONAL, full_name=name, place=place, show_place_in_register=shown, **owner
    )
    return Registration.objects.create(
        owner=person,
        register="jobcoach",
        valid_from=today - timedelta(days=100),
        valid_until=today + timedelta(days=days),
    )


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("device", VIEWPORTS)
def test_a_visitor_searches_the_register_and_opens_an_entry(live_server, browser, device):
    registration = registered("Petra de Jong", place="Arnhem", shown=True)
    registered("Pieter Jansen", place="Zwolle", shown=False)
    registered("Anna de Wit", place="Utrecht", shown=True)
    registered("Verlopen Vera", days=-1)
    page = browser.new_context(viewport=VIEWPORTS[device]).new_page()
    page.set_default_timeout(15000)
    SCREENSHOTS.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Openbaar register").click()
    expect(page.get_by_role("heading", name="Openbaar register")).to_be_visible()
    expect(page.locator("#register")).to_contain_text("Anna de Wit")
    expect(page.locator("#register")).not_to_contain_text("Verlopen Vera")
    expect(page.locator("#register")).not_to_contain_text("Zwolle")
    assert fits(page)
    page.screenshot(path=SCREENSHOTS / f"register-list-{device}.png", full_page=True)

    page.get_by_label("Naam").fill("de jong")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("1 registratie gevonden")).to_be_visible()
    expect(page.locator("#register")).not_to_contain_text("Anna de Wit")
    page.screenshot(path=SCREENSHOTS / f"register-search-{device}.png", full_page=True)

    page.get_by_role("link", name="Petra de Jong").click()
    expect(page.get_by_role("heading", name="Petra de Jong")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Actuele registratie")
    expect(main).to_contain_text("Register Jobcoach")
    expect(main).to_contain_text("Arnhem")
    expect(main).not_to_contain_text("@")
    assert page.url.endswith(f"/register/{registration.public_id}/")
    assert fits(page)
    page.screenshot(path=SCREENSHOTS / f"register-entry-{device}.png", full_page=True)

    # The address of an expired registration: no current registration, with a 404.
    expired = Registration.objects.get(owner__full_name="Verlopen Vera")
    response = page.goto(f"{live_server.url}/register/{expired.public_id}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Geen actuele registratie gevonden")).to_be_visible()


def test_the_professional_makes_and_downloads_the_certificate(live_server, browser):
    registration = registered("Petra de Jong", email="petra@example.org")
    page = browser.new_context(viewport=VIEWPORTS["desktop"]).new_page()
    page.set_default_timeout(20000)
    SCREENSHOTS.mkdir(exist_ok=True)
    log_in(page, live_server.url, "petra@example.org", PASSWORD)

    page.goto(f"{live_server.url}/portfolios/")
    section = page.locator("#registraties")
    expect(section).to_contain_text("Register Jobcoach")
    section.get_by_role("button", name="Certificaat maken").click()
    expect(page.get_by_text("Het certificaat wordt gemaakt")).to_be_visible()
    link = page.get_by_role("link", name="Versie 1 (1 pagina's)")
    expect(link).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "register-certificate-page.png", full_page=True)
    # The link hands over the PDF (read with the browser's own session).
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert "Certificaat%20Register%20Jobcoach" in response.headers["content-disposition"]
    text = " ".join(pdf_pages(response.body())[0].split())
    assert "Petra de Jong" in text
    assert str(registration.public_id)[:8] in text
