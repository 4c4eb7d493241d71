"""Querysets built and compiled once per process, run many times with other values.

On a short page most of the CPU goes into the ORM building and compiling the same querysets
again for every request: filters, annotations and subqueries are resolved, quoted and joined
into SQL, a millisecond for a list with a few correlated counts, while the database answers in a
tenth of that. :class:`PreparedQuery` runs a builder once with marker values in place of the
values that change (a user's id, a date), keeps the compiled SQL and the compiler that knows how
to turn its rows into model instances, and afterwards only puts the real values in::

    _own_portfolios = PreparedQuery(
        lambda owner: Portfolio.objects.filter(owner_id=owner).order_by("-created_at"),
        owner=int,
    )
    portfolios = _own_portfolios(owner=request.user.pk)  # a list, prefetches done

The result is the same list of instances (annotations, ``select_related`` and
``prefetch_related`` included) that evaluating the builder's queryset gives; the tests compare
them on every prepared query. What a builder may do with a marked value is narrow on purpose: pass
it to a filter or a subquery as it is. A value that the builder computes with, or a list for
``__in``, would be frozen into the SQL: compiling refuses a builder whose markers do not all
reach the parameters unchanged, so such a mistake fails at the first call, in the tests. For the
same reason a builder reads nothing of the moment (today's date, the language, a setting a test
overrides): everything but its values is fixed at the first call, or named in ``depends_on``."""

from __future__ import annotations

import copy
import datetime
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import QuerySet, prefetch_related_objects
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.sql.compiler import SQLCompiler

from noloc_portal.database.expressions import RowTotal

# The kinds of value a builder may take, with a marker per position: unlikely values of the
# right type, which the compiled parameters are searched for.
_MARKS: dict[type, Callable[[int], Any]] = {
    # Within the range of a small integer column: Django turns a filter with a value out of the
    # column's range into "no rows" before any SQL is written.
    int: lambda n: 32_000 + n,
    str: lambda n: f"\ue000prepared-{n}\ue000",
    datetime.date: lambda n: datetime.date(1111, 1, 1) + datetime.timedelta(days=n),
}


class PreparedQueryError(Exception):
    """A builder does something with a marked value that compiling once cannot keep."""


@dataclass(frozen=True)
class _Slot:
    """Where a parameter of the compiled SQL comes from: a fixed value, or a named value passed
    through the same adaptation the database backend gave the marker."""

    fixed: Any = None
    name: str | None = None
    adapt: Callable[[Any], Any] | None = None
    # For an integer: the values its column type can hold.
    limits: tuple[int, int] | None = None

    def holds(self, value: Any) -> bool:
        return self.limits is None or self.limits[0] <= value <= self.limits[1]


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: SQLCompiler
    sql: str
    slots: tuple[_Slot, ...]
    # Whether the SQL ends in a slice, written per call with its numbers (``sliced_sql``).
    sliced: bool = False
    shape: str | _Totalled = "rows"
    # The converters the rows go through (dates, JSON, decimals), per database connection:
    # Django works them out again for every column of every query it runs.
    converters: dict[int, tuple[Any, dict]] = field(default_factory=dict, compare=False)
    # How its rows are read and shaped, where Django's own way is not needed (:class:`_Reader`).
    reader: _Reader | None = None

    def converters_for(self, compiler: SQLCompiler, connection=None) -> dict:
        connection = connection or compiler.connection
        known = self.converters.get(id(connection))
        if known is None or known[0] is not connection:
            fields = [column[0] for column in compiler.select[: compiler.col_count]]
            own = copy.copy(compiler)
            own.connection = connection
            known = (connection, SQLCompiler.get_converters(own, fields))
            if len(self.converters) > 64:  # threads come and go: keep the table small
                self.converters.clear()
            self.converters[id(connection)] = known
        return known[1]

    def holds(self, values: dict[str, Any]) -> bool:
        """Whether the database can take the values as they are: an id beyond its column's range
        (from a URL) is no row for the ORM, and an error for the database."""
        return all(slot.limits is None or slot.holds(values[slot.name]) for slot in self.slots)

    def params(self, values: dict[str, Any]) -> tuple:
        return tuple(
            slot.fixed if slot.name is None else slot.adapt(values[slot.name])
            for slot in self.slots
        )

    def sql_for(self, values: dict[str, Any]) -> str:
        """The SQL; a slice with its numbers written in, as Django writes them, so that the plan
        PostgreSQL keeps for the prepared statement knows them (given as parameters, its generic
        plan would have to assume a tenth of the rows: at 1,000 queued portfolios it joined and
        sorted them all for a page of 25, 1.5 ms against 0.1). Each page number is a statement
        of its own; most visits read the first."""
        if not self.sliced:
            return self.sql
        offset, limit = int(values[_OFFSET]), int(values[_LIMIT])
        db = self.queryset.db
        return self.sql + connections[db].ops.limit_offset_sql(offset, offset + limit)


