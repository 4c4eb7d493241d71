"""PreparedQuery gives what evaluating the builder's queryset gives, with the SQL compiled once."""

import functools
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.sql.compiler import SQLCompiler

from assessments.models import Registration
from noloc_portal.accounts.models import RoleGrant, User
from noloc_portal.prepared import PreparedQuery, PreparedQueryError
from tests.factories import Role, user_with

pytestmark = pytest.mark.django_db


def registrations_of(owner: int, register: str, until: date):
    later = Registration.objects.filter(owner=OuterRef("owner"), valid_until__gt=until)
    return (
        Registration.objects.filter(owner_id=owner, register=register, valid_until__lte=until)
        .select_related("owner")
        .annotate(later_from=Subquery(later.values("valid_from")[:1]))
        .prefetch_related(Prefetch("owner__role_grants", queryset=RoleGrant.objects.order_by("pk")))
        .order_by("valid_until", "pk")
    )


PREPARED = PreparedQuery(registrations_of, owner=int, register=str, until=date)


def registration(owner, register: str, until: date) -> Registration:
    return Registration.objects.create(
        owner=owner, register=register, valid_from=until - timedelta(days=1460), valid_until=until
    )


def rows(instances) -> list[tuple]:
    return [
        (
            row.pk,
            row.owner.full_name,
            row.later_from,
            [grant.role for grant in row.owner.role_grants.all()],
        )
        for row in instances
    ]


@pytest.fixture
def people():
    first = user_with(Role.PROFESSIONAL, Role.ASSESSOR, full_name="Eerste Persoon")
    second = user_with(Role.PROFESSIONAL, full_name="Tweede Persoon")
    for owner in (first, second):
        for year in (2024, 2026, 2028, 2030):
            registration(owner, "jobcoach", date(year, 6, 30))
        registration(owner, "loopbaan", date(2027, 1, 31))
    return first, second


@pytest.mark.parametrize(
    "register, until",
    [
        ("jobcoach", date(2028, 6, 30)),
        ("loopbaan", date(2027, 12, 31)),
        ("jobcoach", date(2020, 1, 1)),
    ],
)
def test_the_same_instances_as_the_queryset(people, register, until):
    for person in people:
        values = {"owner": person.pk, "register": register, "until": until}
        assert rows(PREPARED(**values)) == rows(registrations_of(**values))


def test_values_change_between_calls_while_the_sql_is_compiled_once(people, monkeypatch, settings):
    settings.PREPARED_QUERIES_VERIFY = False  # the check compiles the ORM's SQL for comparison
    first, second = people
    PREPARED(owner=first.pk, register="jobcoach", until=date(2030, 6, 30))
    compiled = []
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    got = PREPARED(owner=second.pk, register="jobcoach", until=date(2026, 6, 30))
    assert [row.valid_until for row in got] == [date(2024, 6, 30), date(2026, 6, 30)]
    assert {row.owner_id for row in got} == {second.pk}
    # Only the prefetch of the role grants is compiled; the registrations' query is not.
    assert compiled == [RoleGrant]


def test_one_query_and_the_prefetch(people, django_assert_num_queries):
    PREPARED(owner=people[0].pk, register="jobcoach", until=date(2030, 6, 30))
    with django_assert_num_queries(2):
        PREPARED(owner=people[0].pk, register="jobcoach", until=date(2030, 6, 30))


def test_values_querysets():
    prepared = PreparedQuery(
        lambda role: (
            RoleGrant.objects.filter(role=role)
            .values("role")
            .annotate(people=Count("user"))
            .values_list("role", "people")
        ),
        role=str,
    )
    user_with(Role.ASSESSOR)
    user_with(Role.ASSESSOR, Role.PROFESSIONAL)
    assert prepared(role=Role.ASSESSOR) == [(Role.ASSESSOR, 2)]
    assert prepared(role=Role.SECRETARIAT) == []


def test_a_builder_that_computes_with_a_value_is_refused():
    prepared = PreparedQuery(
        lambda until: Registration.objects.filter(valid_until__lte=until + timedelta(days=1)),
        until=date,
    )
    with pytest.raises(PreparedQueryError, match="until"):
        prepared(until=date(2026, 1, 1))


def test_a_builder_that_drops_a_value_is_refused():
    prepared = PreparedQuery(lambda owner: User.objects.all(), owner=int)
    with pytest.raises(PreparedQueryError, match="owner"):
        prepared(owner=1)


