"""AS-5 in the browser, with the demo data: a jobcoach whose registration runs out starts the
recertification from the start page's prompt; a registered professional reads the previous
development plan and advice beside the look-back (A2), on a desktop and on a phone; the
certification coordinator finds the registrations running out from the queue."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Registration
from portfolios.models import Portfolio
from tests.e2e.test_phone_width import overflow, phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_the_prompt_starts_the_recertification_with_the_registrations_date(live_server, browser):
    call_command("seed_demo", stdout=io.StringIO())
    registration = Registration.objects.get(owner__email="anouk.peters@example.org")
    page = phone(browser, live_server.url, "anouk.peters@example.org")
    page.goto(live_server.url + reverse("portfolios:list"))
    assert not overflow(page)
    shot(page, "renewal-prompt-phone")
    page.get_by_role("link", name="Hercertificering starten").click()
    page.get_by_role("button", name="Hercertificeringsportfolio starten").click()
    page.wait_for_url(lambda url: "/portfolios/" in url)
    portfolio = Portfolio.objects.get(owner=registration.owner)
    assert portfolio.jobcoach.recertification_date == registration.valid_until
    assert "Je hercertificeringsportfolio staat klaar" in page.content()


def test_a2_beside_the_previous_plan_and_advice_on_desktop_and_phone(live_server, browser):
    call_command("seed_demo", stdout=io.StringIO())
    # The registration her decision made (the demo also holds the one it extends).
    registration = Registration.objects.get(
        owner__email="professional@example.org", decision__isnull=False
    )
    # The demo's other draft of professional@ would count as the recertification in progress.
    Portfolio.objects.filter(owner=registration.owner, state="draft").update(state="withdrawn")
    desktop = browser.new_context(viewport=DESKTOP).new_page()
    # The same log-in as on a phone, in a wide window.
    page = phone(browser, live_server.url, "professional@example.org")
    page.goto(live_server.url + reverse("assessments:recertify", args=[registration.pk]))
    page.get_by_role("button", name="Hercertificeringsportfolio starten").click()
    page.wait_for_url(lambda url: "/portfolios/" in url)
    portfolio = Portfolio.objects.filter(owner=registration.owner, state="draft").latest(
        "created_at"
    )
    assert portfolio.jobcoach.recertification_date == registration.valid_until
    a2 = live_server.url + reverse("portfolios:a2", args=[portfolio.pk])
    page.goto(a2)
    assert not overflow(page)
    advice = page.get_by_role("heading", name="Ontwikkeladvies van de assessoren")
    look_back = page.get_by_label("Verantwoording")
    # On a phone the plan and the advice come first, the look-back below them.
    assert advice.bounding_box()["y"] < look_back.bounding_box()["y"]
    shot(page, "renewal-a2-phone")
    desktop.context.add_cookies(page.context.cookies())
    desktop.goto(a2)
    advice = desktop.get_by_role("heading", name="Ontwikkeladvies van de assessoren")
    look_back = desktop.get_by_label("Verantwoording")
    # Side by side on a desktop.
    assert (
        advice.bounding_box()["x"] + advice.bounding_box()["width"]
        <= (look_back.bounding_box()["x"])
    )
    assert "intervisie met jobcoaches buiten je eigen organisatie" in desktop.content()
    shot(desktop, "renewal-a2-desktop")


def test_the_coordinator_finds_the_registrations_running_out(live_server, browser):
    call_command("seed_demo", stdout=io.StringIO())
    page = phone(browser, live_server.url, "certification@example.org")
    page.goto(live_server.url + reverse("assessments:certification"))
    page.get_by_role("link", name="Aflopende registraties").click()
    page.get_by_label("Aflopend binnen").select_option("12")
    page.get_by_role("button", name="Tonen").click()
    content = page.content()
    assert "Anouk Peters" in content and "Bram Visser" in content
    assert "in voorbereiding" in content
    assert not overflow(page)
    shot(page, "renewal-expiring-phone")
    desktop = browser.new_context(viewport=DESKTOP).new_page()
    desktop.context.add_cookies(page.context.cookies())
    desktop.goto(page.url)
    shot(desktop, "renewal-expiring-desktop")