# A slice of a queryset is written into the SQL as numbers; these stand where they go.
_OFFSET_MARK = 7_340_011
_LIMIT_MARK = 7_340_023


def _adaptation(kind: type, param: Any, mark: Any, connection) -> Callable[[Any], Any] | None:
    """How the backend turned the marker into this parameter, to do the same with a value; None
    when the parameter is not the marker."""
    if kind is int:
        # PostgreSQL's backend wraps an integer in the type of its column (psycopg's Int2, Int4,
        # Int8: int subclasses); SQLite's passes it as it is.
        if isinstance(param, int) and not isinstance(param, bool) and int(param) == mark:
            return type(param)
        return None
    for adapt in _adaptations(kind, connection):
        if _same(param, adapt(mark)):
            return adapt
    return None


# What an integer column can hold, by the type PostgreSQL's backend gives its parameters; any
# other integer (SQLite) is a 64-bit integer.
_INTEGER_LIMITS = {"Int2": 16, "Int4": 32, "Int8": 64}


def _limits(kind: type, param: Any) -> tuple[int, int] | None:
    if kind is not int:
        return None
    bits = _INTEGER_LIMITS.get(type(param).__name__, 64)
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def _adaptations(kind: type, connection) -> list[Callable[[Any], Any]]:
    """The forms a value of ``kind`` may take among the parameters on this backend."""
    forms: list[Callable[[Any], Any]] = [lambda value: value]
    if kind is datetime.date:
        forms.append(connection.ops.adapt_datefield_value)
    return forms