def test_the_values_named_and_no_others():
    with pytest.raises(TypeError):
        PREPARED(owner=1, register="jobcoach")
    with pytest.raises(PreparedQueryError):
        PreparedQuery(registrations_of, owner=list)


def test_a_changed_dependency_compiles_again():
    state = {"register": "jobcoach"}
    prepared = PreparedQuery(
        lambda until: Registration.objects.filter(
            register=state["register"], valid_until__lte=until
        ),
        depends_on=lambda: state["register"],
        until=date,
    )
    owner = user_with(Role.PROFESSIONAL)
    jobcoach = registration(owner, "jobcoach", date(2026, 6, 30))
    loopbaan = registration(owner, "loopbaan", date(2026, 6, 30))
    assert prepared(until=date(2027, 1, 1)) == [jobcoach]
    state["register"] = "loopbaan"
    assert prepared(until=date(2027, 1, 1)) == [loopbaan]


@pytest.mark.parametrize("offset, limit", [(0, 3), (2, 3), (7, 5), (20, 5), (0, 0)])
def test_slices_and_counts_as_the_queryset(people, offset, limit):
    values = {"owner": people[0].pk, "register": "jobcoach", "until": date(2031, 1, 1)}
    queryset = registrations_of(**values)
    assert rows(PREPARED.rows(offset, limit, **values)) == rows(queryset[offset : offset + limit])
    assert PREPARED.count(**values) == queryset.count() == 4


