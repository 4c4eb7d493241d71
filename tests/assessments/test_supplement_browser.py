"""End to end in Chromium: the professional answers a supplement request from the status card
and resubmits; the assessor reads what changed on a phone."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Advice, AdviceOutcome, Assignment, AssignmentState
from portfolios import services
from tests.conftest import log_in
from tests.factories import PASSWORD, Role, user_with
from tests.portfolios.factories import complete_portfolio

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supplement_round_in_the_browser(live_server, browser, monkeypatch, tmp_path):
    monkeypatch.setattr(services, "queue_report", lambda **kwargs: None)
    portfolio = complete_portfolio()
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    assessor = user_with(Role.ASSESSOR, email="assessor@example.org")
    first = portfolio.rounds.get()
    Assignment.objects.create(
        round=first, assessor=assessor, state=AssignmentState.JUDGED, declared_at=timezone.now()
    )
    portfolio.state = "in_assessment"
    portfolio.save(update_fields=["state"])
    Advice.objects.create(
        round=first,
        outcome=AdviceOutcome.SUPPLEMENT,
        motivation="Beschrijf de cursus over gespreksvoering preciezer.",
        supplement_sections=["b"],
        supplement_deadline=date(2099, 1, 31),
        advised_by=assessor,
    )
    services.request_supplement(portfolio=portfolio, by=assessor, sections=["b"])
    activity = portfolio.pe_activities.filter(type="course").first()

    page = browser.new_page(viewport=PHONE)
    log_in(page, live_server.url, portfolio.owner.email, PASSWORD)
    page.goto(live_server.url + reverse("portfolios:detail", args=[portfolio.pk]))
    status = page.locator("#status").inner_text()
    assert "Aanvulling gevraagd" in status and "31 januari 2099" in status
    page.locator("#status").get_by_role("link", name="B · PE-punten").click()
    edit = reverse("portfolios:pe_edit", args=[portfolio.pk, activity.pk])
    page.locator(f"a[href='{edit}']").first.click()
    page.get_by_label("Titel").fill("Gespreksvoering in de praktijk")
    page.get_by_role("button", name="Opslaan").click()
    page.goto(live_server.url + reverse("portfolios:detail", args=[portfolio.pk]))
    page.get_by_role("button", name="Aanvulling indienen").click()
    assert "Je aanvulling is ingediend" in page.content()
    page.screenshot(path=str(tmp_path / "owner.png"), full_page=True)

    second = portfolio.rounds.order_by("-number").first()
    reader = browser.new_page(viewport=PHONE)
    log_in(reader, live_server.url, "assessor@example.org", PASSWORD)
    reader.goto(live_server.url + reverse("assessments:supplement_diff", args=[second.pk]))
    body = reader.locator("main").inner_text()
    assert "Gespreksvoering in de praktijk" in body and activity.title in body
    assert "ongewijzigd" in body
    reader.screenshot(path=str(tmp_path / "diff.png"), full_page=True)
    overflow = reader.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
