"""End to end in Chromium: the coordinator records attendance and sees it on the list."""

import os
from datetime import date

import pytest

from kwaliteitskringen.models import MeetingState
from tests.factories import PASSWORD, Role, user_with
from tests.kwaliteitskringen.factories import CircleFactory, MeetingFactory, MembershipFactory


@pytest.fixture(autouse=True)
def allow_orm_next_to_playwrights_loop(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test and the
    # live server must be allowed next to it. Set per test (not at import) so the variable does
    # not leak into other tests, e.g. the `check --deploy` subprocess that refuses it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_records_attendance_in_the_browser(live_server):
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Chromium is not installed")
    coordinator = user_with(Role.CIRCLE_COORDINATOR, email="coordinator@example.org")
    circle = CircleFactory(coordinator=coordinator, name="Kwaliteitskring Gouda")
    here = MembershipFactory(circle=circle, member=user_with(full_name="Anna Aanwezig")).member
    MembershipFactory(circle=circle, member=user_with(full_name="Bert Afwezig"))
    meeting = MeetingFactory(circle=circle, date=date(2026, 11, 17), theme="Casus over twijfel")

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-mailadres").fill("coordinator@example.org")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        page.get_by_role("link", name="Kwaliteitskring Gouda").click()
        page.get_by_role("link", name="Bijeenkomsten").click()
        page.get_by_role("link", name="Aanwezigheid 17-11-2026").click()
        page.get_by_label("Anna Aanwezig").check()
        page.get_by_role("button", name="Aanwezigheid opslaan").click()
        assert "De aanwezigheid is vastgelegd" in page.content()
        page.get_by_role("button", name="Verslag opslaan").click()
        body = page.locator("main").inner_text()
        browser.close()

    assert "Presentielijst" in body and "Anna Aanwezig" in body and "Bert Afwezig" in body
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    assert list(meeting.attendances.filter(present=True).values_list("participant", flat=True)) == [
        here.pk
    ]
