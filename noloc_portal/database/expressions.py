"""Expressions whose SQL PostgreSQL plans better than the ORM's own."""

from __future__ import annotations

from django.db.models import (
    Aggregate,
    BooleanField,
    Func,
    IntegerField,
    QuerySet,
    Subquery,
    TextField,
)


class _Values(Subquery):
    # A subquery that can give no rows (``.none()``) makes the whole condition give none, as
    # ``__in`` does, rather than compare with NULL.
    empty_result_set_value = NotImplemented


class InArray(Func):
    """``value IN (subquery)`` written, on PostgreSQL, as ``value = ANY(ARRAY(subquery))``.

    For ``IN`` PostgreSQL weighs a hash join, and on a small table it takes it: the active
    assessors (22 grants) were found by reading all 2,058 users, 0.65 ms on every visit of the
    certification queue. ``ARRAY(...)`` is worked out once, before the rest (an InitPlan), and
    ``= ANY`` then reads the index of ``value``: 0.1 ms, the same rows. The subquery should
    give few values: they are held in memory as one array."""

    output_field = BooleanField()

    def __init__(self, value, queryset: QuerySet):
        super().__init__(value, _Values(queryset))

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="%(expressions)s", arg_joiner=" IN ", **extra_context
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="%(expressions)s)",
            arg_joiner=" = ANY(ARRAY",
            **extra_context,
        )


class JSONRows(Aggregate):
    """The values of an expression (a ``JSONArray`` of a row's columns, say) as the text of one
    JSON array, in no particular order: PostgreSQL's JSON_AGG, SQLite's JSON_GROUP_ARRAY. Read
    back with ``json.loads``, in C, where rows of their own cost a round trip and a conversion
    of each column in Python."""

    function = "JSON_AGG"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # As text: psycopg would decode JSON itself, and the ORM's JSONField again.
        return self.as_sql(
            compiler, connection, template="%(function)s(%(expressions)s)::text", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


class RowTotal(Subquery):
    """The number of rows of a queryset, as a value of another query (an uncorrelated one is
    worked out once, an InitPlan)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted_rows)"
    output_field = IntegerField()
