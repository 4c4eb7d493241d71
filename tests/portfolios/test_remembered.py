"""Verdicts on drafts remembered under the versions of the rows they judged: never shown for a
row that changed since, whoever changed it and however (a service, ``QuerySet.update``, a
delete, a write twice in one transaction), and covering every table the snapshot reads."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from noloc_portal.documents.models import Document
from portfolios import registry, remembered, services
from portfolios.evaluation import evaluate
from portfolios.jobcoach.models import FacilitatorConfirmation, JobcoachDetails, PEActivity
from portfolios.loopbaan.models import Case, CaseTask, CaseText, Course, LoopbaanDetails
from portfolios.models import Portfolio
from portfolios.snapshots import snapshot_of, stored_for_snapshot
from portfolios.tasks import prune_portfolio_changes
from tests.portfolios.factories import (
    DocumentFactory,
    PEActivityFactory,
    complete_loopbaan_portfolio,
    complete_portfolio,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="revisions are kept by PostgreSQL's triggers"
    ),
]

AS_OF = date(2026, 11, 1)


@pytest.fixture(autouse=True)
def forgotten():
    remembered.remembered.clear()
    yield
    remembered.remembered.clear()


@pytest.fixture
def judged(monkeypatch):
    """How often the engine judged a portfolio through the services."""
    calls = []

    def counting(snapshot, **kwargs):
        calls.append(kwargs["as_of"])
        return evaluate(snapshot, **kwargs)

    monkeypatch.setattr(services, "evaluate", counting)
    return calls


@pytest.fixture
def portfolio():
    """A complete Jobcoach draft with a row in every table its snapshot reads."""
    portfolio = complete_portfolio()
    meeting = portfolio.reflection_meetings.first()
    meeting.statement = DocumentFactory(owner=portfolio.owner)
    meeting.save()
    FacilitatorConfirmation.objects.create(
        meeting=meeting, email="begeleider@example.org", expires_at=timezone.now()
    )
    PEActivityFactory(portfolio=portfolio, evidence=DocumentFactory(owner=portfolio.owner))
    return portfolio


def fresh(portfolio: Portfolio, as_of=AS_OF):
    """The verdict judged again from the database, remembering nothing."""
    stored = stored_for_snapshot(portfolio.pk, portfolio.framework)
    return evaluate(snapshot_of(stored), as_of=as_of).to_json()


def shown(portfolio: Portfolio, as_of=AS_OF):
    return services.evaluate_portfolio(portfolio, as_of=as_of).to_json()


def test_the_same_rows_are_judged_once(portfolio, judged):
    first = shown(portfolio)
    assert shown(portfolio) == first == fresh(portfolio)
    assert judged == [AS_OF]


def test_another_day_or_language_is_judged_again(portfolio, judged):
    shown(portfolio)
    shown(portfolio, as_of=AS_OF + timedelta(days=1))
    with translation.override("en"):
        english = shown(portfolio)
    assert judged == [AS_OF, AS_OF + timedelta(days=1), AS_OF]
    assert english == fresh_in_english(portfolio)


def fresh_in_english(portfolio):
    with translation.override("en"):
        return fresh(portfolio)


def first_evidence(portfolio):
    return PEActivity.objects.filter(portfolio=portfolio, evidence__isnull=False).first().evidence


# Each changes one table the Jobcoach snapshot reads, the way no service would announce it.
CHANGES = {
    "portfolio row": lambda p: Portfolio.objects.filter(pk=p.pk).update(
        declares_code_of_conduct=False
    ),
    "details row": lambda p: JobcoachDetails.objects.filter(portfolio=p).update(a2_report=""),
    "meeting row": lambda p: p.reflection_meetings.filter(
        pk=p.reflection_meetings.order_by("pk")[0].pk
    ).update(facilitator=""),
    "meeting removed": lambda p: p.reflection_meetings.order_by("-pk")[0].delete(),
    "confirmation": lambda p: FacilitatorConfirmation.objects.filter(meeting__portfolio=p).update(
        state="confirmed"
    ),
    "activity points": lambda p: PEActivity.objects.filter(portfolio=p, type="course").update(
        sbu=Decimal(2)
    ),
    "activity added": lambda p: PEActivityFactory(portfolio=p, sbu=Decimal(12)),
    "activity removed": lambda p: PEActivity.objects.filter(portfolio=p).order_by("pk")[0].delete(),
    "evidence file row": lambda p: Document.objects.filter(pk=first_evidence(p).pk).update(
        original_name="ander-bewijs.pdf"
    ),
    "cv file row": lambda p: Document.objects.filter(pk=p.cv_id).update(original_name="cv2.pdf"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_write_to_a_row_the_snapshot_reads_is_judged_again(portfolio, judged, change):
    shown(portfolio)
    key = remembered.key_of(portfolio, as_of=AS_OF)
    change(portfolio)
    assert remembered.key_of(portfolio, as_of=AS_OF) != key
    assert shown(portfolio) == fresh(portfolio)
    assert len(judged) == 2


def test_a_row_written_twice_in_one_transaction_is_a_new_revision(portfolio):
    """The tests run in one transaction, as a service does: each statement counts."""
    activity = PEActivity.objects.filter(portfolio=portfolio, type="course").first()
    keys = {remembered.key_of(portfolio, as_of=AS_OF)}
    for sbu in (Decimal(1), Decimal(2), Decimal(40)):
        PEActivity.objects.filter(pk=activity.pk).update(sbu=sbu)
        keys.add(remembered.key_of(portfolio, as_of=AS_OF))
        assert shown(portfolio) == fresh(portfolio)
    assert len(keys) == 4


def test_rows_of_another_portfolio_do_not_count(portfolio, judged):
    shown(portfolio)
    other = complete_portfolio(owner=portfolio.owner)
    PEActivityFactory(portfolio=other)
    shown(portfolio)
    assert len(judged) == 1


# What differs between two renders of the same page: the form token and the script nonce.
PER_RESPONSE = re.compile(r'(csrfmiddlewaretoken" value="|csrf-token" content="|nonce=")[^"]+')


def page_text(client, page) -> str:
    return PER_RESPONSE.sub("", client.get(page).content.decode())


def test_the_pages_show_what_they_showed_before_and_a_change_at_once(client, portfolio):
    client.force_login(portfolio.owner)
    pages = [
        reverse("portfolios:detail", args=[portfolio.pk]),
        reverse("portfolios:pe", args=[portfolio.pk]) + "?sorteer=punten",
        f"/api/v1/portfolios/{portfolio.pk}/evaluation/",
    ]
    first = [page_text(client, page) for page in pages]
    assert [page_text(client, page) for page in pages] == first  # remembered
    activity = PEActivity.objects.filter(portfolio=portfolio, type="course").first()
    response = client.post(
        reverse("portfolios:pe_edit", args=[portfolio.pk, activity.pk]),
        {"title": activity.title, "date": activity.date.isoformat(), "sbu": "3"},
    )
    assert response.status_code == 302
    evaluation = client.get(pages[2]).json()
    assert (
        evaluation
        == services.evaluate(
            snapshot_of(stored_for_snapshot(portfolio.pk, portfolio.framework)),
            as_of=timezone.localdate(),
        ).to_json()
    )
    assert any(item["points"] == 3 for item in evaluation["pe"]["activities"])


def tables_in(sql: str) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN) "([a-z_]+)"', sql))


# Joined by `load` for the pages (the heading names the owner); no snapshot reads the owner.
NOT_JUDGED = {"accounts_user"}


def test_the_rows_named_cover_every_table_the_snapshot_is_read_from():
    checked = []
    for make in (complete_portfolio, complete_loopbaan_portfolio):
        portfolio = make()
        framework = registry.get(portfolio.framework)
        if not framework.row_versions:
            continue  # remembers no verdicts
        with CaptureQueriesContext(connection) as read:
            stored_for_snapshot(portfolio.pk, portfolio.framework)
        loaded = set().union(*(tables_in(query["sql"]) for query in read.captured_queries))
        named = remembered.tables_of(framework.row_versions)
        assert loaded - NOT_JUDGED <= named
        assert "documents_document" in named
        checked.append(portfolio.framework)
    assert checked == ["jobcoach-recertification", "loopbaanprofessional-initial"]


# Each changes one table the Loopbaanprofessional snapshot reads, the way no service would
# announce it.
LOOPBAAN_CHANGES = {
    "portfolio row": lambda p: Portfolio.objects.filter(pk=p.pk).update(
        declares_code_of_conduct=False
    ),
    "details row": lambda p: LoopbaanDetails.objects.filter(portfolio=p).update(diversity=""),
    "diploma file row": lambda p: Document.objects.filter(
        pk=LoopbaanDetails.objects.get(portfolio=p).diploma_id
    ).update(original_name="ander-diploma.pdf"),
    "course hours": lambda p: Course.objects.filter(portfolio=p).update(hours=Decimal(1)),
    "course removed": lambda p: Course.objects.filter(portfolio=p).order_by("pk")[0].delete(),
    "case title": lambda p: Case.objects.filter(portfolio=p, number=2).update(title="Anders"),
    "task": lambda p: CaseTask.objects.filter(case__portfolio=p).update(
        text="", not_relevant=False
    ),
    "text": lambda p: CaseText.objects.filter(case__portfolio=p).update(text=""),
    "case removed": lambda p: Case.objects.filter(portfolio=p, number=2).delete(),
}


@pytest.mark.parametrize("name", ["detail", "lp_cases"])
@pytest.mark.parametrize("change", LOOPBAAN_CHANGES.values(), ids=LOOPBAAN_CHANGES.keys())
def test_the_loopbaan_overview_is_judged_and_written_again_after_any_write(
    client, judged, change, name
):
    """The overview and the cases page of a Loopbaanprofessional draft keep their verdict, its
    checklist, its matrix and the case cards while the rows do not change, and show any change
    at once."""
    portfolio = complete_loopbaan_portfolio()
    client.force_login(portfolio.owner)
    page = reverse(f"portfolios:{name}", args=[portfolio.pk])
    first = page_text(client, page)
    assert page_text(client, page) == first
    assert len(judged) == 1
    change(portfolio)
    after = page_text(client, page)
    assert len(judged) == 2
    remembered.remembered.clear()
    assert after == page_text(client, page)  # judged and written anew


def test_the_loopbaan_pages_show_a_change_made_through_a_page_at_once(client):
    portfolio = complete_loopbaan_portfolio()
    client.force_login(portfolio.owner)
    page = reverse("portfolios:detail", args=[portfolio.pk])
    assert "Verschillende vragen." in page_text(client, page)
    response = client.post(
        reverse("portfolios:lp_cases", args=[portfolio.pk]),
        {"diversity": "Een werkzoekende en een student."},
    )
    assert response.status_code == 302
    text = page_text(client, page)
    assert "Een werkzoekende en een student." in text and "Verschillende vragen." not in text


def test_a_submitted_portfolio_remembers_no_html_beside_its_frozen_verdict(client):
    portfolio = complete_loopbaan_portfolio()
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    remembered.remembered.clear()
    client.force_login(portfolio.owner)
    page = reverse("portfolios:detail", args=[portfolio.pk])
    assert page_text(client, page) == page_text(client, page)
    assert not remembered.remembered.values


def test_only_so_many_verdicts_are_kept(portfolio, monkeypatch):
    monkeypatch.setattr(remembered.remembered, "size", 3)
    for days in range(5):
        shown(portfolio, as_of=AS_OF + timedelta(days=days))
    assert len(remembered.remembered.values) == 3


def test_the_register_from_a_remembered_verdict_is_the_register_judged_again(client, portfolio):
    """A remembered register reads only the rows of its page: every sort, filter and page is
    the same as when all the rows are read and judged."""
    for n in range(60):
        PEActivityFactory(
            portfolio=portfolio,
            title=f"Activiteit {n % 7}",
            type=("course", "workshop", "book")[n % 3],
            date=date(2024, 1, 1) + timedelta(days=(n * 37) % 700),
        )
    client.force_login(portfolio.owner)
    url = reverse("portfolios:pe", args=[portfolio.pk])
    for sort in ("datum", "punten", "titel", "categorie"):
        for category in ("", "1", "2"):
            for number in ("1", "2"):
                query = {"sorteer": sort, "categorie": category, "pagina": number}
                remembered.remembered.clear()
                judged = PER_RESPONSE.sub("", client.get(url, query).content.decode())
                again = PER_RESPONSE.sub("", client.get(url, query).content.decode())
                assert again == judged, query


def test_remembered_rows_carry_the_form_token_of_each_request(portfolio):
    """The register's rows are remembered without the delete buttons' form token: each
    visitor's page holds their own, and a delete through a remembered row works."""
    from django.test import Client

    url = reverse("portfolios:pe", args=[portfolio.pk])
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for browser in browsers:
        browser.force_login(portfolio.owner)
        body = browser.get(url).content.decode()
        assert "\x00" not in body
        found = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
        assert found
        tokens.append(found)
    assert [key for key in remembered.remembered.values if key[-1][0] == "pe activity rows"]
    assert not tokens[0] & tokens[1]
    activity = portfolio.pe_activities.first()
    delete = reverse("portfolios:pe_delete", args=[portfolio.pk, activity.pk])
    body = browsers[1].get(url).content.decode()
    token = re.search(
        r'action="' + re.escape(delete) + r'"[^>]*><input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        body,
    ).group(1)
    response = browsers[1].post(delete, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert not PEActivity.objects.filter(pk=activity.pk).exists()
    assert activity.title not in browsers[0].get(url).content.decode()


def test_the_register_keeps_each_order_and_filters_it_as_sorting_the_filtered_entries():
    from portfolios.jobcoach.views import SORTS, _Entry, _Register

    entries = tuple(
        _Entry(
            pk=pk,
            index=pk,
            type="course",
            category=pk % 3 + 1,
            sort_date=None if pk % 5 == 0 else date(2024, 1, 1) + timedelta(days=pk % 4),
            title=("b", "A", "a")[pk % 3],
            points=Decimal(pk % 2),
            overlap=False,
            missing_evidence=False,
        )
        for pk in (9, 3, 12, 1, 7, 5, 10, 2)
    )
    register = _Register(
        evaluation=None, entries=entries, sources=frozenset(), typed=(), circle_meetings=frozenset()
    )
    for sort, key in SORTS.items():
        for category in ("", "1", "2", "3"):
            plain = [e for e in entries if not category or str(e.category) == category]
            assert register.in_order(sort, category) == sorted(plain, key=key), (sort, category)
        assert register.orders[sort] == tuple(sorted(entries, key=key))
    assert register.in_order("datum") is not register.in_order("datum")  # a list of its own


# --- the revision, kept by PostgreSQL's triggers (migration 0010) ------------------------------


def triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers"
            " WHERE trigger_name LIKE 'portfolio_note_%%'"
        )
        return {row[0] for row in cursor.fetchall()}