def test_a_slice_goes_to_the_database_with_its_numbers_written_in(people):
    """As Django writes a slice: the plan the database keeps for the statement knows how many
    rows are asked for (given as parameters, PostgreSQL's generic plan sorted every row)."""
    values = {"owner": people[0].pk, "register": "jobcoach", "until": date(2031, 1, 1)}
    sent = []

    def keep(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        PREPARED.rows(2, 3, **values)
        PREPARED.rows(0, 3, **values)
    (first, first_params), (second, second_params) = [q for q in sent if "LIMIT" in q[0]]
    assert first.endswith(" LIMIT 3 OFFSET 2") and second.endswith(" LIMIT 3")
    assert first.removesuffix(" LIMIT 3 OFFSET 2") == second.removesuffix(" LIMIT 3")
    assert tuple(first_params) == tuple(second_params)
    assert 2 not in first_params and 3 not in first_params


def test_a_count_joins_nothing_its_select_related_would(people):
    values = {"owner": people[0].pk, "register": "jobcoach", "until": date(2031, 1, 1)}
    sent = []

    def keep(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        assert PREPARED.count(**values) == registrations_of(**values).count() == 4
    assert "COUNT" in sent[0] and "accounts_user" not in sent[0]


def test_a_paginator_pages_through_a_prepared_query(people, rf):
    from noloc_portal.lists import page_of

    values = {"owner": people[1].pk, "register": "jobcoach", "until": date(2031, 1, 1)}
    request = rf.get("/", {"pagina": "2"})
    page = page_of(request, PREPARED.pageable(**values), per_page=3)
    assert page.paginator.count == 4 and page.number == 2
    assert rows(page.object_list) == rows(registrations_of(**values)[3:])
    assert page.previous_url == "?pagina=1" and page.next_url is None


@pytest.mark.parametrize("offset, limit", [(0, 3), (2, 3), (3, 5), (4, 2), (20, 5)])
def test_a_slice_with_its_total_in_one_query(people, offset, limit, django_assert_num_queries):
    values = {"owner": people[0].pk, "register": "jobcoach", "until": date(2031, 1, 1)}
    queryset = registrations_of(**values)
    # The rows with their prefetch: one query, and one for the prefetched role grants.
    with django_assert_num_queries(2 if offset < 4 else 1):
        found, total = PREPARED.rows_and_total(offset, limit, **values)
    assert rows(found) == rows(queryset[offset : offset + limit])
    assert total == (4 if offset < 4 else None)
    assert all(not hasattr(row, "prepared_total") for row in found)


def test_a_slice_of_values_is_counted_by_another_query(people):
    as_values = PreparedQuery(
        lambda owner: registrations_of(owner, "jobcoach", date(2031, 1, 1)).values_list(
            "pk", "owner__full_name"
        ),
        owner=int,
    )
    as_dicts = PreparedQuery(
        lambda owner: registrations_of(owner, "jobcoach", date(2031, 1, 1)).values("pk"),
        owner=int,
    )
    counted = PreparedQuery(
        lambda owner: Registration.objects.filter(owner_id=owner, register="loopbaan"), owner=int
    )
    owner = people[1].pk
    expected = list(registrations_of(owner, "jobcoach", date(2031, 1, 1)).values_list("pk"))
    found, total = as_values.rows_and_total(1, 2, counted, owner=owner)
    assert found == [(pk, "Tweede Persoon") for (pk,) in expected[1:3]] and total == 1
    found, total = as_dicts.rows_and_total(0, 10, owner=owner)
    assert found == [{"pk": pk} for (pk,) in expected] and total == 4
    with pytest.raises(PreparedQueryError, match="same values"):
        as_values.rows_and_total(0, 2, PREPARED, owner=owner)


@pytest.mark.parametrize(
    "asked, number, rows_read",
    [
        (None, 1, slice(0, 3)),
        ("1", 1, slice(0, 3)),
        ("2", 2, slice(3, 4)),
        ("zes", 1, slice(0, 3)),
        (2.5, 1, slice(0, 3)),
        ("9", 2, slice(3, 4)),
        ("0", 2, slice(3, 4)),
        ("-1", 2, slice(3, 4)),
    ],
)
def test_a_page_is_read_with_its_count_as_the_paginator_gives_it(
    people, asked, number, rows_read, django_assert_num_queries
):
    """One query (and the prefetch) for a page that has rows; past the end or before the first,
    the paginator's way: the count, then the last page."""
    from django.core.paginator import Paginator

    from noloc_portal.lists import get_page

    values = {"owner": people[1].pk, "register": "jobcoach", "until": date(2031, 1, 1)}
    expected = Paginator(registrations_of(**values), 3).get_page(asked)
    # Past the end: the page read in vain, then as the paginator reads it; before the first:
    # as the paginator reads it.
    queries = {"9": 4, "0": 3, "-1": 3}.get(asked, 2)
    with django_assert_num_queries(queries):
        page = get_page(PREPARED.pageable(**values), 3, asked)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        expected.number,
        4,
        2,
    )
    assert page.number == number
    assert rows(page.object_list) == rows(registrations_of(**values)[rows_read])


def test_an_empty_list_has_one_empty_page(db):
    from noloc_portal.lists import get_page

    page = get_page(PREPARED.pageable(owner=1, register="jobcoach", until=date(2031, 1, 1)), 3, "1")
    assert (page.number, page.paginator.count, list(page)) == (1, 0, [])


def test_under_tests_every_call_is_compared_with_the_orm(people, settings):
    assert settings.PREPARED_QUERIES_VERIFY
    state = {"register": "jobcoach"}
    # A builder that reads something of the moment (here a dict, elsewhere today's date)
    # without naming it in depends_on: the SQL compiled at the first call goes stale.
    prepared = PreparedQuery(
        lambda owner: Registration.objects.filter(owner=owner, register=state["register"]),
        owner=int,
    )
    prepared(owner=people[0].pk)
    prepared.rows(1, 2, owner=people[0].pk)
    prepared.count(owner=people[0].pk)
    state["register"] = "loopbaan"
    for call in (prepared, functools.partial(prepared.rows, 0, 2), prepared.count):
        with pytest.raises(PreparedQueryError, match="differs"):
            call(owner=people[0].pk)


def test_small_and_typed_integer_columns():
    from kwaliteitskringen.models import CircleRules

    for year in (2020, 2024, 2026):
        CircleRules.objects.get_or_create(effective_year=year)
    prepared = PreparedQuery(
        lambda year, minimum: CircleRules.objects.filter(
            effective_year__lte=year, min_participants__gte=minimum
        ).order_by("-effective_year"),
        year=int,
        minimum=int,
    )
    for year in (2019, 2024, 2025, 2030):
        expected = list(
            CircleRules.objects.filter(effective_year__lte=year, min_participants__gte=1)
            .order_by("-effective_year")
            .values_list("effective_year", flat=True)
        )
        got = [rules.effective_year for rules in prepared(year=year, minimum=1)]
        assert got == expected


# PostgreSQL's backend types integer parameters by their column (Int2, Int4, Int8); on SQLite
# the ORM itself fails on an integer beyond 64 bits.
ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="integer column types come from PostgreSQL"
)


@ON_POSTGRESQL
@pytest.mark.parametrize("owner", [2**63, -(2**63) - 1, 10**20])
def test_an_id_beyond_the_column_is_no_row_as_in_the_orm(people, owner):
    values = {"owner": owner, "register": "jobcoach", "until": date(2031, 1, 1)}
    assert PREPARED(**values) == [] == list(registrations_of(**values))
    assert PREPARED.rows(0, 5, **values) == []
    assert PREPARED.count(**values) == 0


