"""Lists of the circle pages that grow with the circle are paginated, with the same queries on
every page, and the counts above them are over the whole list."""

from datetime import date
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kwaliteitskringen import revisions, selectors
from kwaliteitskringen.models import Contribution
from tests.kwaliteitskringen.factories import MeetingFactory, MembershipFactory, held_meeting

pytestmark = pytest.mark.django_db


def _pages(client, url, django_assert_num_queries, param="pagina"):
    """The first and second page, each as the first request at the circle's revision (the
    queries of a page whose figures are remembered are the test of tests/kwaliteitskringen/
    test_revisions.py)."""
    with CaptureQueriesContext(connection) as first:
        one = client.get(url).content.decode()
    revisions.remembered.clear()
    with django_assert_num_queries(len(first.captured_queries)):
        two = client.get(url, {param: 2}).content.decode()
    return one, two


def test_members_tab_pages_through_members_and_counts_all(client, world, django_assert_num_queries):
    for _ in range(55):
        MembershipFactory(circle=world.circle, year=2026)
    client.force_login(world.coordinator)
    url = reverse("kwaliteitskringen:manage_members", args=[world.circle.pk])
    one, two = _pages(client, url, django_assert_num_queries)
    assert "56 deelnemers in 2026" in one and "pagina 1 van 2" in one
    assert one.count("Deelname beëindigen") == 50 and two.count("Deelname beëindigen") == 6


def test_meetings_tab_pages_through_meetings(client, world, django_assert_num_queries):
    for day in range(1, 56):
        MeetingFactory(circle=world.circle, date=date(2025, 1 + day % 12, 1 + day % 28))
    client.force_login(world.coordinator)
    url = reverse("kwaliteitskringen:manage_meetings", args=[world.circle.pk])
    one, two = _pages(client, url, django_assert_num_queries)
    assert "pagina 1 van 2" in one and "pagina 2 van 2" in two
    edit = reverse("kwaliteitskringen:meeting_edit", args=[world.meeting.pk])
    assert edit in one and edit not in two  # newest first


def test_signals_tab_pages_through_every_signal(client, world, django_assert_num_queries):
    members = [MembershipFactory(circle=world.circle, year=2026).member for _ in range(30)]
    client.force_login(world.coordinator)
    url = reverse("kwaliteitskringen:manage_signals", args=[world.circle.pk])
    expected = len(selectors.circle_signals(world.circle, as_of=date(2026, 11, 23))[0])
    pages = -(-expected // 25)
    assert pages >= 2
    one, _ = _pages(client, url, django_assert_num_queries)
    assert f"pagina 1 van {pages}" in one
    bodies = [client.get(url, {"pagina": n}).content.decode() for n in range(1, pages + 1)]
    assert sum(body.count("Afhandelen") for body in bodies) == expected
    assert all(escape(member.full_name) in "".join(bodies) for member in members)


def test_circle_page_pages_through_past_meetings(client, world, django_assert_num_queries):
    for day in range(1, 26):
        held_meeting(world.circle, date(2026, 1 + day % 10, day), theme=f"Avond {day}")
    client.force_login(world.member)
    url = reverse("kwaliteitskringen:circle", args=[world.circle.pk])
    one, two = _pages(client, url, django_assert_num_queries, param="eerder")
    assert "pagina 1 van 2" in one and "pagina 2 van 2" in two
    # The planned meeting stays on top of every page, with its link built once per list.
    link = reverse("kwaliteitskringen:meeting", args=[world.meeting.pk])
    assert link in one and link in two


def test_hosting_rotation_pages_on_the_meetings_tab_and_the_circle_page(client, world):
    for _ in range(25):
        MembershipFactory(circle=world.circle, year=2026)
    for name, user in (("manage_meetings", world.coordinator), ("circle", world.member)):
        client.force_login(user)
        url = reverse(f"kwaliteitskringen:{name}", args=[world.circle.pk])
        first = client.get(url).content.decode()
        second = client.get(url, {"beurt": 2}).content.decode()
        assert "beurt=2" in first and "pagina 2 van 2" in second, name


def _busy_circle(world, members: int) -> None:
    """Members who hosted evenings (held and planned), contributed, and missed meetings."""
    people = [MembershipFactory(circle=world.circle, year=2026).member for _ in range(members)]
    for n, person in enumerate(people):
        held_meeting(world.circle, date(2025 + n % 2, 1 + n % 10, 3), host=person, absent=people)
        MeetingFactory(circle=world.circle, date=date(2026, 12, 20 + n % 5), host=person)
        Contribution.objects.create(
            circle=world.circle, participant=person, date=date(2026, 3, 1), description="Intervisie"
        )


@pytest.mark.parametrize("tab", ["manage_members", "manage_meetings", "manage_signals", "circle"])
def test_coordinator_tabs_stay_within_15_queries_whatever_the_circle_holds(
    client, world, django_assert_max_num_queries, tab
):
    """The signal badge of every tab reads the signals in five queries (the hosting and the
    contributions come with the members), and the meetings tab shares members and rules."""
    url = reverse(f"kwaliteitskringen:{tab}", args=[world.circle.pk])
    client.force_login(world.coordinator)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _busy_circle(world, 12)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    assert len(small.captured_queries) <= 15


def test_signals_see_hosting_and_contributions_as_before(world):
    """Hosting a held evening this year or recording a contribution clears the KK-3 signal; a
    planned evening to come clears the KK-7 one."""
    as_of = date(2026, 11, 23)
    hosted, contributed, planned, idle = (
        MembershipFactory(circle=world.circle, year=2026).member for _ in range(4)
    )
    held_meeting(world.circle, date(2026, 2, 3), host=hosted)
    Contribution.objects.create(
        circle=world.circle, participant=contributed, date=date(2026, 5, 1), description="Casus"
    )
    MeetingFactory(circle=world.circle, date=date(2026, 12, 15), host=planned)
    signals, _ = selectors.circle_signals(world.circle, as_of=as_of)
    keys = {signal.key for signal in signals}
    for person in (hosted, contributed):
        assert f"contribution:{person.pk}:2026" not in keys
    for person in (planned, idle):
        assert f"contribution:{person.pk}:2026" in keys
    hosting = {signal.key.split(":")[1] for signal in signals if signal.kind == "hosting"}
    assert str(idle.pk) in hosting and str(contributed.pk) in hosting
    assert str(planned.pk) not in hosting and str(hosted.pk) not in hosting