def test_the_triggers_are_on_exactly_the_tables_the_snapshots_read():
    named = set().union(
        *(remembered.tables_of(f.row_versions) for f in registry.frameworks() if f.row_versions)
    )
    assert named == triggered_tables()


def document_fields():
    """(framework's rows, document field) for every stored file a snapshot reads."""
    for framework in registry.frameworks():
        for rows in framework.row_versions:
            for name in rows.documents:
                yield pytest.param(framework.code, rows, name, id=f"{rows.model.__name__}.{name}")


def revision(portfolio) -> str:
    return remembered.revision(portfolio)


@pytest.mark.parametrize(("code", "rows", "name"), list(document_fields()))
def test_a_change_to_any_stored_file_a_snapshot_reads_is_a_new_revision(code, rows, name):
    make = complete_portfolio if code == "jobcoach-recertification" else complete_loopbaan_portfolio
    portfolio = make()
    model = rows.model
    if model is Portfolio:
        row = portfolio
    elif rows.via:
        row = model.objects.filter(**{f"{rows.via}__portfolio": portfolio}).first()
    else:
        row = model.objects.filter(portfolio=portfolio).first()
    if row is None:
        row = PEActivityFactory(portfolio=portfolio)
    document = DocumentFactory(owner=portfolio.owner)
    model.objects.filter(pk=row.pk).update(**{name: document})
    before = revision(portfolio)
    assert revision(portfolio) == before
    Document.objects.filter(pk=document.pk).update(original_name="anders.pdf")
    renamed = revision(portfolio)
    assert renamed != before
    model.objects.filter(pk=row.pk).update(**{name: None})
    Document.objects.filter(pk=document.pk).update(original_name="los.pdf")
    assert revision(portfolio) != renamed  # the unlinking; the file no longer counts after it
    unlinked = revision(portfolio)
    Document.objects.filter(pk=document.pk).update(original_name="nog-eens.pdf")
    assert revision(portfolio) == unlinked