class PreparedQuery:
    """``build(**values)`` returns a QuerySet; ``kinds`` names each value's type (int, str or
    datetime.date). Calling the prepared query with the values returns the evaluated list.

    ``depends_on``, when the builder reads something besides its values that may change while
    the process runs (the registered frameworks, in tests), returns a hashable summary of it: a
    new summary compiles again."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        depends_on: Callable[[], Hashable] | None = None,
        **kinds: type,
    ):
        unknown = {name: kind for name, kind in kinds.items() if kind not in _MARKS}
        if unknown:
            raise PreparedQueryError(f"unsupported value kinds: {unknown}")
        self.build = build
        self.kinds = kinds
        self.depends_on = depends_on
        self._compiled: dict[tuple, _Compiled] = {}
        self._model = None
        self._lock = threading.Lock()

    def queryset(self, **values) -> QuerySet:
        """The builder's queryset with the real values, compiled as usual (for tests and for
        callers that need a QuerySet, such as a paginator)."""
        return self.build(**values)

    def __call__(self, **values) -> list:
        """Every row, as evaluating the builder's queryset gives them."""
        self._checked(values)
        compiled = self._compiled_for(_ROWS)
        if not compiled.holds(values):
            return list(self.build(**values))
        return self._run(self._verified(compiled, values), values)

    def rows(self, offset: int, limit: int, **values) -> list:
        """The rows ``offset`` up to ``offset + limit``, as ``queryset[offset:offset + limit]``."""
        if limit <= 0:
            return []
        self._checked(values)
        compiled = self._compiled_for(_SLICE)
        if not compiled.holds(values):
            return list(self.build(**values)[max(offset, 0) : max(offset, 0) + limit])
        values = {**values, _OFFSET: max(offset, 0), _LIMIT: limit}
        return self._run(self._verified(compiled, values), values)

    def count(self, **values) -> int:
        """The number of rows, as ``queryset.count()``: like Django's count, without the ordering
        (unless a slice or DISTINCT ON needs it), which PostgreSQL would otherwise sort every row
        by only to count them."""
        self._checked(values)
        compiled = self._compiled_for(_COUNT)
        if not compiled.holds(values):
            return self.build(**values).count()
        compiled = self._verified(compiled, values)
        # The ORM's own compiled SQL with its placeholders; the values go as parameters.
        sql = f"SELECT COUNT(*) FROM ({compiled.sql}) prepared_count"  # nosec B608
        with connections[compiled.queryset.db].cursor() as cursor:
            cursor.execute(sql, compiled.params(values))
            return cursor.fetchone()[0]

    def rows_and_total(
        self, offset: int, limit: int, counted: PreparedQuery | None = None, **values
    ) -> tuple[list, int | None]:
        """:meth:`rows` and, in the same query, the number of rows of ``counted`` (a prepared
        query with the same values, or this one): None when the slice has no rows. The count
        is a column of every row, an uncorrelated subquery that PostgreSQL runs once."""
        if limit <= 0:
            raise ValueError("a slice with its total has at least one row")
        self._checked(values)
        shape = _Totalled(counted or self)
        if shape.counted.kinds != self.kinds:
            raise PreparedQueryError("a query is counted by one that takes the same values")
        compiled = self._compiled_for(shape)
        offset = max(offset, 0)
        if compiled.holds(values):
            values = {**values, _OFFSET: offset, _LIMIT: limit}
            rows = self._run(self._verified(compiled, values), values)
        else:
            rows = list(shape.apply(self.build(**values), values)[offset : offset + limit])
        return _without_total(rows)

    def pageable(self, **values) -> Pageable:
        """The rows for a paginator (django.core.paginator.Paginator, noloc_portal.lists.page_of):
        it counts them and asks for one slice, each in a precompiled query."""
        return Pageable(self, self._checked(values))

    def _checked(self, values: dict[str, Any]) -> dict[str, Any]:
        if values.keys() != self.kinds.keys():
            raise TypeError(f"expected values for {sorted(self.kinds)}, got {sorted(values)}")
        return values

    def _verified(self, compiled: _Compiled, values: dict[str, Any]) -> _Compiled:
        """With ``settings.PREPARED_QUERIES_VERIFY`` (the test settings): refuse a call whose SQL
        and parameters differ from what the ORM compiles from the builder with the real values,
        so every test that reaches a prepared query checks it."""
        if not getattr(settings, "PREPARED_QUERIES_VERIFY", False):
            return compiled
        db = compiled.queryset.db
        queryset = self.build(**{name: values[name] for name in self.kinds}).using(db)
        queryset = _shaped(queryset, compiled.shape, values)
        ours_sql, ours_params = compiled.sql_for(values), compiled.params(values)
        if compiled.sliced:
            offset, limit = values[_OFFSET], values[_LIMIT]
            queryset = queryset[offset : offset + limit]
        sql, params = queryset.query.get_compiler(db).as_sql()
        if (sql, tuple(params)) != (ours_sql, ours_params):
            raise PreparedQueryError(
                f"prepared SQL differs from the ORM's for {values}:\n"
                f"prepared: {ours_sql} {ours_params}\nORM:      {sql} {tuple(params)}"
            )
        return compiled

    def _run(self, compiled: _Compiled, values: dict[str, Any]) -> list:
        params = compiled.params(values)
        sql = compiled.sql_for(values)
        if compiled.reader is not None:
            return compiled.reader.read(compiled, sql, params)
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connections[compiled.queryset.db]
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        converters = compiled.converters_for(compiler)
        compiler.get_converters = lambda expressions: converters
        queryset = compiled.queryset._chain()
        # Only this private clone sees the compiler; it never leaves this method.
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        queryset._fetch_all()
        return queryset._result_cache

    def _alias(self) -> str:
        if self._model is None:
            self._model = self._marked()[0].model
        return router.db_for_read(self._model)

    def _marked(self) -> tuple[QuerySet, dict[str, Any]]:
        marks = {name: _MARKS[kind](n) for n, (name, kind) in enumerate(sorted(self.kinds.items()))}
        return self.build(**marks), marks

    def _compiled_for(self, shape: str | _Totalled) -> _Compiled:
        alias = self._alias()
        key = (alias, shape, self.depends_on() if self.depends_on else None)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(alias, shape)
                self._compiled[key] = compiled
        return compiled

    def _compile(self, alias: str, shape: str | _Totalled) -> _Compiled:
        queryset, marks = self._marked()
        queryset = _shaped(queryset.using(alias), shape, marks)
        sliced = shape == _SLICE or isinstance(shape, _Totalled)
        if sliced:
            queryset = queryset[_OFFSET_MARK : _OFFSET_MARK + _LIMIT_MARK]
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        connection = connections[alias]
        slots = []
        found: set[str] = set()
        for param in params:
            slot = _Slot(fixed=param)
            for name, mark in marks.items():
                adapt = _adaptation(self.kinds[name], param, mark, connection)
                if adapt is not None:
                    slot = _Slot(name=name, adapt=adapt, limits=_limits(self.kinds[name], param))
                    found.add(name)
                    break
            slots.append(slot)
        missing = set(marks) - found
        if missing:
            raise PreparedQueryError(
                f"the builder changed or dropped {sorted(missing)} before it reached the SQL"
            )
        if sliced:
            sql = _unsliced(sql, connections[alias])
        return _Compiled(
            queryset=queryset,
            compiler=compiler,
            sql=sql,
            slots=tuple(slots),
            sliced=sliced,
            shape=shape,
            reader=_Reader.of(queryset, compiler) if shape != _COUNT else None,
        )


