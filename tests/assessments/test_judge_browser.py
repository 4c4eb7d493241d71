"""End to end in Chromium on a phone-sized screen: the assessor declares, drafts, finishes."""

from pathlib import Path

import pytest

from assessments.models import AssignmentState
from tests.assessments.judging import assigned
from tests.conftest import log_in
from tests.factories import PASSWORD, Role, user_with

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def fits_the_screen(page) -> bool:
    wide = page.evaluate(
        """[...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
    )
    assert not wide, wide
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_assessor_declares_and_judges_on_a_phone(live_server, browser):
    assessor = user_with(Role.ASSESSOR, email="assessor@example.org")
    assignment = assigned(assessor)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_default_timeout(15000)
    log_in(page, live_server.url, "assessor@example.org", PASSWORD)

    page.goto(f"{live_server.url}/beoordelingen/")
    page.get_by_role("link", name=str(assignment.round.portfolio.owner)).click()
    assert fits_the_screen(page)
    page.get_by_role("button", name="Ik verklaar dat er geen belangenverstrengeling is").click()
    assert "Het portfolio is nu voor je open" in page.content()
    assert fits_the_screen(page)

    page.locator("#criterium-a1").get_by_label("Voldoet", exact=True).check()
    page.locator("#criterium-b").get_by_label("Aanvulling nodig").check()
    page.get_by_role("button", name="Opslaan als concept").click()
    assert "als concept opgeslagen" in page.content()
    assert page.locator("#criterium-b").get_by_label("Aanvulling nodig").is_checked()

    for key in ("a2", "a31", "a32", "a4"):
        criterion = page.locator(f"#criterium-{key}")
        if criterion.count():
            criterion.get_by_label("Voldoet", exact=True).check()
    page.get_by_role("button", name="Beoordeling afronden").click()
    b = page.locator("#criterium-b")
    assert "Licht je oordeel bij B Permanente educatie toe" in b.inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "assessor-judging-phone.png", full_page=True)
    assert fits_the_screen(page)

    b.get_by_label("Toelichting").fill("Het bewijs van de tweede cursus ontbreekt.")
    page.get_by_role("button", name="Beoordeling afronden").click()
    assert "Je beoordeling is afgerond" in page.content()
    assert page.locator("#volgende-stap").is_visible()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.JUDGED
