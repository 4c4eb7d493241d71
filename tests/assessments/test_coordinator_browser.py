"""The certification coordinator in Chromium: from the queue to an assignment with the
suggested assessor, then the decision on the advice and the audit trail."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessments.models import Registration
from portfolios.models import PortfolioState
from tests.assessments.coordination import advised_portfolio, submitted_round
from tests.conftest import log_in
from tests.factories import PASSWORD, Role, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_the_coordinator_assigns_the_suggestion_and_records_the_decision(live_server, browser):
    user_with(Role.CERTIFICATION_COORDINATOR, email="coordinator@example.org", full_name="Cora")
    busy = user_with(Role.ASSESSOR, full_name="Bart Bezet")
    free = user_with(Role.ASSESSOR, full_name="Aafke Aanwezig")
    round_ = submitted_round(owner=user_with(Role.PROFESSIONAL, full_name="Paula Pro"))
    submitted_round().assignments.create(assessor=busy)
    advised = advised_portfolio(
        owner=user_with(Role.PROFESSIONAL, full_name="Rik Recert"),
        jobcoach__recertification_date=date(2027, 3, 31),
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15000)
    log_in(page, live_server.url, "coordinator@example.org", PASSWORD)

    page.goto(f"{live_server.url}/beoordelingen/certificering/")
    expect(page.get_by_role("heading", name="Certificering")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "coordinator-queue.png", full_page=True)

    page.get_by_role("link", name="Paula Pro").click()
    expect(page.get_by_label("Aafke Aanwezig")).to_be_checked()
    expect(page.get_by_label("Bart Bezet")).not_to_be_checked()
    page.screenshot(path=SCREENSHOTS / "coordinator-assign.png", full_page=True)
    page.get_by_role("button", name="Toewijzen").click()
    expect(page.get_by_text("Toegewezen: Aafke Aanwezig")).to_be_visible()
    assert round_.assignments.get().assessor == free

    page.get_by_role("link", name="Certificering").first.click()
    page.get_by_label("Status").select_option("advised")
    page.get_by_role("button", name="Filteren").click()
    page.get_by_role("link", name="Besluit vastleggen").click()
    page.get_by_label("Positief").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("is vastgelegd")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "coordinator-decided.png", full_page=True)
    registration = Registration.objects.get(owner=advised.owner)
    assert registration.valid_until == date(2031, 3, 31)
    advised.refresh_from_db()
    assert advised.state == PortfolioState.DECIDED

    page.get_by_role("link", name="Logboek").click()
    expect(page.get_by_text("Besluit vastgelegd")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "coordinator-audit.png", full_page=True)