class _Reader:
    """The rows of a compiled query read straight from the cursor and shaped as the queryset's
    iterable shapes them, with everything that does not change between calls worked out once:
    the converters, and for model instances the columns of each model and the related objects'
    populators.

    - Model instances as Django's ``ModelIterable`` makes them (the model's fields,
      ``select_related`` objects, annotations), then ``prefetch_related`` as
      ``QuerySet._fetch_all`` does it.
    - ``values()`` as a dict per row, ``values_list()`` as a tuple, ``flat=True`` as the value.

    Django's way costs a clone of the queryset and of its query, a compiler, and the work its
    iterable and ``results_iter`` do before the first row: 270 µs of a prepared query of a
    portfolio with its owner, against 80 µs for running the SQL and reading the rows. Anything
    else (named tuples, composite keys, a related manager's known objects, a prefetch on values)
    goes Django's way."""

    def __init__(self, queryset: QuerySet, compiler: SQLCompiler, shape: type):
        self.shape = shape
        # Columns beyond the select (an ordering Django adds to it) are cut off, as it does.
        self.columns = compiler.col_count if compiler.has_extra_select else None
        self.prefetch = tuple(queryset._prefetch_related_lookups)
        if shape is ValuesIterable:
            query = queryset.query
            self.names = (
                list(query.selected)
                if query.selected
                else [*query.extra_select, *query.values_select, *query.annotation_select]
            )
        if shape is ModelIterable:
            select, klass_info = compiler.select, compiler.klass_info
            fields = klass_info["select_fields"]
            self.start, self.end = fields[0], fields[-1] + 1
            self.model = klass_info["model"]
            self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
            self.annotations = tuple(compiler.annotation_col_map.items())
            self.populators = get_related_populators(klass_info, select, queryset.db)

    @classmethod
    def of(cls, queryset: QuerySet, compiler: SQLCompiler) -> _Reader | None:
        shape = queryset._iterable_class
        if (
            shape not in _READ_HERE
            or queryset._known_related_objects
            or (shape is ModelIterable and compiler.klass_info is None)
            or (shape is not ModelIterable and queryset._prefetch_related_lookups)
            or compiler.has_composite_fields(
                [column[0] for column in compiler.select[: compiler.col_count]]
            )
        ):
            return None
        return cls(queryset, compiler, shape)

    def read(self, compiled: _Compiled, sql: str, params: tuple) -> list:
        db = compiled.queryset.db
        connection = connections[db]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if self.columns is not None:
            rows = [row[: self.columns] for row in rows]
        converters = compiled.converters_for(compiled.compiler, connection)
        if converters:
            rows = list(_converted(rows, converters, connection))
        shape = self.shape
        if shape is ModelIterable:
            return self._instances(rows, db)
        if shape is ValuesIterable:
            names = self.names
            return [dict(zip(names, row, strict=True)) for row in rows]
        if shape is FlatValuesListIterable:
            return [row[0] for row in rows]
        return [tuple(row) for row in rows]

    def _instances(self, rows, db: str) -> list:
        start, end, model, init_list = self.start, self.end, self.model, self.init_list
        instances = []
        for row in rows:
            instance = model.from_db(db, init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        if self.prefetch and instances:
            prefetch_related_objects(instances, *self.prefetch)
        return instances


_READ_HERE = (ModelIterable, ValuesIterable, ValuesListIterable, FlatValuesListIterable)


def _converted(rows, converters: dict, connection):
    """Each row as a list with its columns converted, as ``SQLCompiler.apply_converters``."""
    converters = list(converters.items())
    for row in map(list, rows):
        for position, (functions, expression) in converters:
            value = row[position]
            for convert in functions:
                value = convert(value, expression, connection)
            row[position] = value
        yield row


# What a call reads: every row, a slice of them, or their number.
_ROWS, _SLICE, _COUNT = "rows", "slice", "count"


# The column a totalled slice carries its count in (:meth:`PreparedQuery.rows_and_total`).
_TOTAL = "prepared_total"


@dataclass(frozen=True)
class _Totalled:
    """A slice read with the number of rows of ``counted`` (built with the same values)."""

    counted: PreparedQuery

    def apply(self, queryset: QuerySet, values: dict[str, Any]) -> QuerySet:
        counted = self.counted.build(**{name: values[name] for name in self.counted.kinds})
        # As a count: no ordering, and no row the select_related would join.
        return queryset.annotate(**{_TOTAL: RowTotal(counted.order_by().values("pk"))})


def _without_total(rows: list) -> tuple[list, int | None]:
    """The rows of a totalled slice without the total, and the total."""
    if not rows:
        return rows, None
    first = rows[0]
    if isinstance(first, tuple):
        return [row[:-1] for row in rows], first[-1]
    if isinstance(first, dict):
        total = first[_TOTAL]
        for row in rows:
            del row[_TOTAL]
        return rows, total
    total = getattr(first, _TOTAL)
    for row in rows:
        delattr(row, _TOTAL)
    return rows, total


def _shaped(queryset: QuerySet, shape: str | _Totalled, values: dict[str, Any]) -> QuerySet:
    if isinstance(shape, _Totalled):
        return shape.apply(queryset, values)
    if shape != _COUNT:
        return queryset
    queryset = queryset._chain()
    # As Django's count: the ordering goes, unless a slice or DISTINCT ON needs it.
    queryset.query.clear_ordering(force=False, clear_default=True)
    # The rows a select_related joins in count nothing: each row has at most one, and an inner
    # join is only made where it has one (a required foreign key). Joined, PostgreSQL read every
    # owner of the certification queue to count it (1 ms at 1,000 portfolios).
    queryset.query.select_related = False
    return queryset


_OFFSET = "\ue000offset"
_LIMIT = "\ue000limit"


def _unsliced(sql: str, connection) -> str:
    """The SQL without the slice the backend wrote at its end (``_Compiled.sql_for`` writes it
    again with the numbers of each call)."""
    text = connection.ops.limit_offset_sql(_OFFSET_MARK, _OFFSET_MARK + _LIMIT_MARK)
    if sql.count(text) != 1 or not sql.rstrip().endswith(text):
        raise PreparedQueryError(f"cannot find the slice {text!r} at the end of the SQL")
    return sql[: sql.rindex(text)]


class Pageable:
    """A prepared query's rows with their values, counted and sliced as a paginator asks.
    ``counted``: another prepared query with the same values that counts the same rows more
    cheaply (the rows as values of joined tables, counted over the first table alone)."""

    def __init__(
        self,
        prepared: PreparedQuery,
        values: dict[str, Any],
        *,
        counted: PreparedQuery | None = None,
    ):
        self.prepared = prepared
        self.counted = counted or prepared
        self.values = values
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.counted.count(**self.values)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def page(self, number: int, size: int) -> list | None:
        """The rows of page ``number`` (from 1) of ``size`` rows, read with their count in one
        query; None when that page has no rows (the count is then not known)."""
        rows, total = self.prepared.rows_and_total(
            (number - 1) * size, size, self.counted, **self.values
        )
        if total is None:
            return None
        self._count = total
        return rows

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("a prepared query's rows are read in slices")
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        return self.prepared.rows(start, stop - start, **self.values)


def _same(param: Any, mark: Any) -> bool:
    return type(param) is type(mark) and param == mark
