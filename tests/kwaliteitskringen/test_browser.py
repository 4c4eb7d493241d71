"""End to end in Chromium: the coordinator records attendance and sees it on the list."""

from datetime import date

import pytest

from kwaliteitskringen.models import MeetingState
from tests.conftest import log_in
from tests.factories import PASSWORD, Role, user_with
from tests.kwaliteitskringen.factories import CircleFactory, MeetingFactory, MembershipFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_records_attendance_in_the_browser(live_server, browser):
    coordinator = user_with(Role.CIRCLE_COORDINATOR, email="coordinator@example.org")
    circle = CircleFactory(coordinator=coordinator, name="Kwaliteitskring Gouda")
    here = MembershipFactory(circle=circle, member=user_with(full_name="Anna Aanwezig")).member
    MembershipFactory(circle=circle, member=user_with(full_name="Bert Afwezig"))
    meeting = MeetingFactory(circle=circle, date=date(2026, 11, 17), theme="Casus over twijfel")

    page = browser.new_page()
    log_in(page, live_server.url, "coordinator@example.org", PASSWORD)
    page.get_by_role("link", name="Kwaliteitskring Gouda").click()
    page.get_by_role("link", name="Bijeenkomsten").click()
    page.get_by_role("link", name="Aanwezigheid 17-11-2026").click()
    page.get_by_label("Anna Aanwezig").check()
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    assert "De aanwezigheid is vastgelegd" in page.content()
    page.get_by_role("button", name="Verslag opslaan").click()
    body = page.locator("main").inner_text()

    assert "Presentielijst" in body and "Anna Aanwezig" in body and "Bert Afwezig" in body
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    assert list(meeting.attendances.filter(present=True).values_list("participant", flat=True)) == [
        here.pk
    ]