def test_a_write_to_another_portfolio_leaves_the_revision(portfolio):
    before = revision(portfolio)
    other = complete_portfolio()
    PEActivity.objects.filter(portfolio=other).update(sbu=Decimal(3))
    other.delete()
    assert revision(portfolio) == before


def test_a_write_of_another_transaction_counts_once_it_is_committed(portfolio):
    """The revision is a digest of the changes this transaction sees: one that commits later,
    with a lower number than one already seen, still makes a new revision."""
    from django.db import connection as ours

    with ours.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM portfolio_change WHERE portfolio_id = %s", [portfolio.pk]
        )
        noted = cursor.fetchone()[0]
    assert noted > 0
    before = revision(portfolio)
    with ours.cursor() as cursor:  # as if another transaction's note had become visible
        cursor.execute(
            "INSERT INTO portfolio_change (id, portfolio_id) VALUES (0, %s)", [portfolio.pk]
        )
    assert revision(portfolio) != before


def test_pruning_keeps_the_last_change_per_portfolio(portfolio):
    other = complete_portfolio()
    shown(portfolio)
    prune_portfolio_changes()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT portfolio_id, count(*) FROM portfolio_change"
            " WHERE portfolio_id IN (%s, %s) GROUP BY portfolio_id",
            [portfolio.pk, other.pk],
        )
        assert dict(cursor.fetchall()) == {portfolio.pk: 1, other.pk: 1}
    pruned = revision(portfolio)
    assert shown(portfolio) == fresh(portfolio)
    PEActivityFactory(portfolio=portfolio)
    assert revision(portfolio) != pruned
    assert shown(portfolio) == fresh(portfolio)


