"""A circle whose stored dates are at an end of the calendar (a meeting saved as 9999-12-31
before the form refused it) still shows every page, so the coordinator can put it right."""

from datetime import date

import pytest
from django.urls import reverse

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
