"""Pages degrade, not crash, on odd data already stored: every page of the permission matrix
answers as it does with ordinary dates when every stored date is at an end of the calendar."""

import pytest
from django.urls import reverse

from tests.odd_values import ODD_DATES, store_date_everywhere
from tests.test_permission_matrix import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "assigned_assessor", "certification_coordinator", "staff"]
# A registration dated at an end of the calendar is not current: its entry in the public register
# says so, with the 404 of every entry that is not current.
NOT_CURRENT = {"register:entry": 404}


@pytest.mark.parametrize("day", ODD_DATES, ids=str)
def test_every_page_answers_with_dates_at_the_end_of_the_calendar(client, world, day):  # noqa: F811
    people, targets = world
    store_date_everywhere(day)
    client.raise_request_exception = False
    failures = []
    for persona in PERSONAS:
        client.force_login(getattr(people, persona))
        for key, (args, allowed) in targets.items():
            name = key.split("#")[0]
            status = client.get(reverse(name, args=args)).status_code
            if status != NOT_CURRENT.get(name, allowed.get(persona, 404)):
                failures.append((persona, key, status))
    assert not failures