@ON_POSTGRESQL
def test_a_year_beyond_a_small_integer_column_as_in_the_orm():
    from kwaliteitskringen.models import CircleRules

    CircleRules.objects.get_or_create(effective_year=2024)
    prepared = PreparedQuery(
        lambda year: CircleRules.objects.filter(effective_year__lte=year), year=int
    )
    for year in (40_000, -40_000, 2**40):
        assert prepared(year=year) == list(CircleRules.objects.filter(effective_year__lte=year))


@ON_POSTGRESQL
def test_postgresql_prepares_a_query_once_it_has_run_five_times(people):
    """The settings bind values on the server (noloc_portal/settings/base.py), so PostgreSQL
    keeps a query that runs again and again parsed and planned on the connection."""
    until = date(2030, 1, 1)

    def prepared_here() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return {row[0] for row in cursor.fetchall()}

    before = prepared_here()
    for _ in range(5):
        PREPARED(owner=people[0].pk, register="jobcoach", until=until)
    assert not any('FROM "assessments_registration"' in sql for sql in prepared_here() - before)
    PREPARED(owner=people[0].pk, register="jobcoach", until=until)
    new = prepared_here() - before
    assert any('FROM "assessments_registration"' in statement for statement in new), new


def _fields(instance, names) -> tuple:
    return tuple(instance.__dict__.get(name, "deferred") for name in names)


def test_model_rows_are_made_without_a_queryset_and_as_the_orm_makes_them(people):
    """Rows of model instances are read straight from the cursor (``_Reader``): a related row
    that is missing (a left join's NULLs), columns left out with ``only()``, and columns Django
    adds to the select for a DISTINCT ordering come out as the ORM gives them."""
    first = people[0]
    renewed = Registration.objects.filter(owner=first, valid_until=date(2028, 6, 30)).get()
    renewed.previous = Registration.objects.get(owner=first, valid_until=date(2026, 6, 30))
    renewed.save()

    def builder(owner: int):
        return (
            Registration.objects.filter(owner__role_grants__user=owner)
            .select_related("previous", "owner")
            .only("register", "valid_until", "previous__valid_until", "owner__full_name")
            .distinct()
            .order_by("owner__email", "-valid_until", "pk")
        )

    prepared = PreparedQuery(builder, owner=int)
    got = prepared(owner=first.pk)
    compiled = prepared._compiled_for("rows")
    assert compiled.reader is not None and compiled.compiler.has_extra_select
    expected = list(builder(first.pk))
    names = ("id", "register", "valid_until", "owner_id", "previous_id", "valid_from")
    assert [_fields(row, names) for row in got] == [_fields(row, names) for row in expected]
    assert [
        (row.owner.full_name, row.previous and row.previous.valid_until, row._state.adding)
        for row in got
    ] == [
        (row.owner.full_name, row.previous and row.previous.valid_until, row._state.adding)
        for row in expected
    ]
    assert any(row.previous is None for row in got) and any(row.previous for row in got)
    assert {row._state.db for row in got} == {"default"}


@pytest.mark.parametrize(
    "shape",
    [
        lambda q: q.values("role", "user__full_name"),
        lambda q: q.values_list("role", "user__full_name"),
        lambda q: q.values_list("user__full_name", flat=True),
        lambda q: q.values_list("role", "user__full_name", named=True),
        lambda q: q.values("role").annotate(people=Count("user")).order_by("role"),
    ],
    ids=["values", "values_list", "flat", "named", "grouped"],
)
def test_values_in_every_shape_as_the_orm(people, shape):
    def builder(user: int):
        return shape(RoleGrant.objects.filter(user__pk__gte=user).order_by("role", "pk"))

    prepared = PreparedQuery(builder, user=int)
    assert prepared(user=people[0].pk) == list(builder(people[0].pk))
    assert prepared(user=people[1].pk) == list(builder(people[1].pk))


def test_named_rows_and_a_prefetch_on_values_go_the_orms_way():
    named = PreparedQuery(
        lambda role: RoleGrant.objects.filter(role=role).values_list("role", named=True),
        role=str,
    )
    user_with(Role.ASSESSOR)
    assert named(role=Role.ASSESSOR)[0].role == Role.ASSESSOR
    assert named._compiled_for("rows").reader is None
    assert PREPARED._compiled_for("rows").reader is not None
