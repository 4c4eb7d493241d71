"""Every page of every role fits a phone (390 px): nothing makes the page scroll sideways, wide
tables become stacked cards, and the portfolio's sections are reachable at the top of the page.
Walked with the demo data, as each demo account."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from kwaliteitskringen.models import Circle
from noloc_portal.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from portfolios.models import Portfolio
from tests.mfa import code_for_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def phone(browser, base: str, email: str):
    page = browser.new_context(viewport=PHONE).new_page()
    page.set_default_timeout(15000)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/tweestaps/" in page.url:
        page.get_by_label("Code").fill(code_for_secret(DEMO_TOTP_SECRET))
        page.get_by_role("button", name="Bevestigen").click()
        page.wait_for_url(lambda url: "/accounts/tweestaps/" not in url)
    return page


def overflow(page) -> list[str]:
    """What sticks out to the right of the screen (empty when the page fits). Inside a scrolling
    container (a wide table) sticking out is allowed, as long as the page itself does not
    scroll sideways."""
    return page.evaluate(
        """() => {
            const page = document.documentElement.scrollWidth;
            if (page <= window.innerWidth) return [];
            const outside = [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                        && !e.closest('.table-responsive, .overflow-auto'))
              .map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))
              .slice(0, 5);
            return outside.length ? outside : ['the page is ' + page + ' px wide'];
        }"""
    )


def test_every_role_reads_the_portal_on_a_phone(live_server, browser):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    jobcoach = Portfolio.objects.filter(
        owner__email="professional@example.org", state="draft"
    ).first()
    loopbaan = Portfolio.objects.get(owner__email="candidate@example.org")
    walks = {
        "professional@example.org": [
            reverse("portfolios:list"),
            reverse("portfolios:detail", args=[jobcoach.pk]),
            reverse("portfolios:pe", args=[jobcoach.pk]),
            reverse("portfolios:meetings", args=[jobcoach.pk]),
            reverse("kwaliteitskringen:mine"),
        ],
        "candidate@example.org": [
            reverse("portfolios:detail", args=[loopbaan.pk]),
            reverse("portfolios:lp_cases", args=[loopbaan.pk]),
            reverse("portfolios:lp_education", args=[loopbaan.pk]),
        ],
        "assessor@example.org": [reverse("assessments:assigned")],
        "certification@example.org": [reverse("assessments:certification")],
        "kring@example.org": [reverse("kwaliteitskringen:mine")],
    }
    SCREENSHOTS.mkdir(exist_ok=True)
    wide = {}
    for email, paths in walks.items():
        page = phone(browser, base, email)
        for path in paths:
            page.goto(base + path)
            sticking_out = overflow(page)
            if sticking_out:
                wide[path] = sticking_out
        # The circle coordinator's management tabs.
        if email == "kring@example.org":
            circle = Circle.objects.filter(coordinator__email=email).order_by("pk").first()
            page.goto(base + reverse("kwaliteitskringen:manage_members", args=[circle.pk]))
            for tab in page.locator("ul.nav-tabs a.nav-link").all():
                href = tab.get_attribute("href")
                page.goto(base + href)
                if overflow(page):
                    wide[href] = overflow(page)
        page.screenshot(path=SCREENSHOTS / f"phone-{email.split('@')[0]}.png", full_page=True)
    assert not wide, wide


def test_the_sections_of_a_portfolio_are_at_the_top_on_a_phone(live_server, browser):
    call_command("seed_demo", stdout=io.StringIO())
    portfolio = Portfolio.objects.filter(
        owner__email="professional@example.org", state="draft"
    ).first()
    page = phone(browser, live_server.url, "professional@example.org")
    page.goto(live_server.url + reverse("portfolios:pe", args=[portfolio.pk]))
    menu = page.get_by_text("Onderdelen van dit portfolio")
    assert menu.bounding_box()["y"] < page.get_by_role("heading", level=1).bounding_box()["y"]
    menu.click()
    page.get_by_role("link", name="A4 Ontwikkelplan").click()
    assert page.url.endswith(reverse("portfolios:plan", args=[portfolio.pk]))
    # The PE register is a stack of cards: the evidence of each activity is on screen.
    page.goto(live_server.url + reverse("portfolios:pe", args=[portfolio.pk]))
    evidence = page.locator("#activiteiten tbody td[data-label='Bewijs']").first
    box = evidence.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