def test_the_prune_runs_nightly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["portfolios-prune-portfolio-changes"]
    assert entry["task"] == "portfolios.tasks.prune_portfolio_changes"
    assert entry["schedule"] == 60 * 60 * 24


def test_the_revision_is_one_short_query_whatever_the_rows(portfolio, django_assert_num_queries):
    for _ in range(30):
        PEActivityFactory(portfolio=portfolio)
    with CaptureQueriesContext(connection) as read:
        remembered.key_of(portfolio, as_of=AS_OF)
    assert len(read.captured_queries) == 1
    assert "portfolio_change" in read.captured_queries[0]["sql"]


LOOPBAAN_CHILD_TABLES = {
    "portfolios_case",
    "portfolios_casetask",
    "portfolios_casetext",
    "portfolios_course",
}


def test_the_loopbaan_overview_reads_no_case_or_course_while_nothing_changes(client, judged):
    """Its verdict, the ids its links go to and what it writes from them are remembered: an
    unchanged draft's overview reads only the portfolio's own row (with its details)."""
    portfolio = complete_loopbaan_portfolio()
    client.force_login(portfolio.owner)
    page = reverse("portfolios:detail", args=[portfolio.pk])
    with CaptureQueriesContext(connection) as cold:
        first = page_text(client, page)
    with CaptureQueriesContext(connection) as warm:
        assert page_text(client, page) == first
    read = set().union(*(tables_in(query["sql"]) for query in warm.captured_queries))
    assert not read & LOOPBAAN_CHILD_TABLES
    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert len(judged) == 1
    # The cases page shows the overview's verdict and the case cards its matrix remembered: it
    # reads none of them either. Worked out anew, it is the same page.
    cases = reverse("portfolios:lp_cases", args=[portfolio.pk])
    with CaptureQueriesContext(connection) as other:
        first = page_text(client, cases)
    read = set().union(*(tables_in(query["sql"]) for query in other.captured_queries))
    assert not read & LOOPBAAN_CHILD_TABLES
    assert len(judged) == 1
    remembered.remembered.clear()
    with CaptureQueriesContext(connection) as anew:
        assert page_text(client, cases) == first
    read = set().union(*(tables_in(query["sql"]) for query in anew.captured_queries))
    assert read >= LOOPBAAN_CHILD_TABLES
    assert len(judged) == 2
