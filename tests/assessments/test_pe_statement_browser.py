"""The assessor's PE statement in Chromium: the certification coordinator signs it from the
records (and confirms), the PDF appears, the assessor takes it over into her own Jobcoach
portfolio; each page also on a 390 px phone."""

import os
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import AssessmentRound, Assignment, AssignmentState, PEStatement
from portfolios.jobcoach.models import PEActivity
from portfolios.models import PortfolioState
from tests.conftest import log_in
from tests.factories import PASSWORD, Role, user_with
from tests.portfolios.factories import PortfolioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# SCREENSHOT_DIR puts the screenshots elsewhere (say, /tmp) when looking at them by hand.
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR") or Path(__file__).resolve().parents[2] / "test-artifacts"
)
PHONE = {"width": 390, "height": 844}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_coordinator_signs_and_the_assessor_takes_it_over(live_server, browser):
    user_with(Role.CERTIFICATION_COORDINATOR, email="coordinator@example.org", full_name="Cora")
    assessor = user_with(
        Role.ASSESSOR, Role.PROFESSIONAL, email="anke@example.org", full_name="Anke Visser"
    )
    for day in (date(2025, 3, 4), date(2025, 9, 18)):
        portfolio = PortfolioFactory(state=PortfolioState.DECIDED)
        Assignment.objects.create(
            round=AssessmentRound.objects.create(portfolio=portfolio, number=1),
            assessor=assessor,
            state=AssignmentState.JUDGED,
            judged_at=datetime.combine(day, time(12), tzinfo=ZoneInfo("Europe/Amsterdam")),
        )
    own = PortfolioFactory(owner=assessor, jobcoach__recertification_date=date(2027, 6, 30))
    SCREENSHOTS.mkdir(exist_ok=True)

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20000)
    log_in(page, live_server.url, "coordinator@example.org", PASSWORD)
    page.goto(f"{live_server.url}/beoordelingen/certificering/")
    page.get_by_role("link", name="PE-verklaringen assessoren").click()
    page.get_by_label("Van").fill("2025-01-01")
    page.get_by_label("Tot en met").fill("2025-12-31")
    page.get_by_role("button", name="Toon").click()
    row = page.locator("#assessoren tbody tr", has_text="Anke Visser")
    expect(row).to_contain_text("8")
    page.screenshot(path=SCREENSHOTS / "pestatement-overview.png", full_page=True)
    row.get_by_role("link", name="Bekijken en afgeven").click()
    expect(page.get_by_text("De verklaring levert 8 PE-punten op.")).to_be_visible()
    page.get_by_role("button", name="Verklaring ondertekenen en afgeven").click()
    expect(page.get_by_text("is ondertekend (8 PE-punten)")).to_be_visible()
    expect(page.get_by_role("link", name="Versie 1 (1 pagina's)")).to_be_visible()
    expect(page.get_by_text("Er is al een verklaring over")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "pestatement-assessor-page.png", full_page=True)
    phone = browser.new_page(viewport=PHONE)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(page.url)
    assert fits(phone)
    phone.screenshot(path=SCREENSHOTS / "pestatement-assessor-page-phone.png", full_page=True)
    phone.goto(
        live_server.url
        + reverse("assessments:pe_statements")
        + "?period_start=2025-01-01&period_end=2025-12-31"
    )
    assert fits(phone)
    phone.screenshot(path=SCREENSHOTS / "pestatement-overview-phone.png", full_page=True)
    statement = PEStatement.objects.get()
    assert (statement.candidates, statement.points) == (2, 8)

    mine = browser.new_page(viewport={"width": 1280, "height": 900})
    mine.set_default_timeout(20000)
    log_in(mine, live_server.url, "anke@example.org", PASSWORD)
    mine.goto(f"{live_server.url}/beoordelingen/")
    mine.get_by_role("link", name="Mijn PE-verklaringen").click()
    expect(mine.get_by_role("link", name="Versie 1 (1 pagina's)")).to_be_visible()
    mine.screenshot(path=SCREENSHOTS / "pestatement-mine.png", full_page=True)
    phone = browser.new_page(viewport=PHONE)
    phone.context.add_cookies(mine.context.cookies())
    phone.goto(mine.url)
    assert fits(phone)
    phone.screenshot(path=SCREENSHOTS / "pestatement-mine-phone.png", full_page=True)
    mine.goto(live_server.url + reverse("portfolios:pe", args=[own.pk]))
    expect(mine.get_by_text("Verklaringen die je kunt overnemen")).to_be_visible()
    mine.screenshot(path=SCREENSHOTS / "pestatement-offer.png", full_page=True)
    phone = browser.new_page(viewport=PHONE)
    phone.context.add_cookies(mine.context.cookies())
    phone.goto(mine.url)
    assert fits(phone)
    phone.screenshot(path=SCREENSHOTS / "pestatement-offer-phone.png", full_page=True)
    mine.get_by_role("button", name="Neem de verklaring over").click()
    expect(mine.get_by_text("met de PDF als bewijs")).to_be_visible()
    expect(mine.locator("#activiteiten")).to_contain_text("overgenomen")
    expect(mine.get_by_text("Verklaringen die je kunt overnemen")).to_have_count(0)
    mine.screenshot(path=SCREENSHOTS / "pestatement-taken-over.png", full_page=True)
    activity = PEActivity.objects.get(portfolio=own)
    assert (activity.type, activity.candidates) == ("jobcoach_mentor_assessor", 2)
