"""A Jobcoach recertification from submit to decision in Chromium, as the four people involved
do it: the professional submits; the certification coordinator assigns the suggested assessor;
the assessor declares, judges per criterion and asks for a supplement; the professional supplements
the reopened section and resubmits; the assessor reads what changed, judges again and advises; the
coordinator records the decision; the professional reads it with the development advice."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Registration
from portfolios import registry
from portfolios.models import PortfolioState
from tests.conftest import log_in
from tests.factories import PASSWORD, Role, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def person(browser, live_server, email, questions=None):
    """A logged-in page that answers OK to the portal's confirmations, noting each question."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(20000)

    def answer(dialog):
        if questions is not None:
            questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    log_in(page, live_server.url, email, PASSWORD, confirm=False)
    return page


def judge_all(page, *, except_b: str | None = None):
    """Every criterion on the judging page "meets"; B "supplement needed" with ``except_b``."""
    for criterion in page.locator("[id^='criterium-']").all():
        if criterion.get_attribute("id") == "criterium-b" and except_b:
            criterion.get_by_label("Aanvulling nodig").check()
            criterion.get_by_label("Toelichting").fill(except_b)
        elif criterion.get_by_label("Voldoet", exact=True).count():
            criterion.get_by_label("Voldoet", exact=True).check()
    page.get_by_role("button", name="Beoordeling afronden").click()
    expect(page.get_by_text("Je beoordeling is afgerond")).to_be_visible()


def test_a_jobcoach_recertification_from_submit_to_decision(live_server, browser):
    owner = user_with(Role.PROFESSIONAL, email="pim@example.org", full_name="Pim Prins")
    user_with(Role.CERTIFICATION_COORDINATOR, email="cora@example.org", full_name="Cora Coster")
    user_with(Role.ASSESSOR, email="anke@example.org", full_name="Anke Aalbers")
    portfolio = registry.get("jobcoach-recertification").demo_complete_portfolio(owner)
    overview = f"{live_server.url}/portfolios/{portfolio.pk}/"
    SCREENSHOTS.mkdir(exist_ok=True)

    # The professional submits.
    asked = []
    professional = person(browser, live_server, "pim@example.org", asked)
    professional.goto(overview)
    professional.get_by_role("button", name="Portfolio indienen").click()
    expect(professional.locator("#status")).to_contain_text("Ingediend")
    # Submitting cannot be undone: the portal asked first.
    assert asked and "niets meer wijzigen" in asked[0]

    # The coordinator assigns the suggested assessor.
    coordinator = person(browser, live_server, "cora@example.org")
    coordinator.goto(f"{live_server.url}/beoordelingen/certificering/")
    coordinator.get_by_role("link", name="Pim Prins").click()
    expect(coordinator.get_by_label("Anke Aalbers")).to_be_checked()
    coordinator.get_by_role("button", name="Toewijzen").click()
    expect(coordinator.get_by_text("Toegewezen: Anke Aalbers")).to_be_visible()

    # The assessor declares, judges and asks for a supplement of B.
    assessor = person(browser, live_server, "anke@example.org")
    assessor.goto(f"{live_server.url}/beoordelingen/")
    assessor.get_by_role("link", name="Pim Prins").click()
    assessor.get_by_role("button", name="Ik verklaar dat er geen belangenverstrengeling is").click()
    expect(assessor.get_by_text("Het portfolio is nu voor je open")).to_be_visible()
    judge_all(assessor, except_b="Het certificaat van de training ontbreekt.")
    assessor.get_by_role("link", name="Naar het advies").click()
    assessor.get_by_label("Aanvulling gevraagd").check()
    assessor.get_by_label("Onderbouwing").fill("Lever het certificaat van de training aan.")
    deadline = timezone.localdate() + timedelta(days=21)
    assessor.get_by_label("Uiterste datum voor de aanvulling").fill(deadline.isoformat())
    assessor.get_by_label("B Permanente educatie").check()
    assessor.get_by_role("button", name="Advies vastleggen").click()
    expect(assessor.get_by_text("De aanvulling is gevraagd")).to_be_visible()

    # The professional supplements the reopened section and resubmits.
    professional.goto(overview)
    status = professional.locator("#status")
    expect(status).to_contain_text("Aanvulling gevraagd")
    expect(status).to_contain_text("Lever het certificaat van de training aan.")
    professional.screenshot(path=SCREENSHOTS / "journey-supplement-asked.png", full_page=True)
    activity = portfolio.pe_activities.filter(type="course").order_by("pk").first()
    professional.goto(f"{overview}pe/{activity.pk}/")
    professional.get_by_label("Titel").fill("Leergang jobcoaching, met certificaat")
    professional.get_by_role("button", name="Opslaan").click()
    professional.goto(f"{overview}a1/")
    expect(professional.get_by_text("niet heropend voor aanvulling")).to_be_visible()
    professional.goto(overview)
    professional.get_by_role("button", name="Aanvulling indienen").click()
    expect(professional.get_by_text("Je aanvulling is ingediend")).to_be_visible()

    # The assessor reads what changed, judges again and advises positively.
    assessor.goto(overview)
    assessor.get_by_role("link", name="Bekijk wat er veranderde").click()
    expect(assessor.locator("main")).to_contain_text("Leergang jobcoaching, met certificaat")
    assessor.screenshot(path=SCREENSHOTS / "journey-diff.png", full_page=True)
    assessor.goto(f"{live_server.url}/beoordelingen/")
    assessor.get_by_role("link", name="Pim Prins").first.click()
    expect(assessor.get_by_text("ronde 2")).to_be_visible()
    judge_all(assessor)
    assessor.get_by_role("link", name="Naar het advies").click()
    assessor.get_by_label("Positief").check()
    assessor.get_by_label("Onderbouwing").fill("Met het certificaat voldoet het portfolio.")
    advice = "Zoek intervisie buiten je eigen team."
    assessor.get_by_role("textbox", name="Ontwikkeladvies").fill(advice)
    assessor.get_by_role("button", name="Advies vastleggen").click()
    expect(assessor.get_by_text("Het advies is vastgelegd")).to_be_visible()

    # The coordinator records the decision.
    coordinator.goto(f"{live_server.url}/beoordelingen/certificering/{portfolio.pk}/")
    coordinator.get_by_label("Positief").check()
    coordinator.get_by_role("button", name="Besluit vastleggen").click()
    expect(coordinator.get_by_text("is vastgelegd")).to_be_visible()

    # The professional reads the decision, the registration and the development advice.
    professional.goto(overview)
    status = professional.locator("#status")
    expect(status).to_contain_text("Besluit: positief")
    expect(status).to_contain_text("Zoek intervisie buiten je eigen team.")
    professional.screenshot(path=SCREENSHOTS / "journey-decided.png", full_page=True)
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.DECIDED
    registration = Registration.objects.get(owner=owner)
    assert registration.register == "jobcoach"
    assert str(registration.valid_until.year) in status.inner_text()
