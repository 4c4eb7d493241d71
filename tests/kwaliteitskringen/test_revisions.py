"""A circle's figures and lists remembered under its revision (kwaliteitskringen/revisions.py):
never shown for a row that changed since, whoever changed it and however, and covering every
table the remembered work reads."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kwaliteitskringen import revisions, selectors, services
from kwaliteitskringen.models import (
    Attendance,
    Contribution,
    Meeting,
    MeetingRegistration,
    Membership,
    MembershipState,
    SignalDismissal,
)
from kwaliteitskringen.tasks import prune_circle_changes
from noloc_portal.remembering import Remembered
from tests.factories import Role, user_with
from tests.kwaliteitskringen.factories import MeetingFactory, MembershipFactory, held_meeting

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the revisions are kept by PostgreSQL triggers"
    ),
]

AS_OF = date(2026, 11, 23)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _revision(circle) -> str:
    return revisions.revision(circle.pk)


def _busy(world, members: int = 6):
    """Members who host, attend, miss evenings and contribute, so that every list and signal
    has rows."""
    people = [MembershipFactory(circle=world.circle, year=2026).member for _ in range(members)]
    for n, day in enumerate((date(2026, 2, 3), date(2026, 3, 3), date(2026, 4, 7))):
        held_meeting(
            world.circle,
            day,
            present=people[: n + 2],
            absent=people[n + 2 :],
            host=people[n % members],
        )
    MeetingFactory(circle=world.circle, date=date(2026, 12, 15), host=people[-1])
    Contribution.objects.create(
        circle=world.circle, participant=people[0], date=date(2026, 5, 1), description="Casus"
    )
    return people


# --- the triggers ----------------------------------------------------------------------------


def test_a_trigger_notes_the_writes_of_every_table_named():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'kk_note_%'"
        )
        tables = {row[0] for row in cursor.fetchall()}
    assert tables == set(revisions.TABLES)


def _tables(sql: str) -> set[str]:
    quoted = set(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', sql))
    plain = set(re.findall(r"(?:FROM|JOIN)\s+(\w+)\s", sql))
    return (quoted | plain) - {"SELECT"}


def test_remembered_work_reads_only_tables_whose_writes_change_the_revision(
    client, world, monkeypatch
):
    """Everything worked out under a revision, on every page that remembers, reads only tables
    whose writes change it (so a write to any other could not show)."""
    _busy(world)
    read: list[str] = []
    remembered = revisions.Revision.remembered

    def capturing(self, key, work_out):
        def captured():
            with CaptureQueriesContext(connection) as queries:
                value = work_out()
                # A lazy list would read later, outside: make it read now.
                if isinstance(value, list | tuple):
                    list(value)
            read.extend(query["sql"] for query in queries.captured_queries)
            return value

        return remembered(self, key, captured)

    monkeypatch.setattr(revisions.Revision, "remembered", capturing)
    pages = {
        world.coordinator: [
            "manage_members",
            "manage_meetings",
            "manage_signals",
            "manage_applications",
            "circle",
        ],
        world.member: ["circle"],
        world.chair: ["region_circle"],
    }
    for user, names in pages.items():
        client.force_login(user)
        for name in names:
            response = client.get(reverse(f"kwaliteitskringen:{name}", args=[world.circle.pk]))
            assert response.status_code == 200, name
    assert read
    tables = set().union(*map(_tables, read))
    assert tables <= set(revisions.TABLES), tables - set(revisions.TABLES)


def _meeting_of(world):
    return held_meeting(world.circle, date(2026, 6, 2), present=[world.member])


WRITES = {
    "a membership added": lambda w: MembershipFactory(circle=w.circle, year=2026),
    "a membership's state, through QuerySet.update": lambda w: Membership.objects.filter(
        circle=w.circle
    ).update(state=MembershipState.REMOVED),
    "a membership deleted": lambda w: Membership.objects.filter(circle=w.circle).delete(),
    "a meeting planned": lambda w: MeetingFactory(circle=w.circle, date=date(2026, 12, 20)),
    "a meeting's theme": lambda w: Meeting.objects.filter(pk=w.meeting.pk).update(theme="Anders"),
    "a meeting deleted, with its registrations": lambda w: w.meeting.delete(),
    "an attendance marked": lambda w: Attendance.objects.filter(meeting__circle=w.circle).update(
        present=False
    ),
    "attendance added in bulk": lambda w: Attendance.objects.bulk_create(
        [Attendance(meeting=w.meeting, participant=w.member, present=True)]
    ),
    "an attendance deleted": lambda w: Attendance.objects.filter(meeting__circle=w.circle).delete(),
    "a registration": lambda w: MeetingRegistration.objects.create(
        meeting=w.meeting, participant=w.coordinator
    ),
    "a contribution": lambda w: Contribution.objects.create(
        circle=w.circle, participant=w.member, date=date(2026, 6, 1), description="Boek"
    ),
    "a signal set aside": lambda w: SignalDismissal.objects.create(
        circle=w.circle, key="x", note="gesproken", dismissed_by=w.coordinator
    ),
    "the circle's name": lambda w: w.circle.__class__.objects.filter(pk=w.circle.pk).update(
        name="Kring Utrecht-Oost"
    ),
    "a member's name": lambda w: w.member.__class__.objects.filter(pk=w.member.pk).update(
        full_name="Nieuwe Naam"
    ),
    "a member's e-mail address": lambda w: (
        setattr(w.member, "email", "nieuw@example.org") or w.member.save()
    ),
    "the coordinator's name": lambda w: (
        setattr(w.coordinator, "full_name", "C. Nieuw") or w.coordinator.save()
    ),
    "a joint meeting of another circle": lambda w: MeetingFactory(
        circle=w.other_circle, joint_with=w.circle, date=date(2026, 12, 22)
    ),
    "the name of a circle it meets with": lambda w: (
        MeetingFactory(circle=w.other_circle, joint_with=w.circle, date=date(2026, 12, 22)),
        _revision_after(w),
        w.other_circle.__class__.objects.filter(pk=w.other_circle.pk).update(name="Kring Z"),
    ),
}


def _revision_after(world):
    """Mark where a write in two steps starts counting."""
    world.mark = _revision(world.circle)


@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_every_kind_of_write_makes_a_new_revision(world, write):
    _meeting_of(world)
    MeetingRegistration.objects.create(meeting=world.meeting, participant=world.member)
    world.mark = _revision(world.circle)
    WRITES[write](world)
    assert _revision(world.circle) != world.mark


def test_a_host_who_is_no_member_renamed_makes_a_new_revision(world):
    guest = user_with(Role.PROFESSIONAL)
    MeetingFactory(circle=world.circle, date=date(2026, 12, 20), host=guest)
    before = _revision(world.circle)
    guest.full_name = "Gast Spreker"
    guest.save(update_fields=["full_name"])
    assert _revision(world.circle) != before


def test_a_login_or_another_circle_leaves_the_revision_alone(client, world):
    before = _revision(world.circle)
    client.force_login(world.member)  # updates last_login
    world.member.refresh_from_db()
    world.member.full_name = world.member.full_name  # the same name saved again
    world.member.save()
    MeetingFactory(circle=world.other_circle, date=date(2026, 12, 20))
    MembershipFactory(circle=world.other_circle, year=2026)
    assert _revision(world.circle) == before


# --- what is remembered ------------------------------------------------------------------------


def _page(client, url, **params) -> str:
    return CSRF.sub("csrf", client.get(url, params).content.decode())


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("circle", "member"),
        ("circle", "coordinator"),
        ("manage_members", "coordinator"),
        ("manage_meetings", "coordinator"),
        ("manage_signals", "coordinator"),
    ],
)
def test_a_remembered_page_is_the_page_worked_out_anew(client, world, name, persona):
    _busy(world, members=30)
    client.force_login(getattr(world, persona))
    url = reverse(f"kwaliteitskringen:{name}", args=[world.circle.pk])
    for params in ({}, {"pagina": 2}, {"beurt": 2}, {"eerder": 2}):
        first = _page(client, url, **params)
        with CaptureQueriesContext(connection) as again:
            remembered = _page(client, url, **params)
        revisions.remembered.clear()
        with CaptureQueriesContext(connection) as anew:
            worked_out = _page(client, url, **params)
        assert remembered == first == worked_out
        assert len(again.captured_queries) < len(anew.captured_queries)


def test_a_write_shows_on_the_next_request(client, world):
    """The coordinator records a contribution and renames a member through the admin's way of
    saving: the remembered tab shows both at once."""
    people = _busy(world)
    client.force_login(world.coordinator)
    url = reverse("kwaliteitskringen:manage_signals", args=[world.circle.pk])
    before = client.get(url).content.decode()
    assert "nog geen actieve bijdrage" in before
    quiet = people[-1]
    signals_before = len(selectors.circle_figures(world.circle, as_of=AS_OF).signals)
    services.record_contribution(
        circle=world.circle,
        participant=quiet,
        on=date(2026, 11, 1),
        description="Workshop",
        by=world.coordinator,
    )
    quiet.full_name = "Quinten Stil-Nieuw"
    quiet.save()
    after = client.get(url).content.decode()
    assert "Quinten Stil-Nieuw" in after
    assert len(selectors.circle_figures(world.circle, as_of=AS_OF).signals) < signals_before


def test_warm_pages_issue_the_same_queries_for_1_and_n_rows(
    client, world, django_assert_num_queries
):
    client.force_login(world.coordinator)
    urls = [
        reverse(f"kwaliteitskringen:{name}", args=[world.circle.pk])
        for name in ("circle", "manage_members", "manage_meetings", "manage_signals")
    ]
    _busy(world, members=1)
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        counts.append(len(one.captured_queries))
    _busy(world, members=12)
    for url, count in zip(urls, counts, strict=True):
        client.get(url)
        with django_assert_num_queries(count):
            client.get(url)


def test_each_revision_is_read_once_with_the_circle(client, world):
    _busy(world)
    client.force_login(world.coordinator)
    for name in ("circle", "manage_members", "manage_meetings", "manage_signals"):
        url = reverse(f"kwaliteitskringen:{name}", args=[world.circle.pk])
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        own = [q for q in queries.captured_queries if "kk_circle_change" in q["sql"]]
        assert len(own) == 1 and "kwaliteitskringen_circle" in own[0]["sql"], name


def test_without_a_revision_nothing_is_remembered():
    calls = []
    revision = revisions.Revision(1, None)
    for _ in range(2):
        revision.remembered(("x",), lambda: calls.append(1) or [1])
    assert len(calls) == 2 and not revisions.remembered.values


def test_the_least_recently_used_goes_first(monkeypatch):
    kept = Remembered(2)
    kept.keep(("a",), 1)
    kept.keep(("b",), 2)
    assert kept.get(("a",)) == 1
    kept.keep(("c",), 3)
    assert kept.get(("b",)) is None and kept.get(("a",)) == 1 and kept.get(("c",)) == 3


def test_pruning_keeps_the_last_change_of_each_circle(world):
    for _ in range(3):
        MembershipFactory(circle=world.circle, year=2026)
        MembershipFactory(circle=world.other_circle, year=2026)
    prune_circle_changes()
    with connection.cursor() as cursor:
        cursor.execute("SELECT circle_id, count(*) FROM kk_circle_change GROUP BY circle_id")
        counts = dict(cursor.fetchall())
    assert counts[world.circle.pk] == 1 and counts[world.other_circle.pk] == 1
    before = _revision(world.circle)
    MembershipFactory(circle=world.circle, year=2026)
    assert _revision(world.circle) != before


def test_pruning_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["kwaliteitskringen-prune-circle-changes"]
    assert entry["task"] == "kwaliteitskringen.tasks.prune_circle_changes"


def test_each_member_sees_their_own_attendance_from_what_is_remembered(client, world):
    people = _busy(world)
    url = reverse("kwaliteitskringen:circle", args=[world.circle.pk])
    seen = {}
    for person in (people[0], people[-1], people[0]):
        client.force_login(person)
        seen.setdefault(person.pk, []).append(_page(client, url))
    first, again = seen[people[0].pk]
    assert first == again
    assert seen[people[-1].pk][0] != first
    # people[0] was at all three evenings, the last member at none of them.
    assert "Nog geen bijgewoonde bijeenkomsten vastgelegd." in seen[people[-1].pk][0]
    assert "Nog geen bijgewoonde bijeenkomsten vastgelegd." not in first


def test_the_remembered_tag_names_a_revision_and_a_quoted_name():
    from django.template import Context, Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template("{% load circle_rows %}{% remembered revision rows %}x{% endremembered %}")
    written = Template(
        '{% load circle_rows %}{% remembered revision "n" %}{{ value }}{% endremembered %}'
    )
    assert written.render(Context({"revision": None, "value": 1})) == "1"
    assert written.render(Context({"revision": None, "value": 2})) == "2"
    revision = revisions.Revision(1, "r")
    assert written.render(Context({"revision": revision, "value": 1})) == "1"
    assert written.render(Context({"revision": revision, "value": 2})) == "1"  # remembered
    assert written.render(Context({"revision": revisions.Revision(1, "s"), "value": 2})) == "2"
