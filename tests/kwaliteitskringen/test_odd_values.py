"""A circle whose stored dates are at an end of the calendar (a meeting saved as 9999-12-31
before the form refused it) still shows every page, so the coordinator can put it right."""

from datetime import date

import pytest
from django.urls import reverse

from kwaliteitskringen.models import Contribution, Meeting
from tests.kwaliteitskringen.factories import held_meeting
from tests.kwaliteitskringen.test_views import _targets
from tests.odd_values import ODD_DATES, store_date_everywhere

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ODD_DATES, ids=str)
def test_every_circle_page_answers_with_dates_at_the_end_of_the_calendar(client, world, day):
    # A member who hosted: when it is their turn again is counted from the stored date (KK-7).
    held_meeting(world.circle, date(2026, 1, 13), present=[world.member], host=world.member)
    targets = _targets(world)
    store_date_everywhere(day)
    client.raise_request_exception = False
    failures = []
    for persona in ("member", "coordinator", "staff"):
        client.force_login(getattr(world, persona))
        for key, (args, allowed) in targets.items():
            url = reverse(f"kwaliteitskringen:{key.split('#')[0]}", args=args)
            status = client.get(url).status_code
            if status != (allowed.get(persona, 404) if allowed else 405):
                failures.append((persona, key, status))
    assert not failures


def _meeting_post(day: str) -> dict:
    return {
        "date": day,
        "start_time": "19:30",
        "place": "Utrecht",
        "form": "intervision",
        "theme": "Intervisie",
    }


@pytest.mark.parametrize("day", ["9999-12-31", "1949-12-31", "2101-01-01"])
def test_the_meeting_form_refuses_a_date_out_of_range_in_dutch(client, world, day):
    client.force_login(world.coordinator)
    url = reverse("kwaliteitskringen:meeting_edit", args=[world.meeting.pk])
    response = client.post(url, _meeting_post(day))
    assert response.status_code == 200
    assert (
        "Vul een datum in tussen 1 januari 1950 en 31 december 2100." in response.content.decode()
    )
    world.meeting.refresh_from_db()
    assert world.meeting.date == date(2026, 12, 8)


def test_a_meeting_stored_in_9999_is_put_right_through_the_edit_form(client, world):
    Meeting.objects.filter(pk=world.meeting.pk).update(date=date(9999, 12, 31))
    client.force_login(world.coordinator)
    url = reverse("kwaliteitskringen:meeting_edit", args=[world.meeting.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, _meeting_post("2026-12-15")).status_code == 302
    world.meeting.refresh_from_db()
    assert world.meeting.date == date(2026, 12, 15)


def test_a_contribution_dated_before_1950_is_refused(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("kwaliteitskringen:contribution", args=[world.circle.pk]),
        {"participant": world.member.pk, "date": "1900-01-01", "description": "Workshop"},
        follow=True,
    )
    assert "Vul een datum in tussen 1 januari 1950" in response.content.decode()
    assert not Contribution.objects.exists()


@pytest.mark.parametrize(
    "query", ["jaar=²", "jaar=٢٠٢٥", "jaar=-1", "jaar=" + "9" * 5000, "jaar=2025%00", "jaar="]
)
def test_the_annual_report_tab_answers_a_year_it_cannot_read(client, world, query):
    client.force_login(world.coordinator)
    url = reverse("kwaliteitskringen:manage_annual_report", args=[world.circle.pk])
    assert client.get(f"{url}?{query}").status_code == 200
