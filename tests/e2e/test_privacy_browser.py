"""'Mijn gegevens' in Chromium: the professional finds the page in the user menu, makes and
downloads the zip, and asks for removal (confirming the question); the secretariat opens the
request in the admin and reads what will be kept. Screenshots at desktop and phone width."""

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from noloc_portal.privacy.models import AccountRemovalRequest
from tests.conftest import log_in
from tests.factories import PASSWORD, Role, user_with
from tests.privacy.people import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path("/tmp")


def _page(browser, live_server, email, *, width=1280, height=900, questions=None):
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(20000)

    def answer(dialog):
        if questions is not None:
            questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    log_in(page, live_server.url, email, PASSWORD, confirm=False)
    return page


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_download_and_removal_request_in_the_browser(live_server, browser):
    people = make_people()
    person = people.professional
    questions = []
    page = _page(browser, live_server, person.email, questions=questions)
    page.get_by_role("button", name=person.full_name).click()
    page.get_by_role("link", name="Mijn gegevens").click()
    expect(page.get_by_role("heading", name="Mijn gegevens", exact=True)).to_be_visible()

    page.get_by_role("button", name="Maak een download").click()
    link = page.get_by_role("link", name="Download je gegevens")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    with zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())) as archive:
        assert "README.txt" in archive.namelist()
        assert f"portfolios/portfolio-{people.draft.pk}.zip" in archive.namelist()
    page.screenshot(path=str(SCREENSHOTS / "mydata-page-desktop.png"), full_page=True)

    page.get_by_label("Reden (niet verplicht)").fill("Ik stop met het vak.")
    page.get_by_label("Je wachtwoord").fill("niet-mijn-wachtwoord")
    page.get_by_role("button", name="Vraag verwijdering aan").click()
    expect(page.get_by_text("Dit wachtwoord klopt niet.")).to_be_visible()
    expect(page.get_by_label("Reden (niet verplicht)")).to_have_value("Ik stop met het vak.")
    page.screenshot(path=str(SCREENSHOTS / "mydata-page-wrong-password.png"), full_page=True)
    page.get_by_label("Je wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Vraag verwijdering aan").click()
    expect(page.get_by_role("button", name="Verzoek intrekken")).to_be_visible()
    assert any("verwijderen" in question for question in questions)
    removal = AccountRemovalRequest.objects.get(user=person)
    assert removal.reason == "Ik stop met het vak."

    phone = _page(browser, live_server, person.email, width=390, height=844)
    phone.goto(f"{live_server.url}/accounts/mijn-gegevens/")
    expect(phone.get_by_role("button", name="Verzoek intrekken")).to_be_visible()
    assert _fits(phone)
    phone.screenshot(path=str(SCREENSHOTS / "mydata-page-390.png"), full_page=True)

    other = _page(browser, live_server, people.member.email, width=390, height=844)
    other.goto(f"{live_server.url}/accounts/mijn-gegevens/")
    expect(other.get_by_role("button", name="Vraag verwijdering aan")).to_be_visible()
    assert _fits(other)
    other.screenshot(path=str(SCREENSHOTS / "mydata-page-390-form.png"), full_page=True)

    staff = user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True)
    admin = _page(browser, live_server, staff.email)
    admin.goto(f"{live_server.url}/admin/privacy/accountremovalrequest/{removal.pk}/change/")
    expect(admin.get_by_text("Blijft bewaard")).to_be_visible()
    admin.screenshot(path=str(SCREENSHOTS / "mydata-admin-change.png"), full_page=True)
    admin.get_by_role("button", name="Verwijdering uitvoeren").click()
    expect(admin.get_by_role("button", name="Definitief verwijderen")).to_be_visible()
    admin.screenshot(path=str(SCREENSHOTS / "mydata-admin-confirm.png"), full_page=True)
