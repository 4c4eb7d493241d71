"""End to end in Chromium: two Loopbaanprofessional assessors who have both judged compare their
judgements, plan and record the interview, and one of them records the joint advice."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Advice, Interview, InterviewState, Verdict
from portfolios.models import PortfolioState
from tests.assessments.rounds import assessment
from tests.conftest import log_in
from tests.factories import PASSWORD

SHOTS = os.environ.get("SCREENSHOT_DIR")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_two_assessors_reach_a_joint_advice_in_the_browser(live_server, browser):
    setting = assessment(
        loopbaan=True,
        verdicts=[
            {"task_2": Verdict.SUPPLEMENT_NEEDED},
            {"task_2": Verdict.MEETS, "attitude": Verdict.DOES_NOT_MEET},
        ],
    )
    first, second = setting.assessors
    base = live_server.url
    compare = f"{base}/beoordelingen/ronde/{setting.round.pk}/oordelen/"

    page = browser.new_context().new_page()
    log_in(page, base, first.email, PASSWORD)
    page.goto(compare)
    assert "verschillen bij 2 criteria" in page.locator("main").inner_text()
    shot(page, "1-compare")
    page.get_by_role("link", name="Toetsingsgesprek").click()
    day = timezone.localdate() + timedelta(days=7)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Tijd").fill("10:30")
    page.get_by_role("button", name="Gesprek plannen").click()
    assert "Vul een plaats in" in page.locator("main").inner_text()
    shot(page, "2-interview-error")
    page.get_by_label("Plaats").fill("Noloc, Utrecht")
    page.get_by_role("button", name="Gesprek plannen").click()
    assert "De kandidaat krijgt een e-mail" in page.locator("main").inner_text()
    shot(page, "3-interview-planned")
    # A week passes: the interview has been held.
    Interview.objects.filter(round=setting.round).update(
        starts_at=timezone.now() - timedelta(hours=1)
    )
    page.get_by_role("link", name="Verslag van het gesprek vastleggen").click()
    page.get_by_label("Gehouden op").fill(timezone.localdate().isoformat())
    page.get_by_label("Algemene aantekeningen").fill("Open gesprek over beide casussen.")
    page.get_by_label("C.1 taak 2", exact=False).fill("Licht de vraagverheldering goed toe.")
    shot(page, "4-interview-record")
    page.get_by_role("button", name="Verslag vastleggen").click()
    assert "is vastgelegd" in page.locator("main").inner_text()
    assert Interview.objects.get().state == InterviewState.HELD

    other = browser.new_context().new_page()
    log_in(other, base, second.email, PASSWORD)
    other.goto(compare)
    assert "Licht de vraagverheldering goed toe." in other.locator("main").inner_text()
    other.get_by_role("link", name="Advies", exact=True).click()
    other.get_by_label("Positief").check()
    other.get_by_label("Onderbouwing").fill("Samen besproken: alle criteria zijn aangetoond.")
    other.get_by_label("Ontwikkeladvies").fill("Verdiep je in arbeidsmarktinformatie.")
    shot(other, "5-advice-form")
    other.get_by_role("button", name="Advies vastleggen").click()
    assert "Het advies is vastgelegd" in other.locator("main").inner_text()
    shot(other, "6-advice-recorded")

    page.get_by_role("link", name="Advies", exact=True).click()
    text = page.locator("main").inner_text()
    assert "Samen besproken" in text and second.full_name in text
    assert Advice.objects.get().advised_by == second
    setting.portfolio.refresh_from_db()
    assert setting.portfolio.state == PortfolioState.ADVISED
