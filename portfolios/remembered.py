"""Evaluations of drafts remembered per process, keyed by the versions of the rows they judged.

Every page of a draft shows the engine's verdict on the portfolio as it is now; judging a
portfolio of a thousand PE activities costs tens of milliseconds, most of a page. A verdict is
remembered under a key that holds the *version of every row the snapshot reads* (PostgreSQL gives
each row version the transaction that wrote it: the system column ``xmin``), the day it is judged
on and the language of its messages. Any write to one of those rows, by a service, the admin, a
``QuerySet.update`` or a cascade alike, makes a new row version and so a new key: a remembered
verdict is never shown for rows that changed since. Nothing has to invalidate it. A row version
is its ``xmin`` with its place (``ctid``): a transaction that writes a row twice gives both
versions its own ``xmin``, but each version a new place.

A framework opts in by naming the rows its snapshot reads (:class:`Rows`, the ``row_versions``
of its registration); a test checks that they cover every table its ``load`` reads. On another
database (SQLite, for ``make run``) nothing is remembered.

The versions are read *before* the rows: a write that commits in between is then judged under
the older key, which no later request asks for again. Read after the rows, the older rows could
be remembered under the newer key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils.translation import get_language

from noloc_portal.remembering import Remembered
from portfolios import registry

# Verdicts kept per process (the least recently used goes first). A verdict on a thousand
# activities takes about a megabyte; most portfolios take a few kilobytes.
REMEMBERED = 64


@dataclass(frozen=True)
class Rows:
    """Rows of ``model`` a framework's snapshot reads for one portfolio: the portfolio row
    itself, rows with a foreign key ``portfolio``, or (``via``) rows of such a row. ``documents``:
    its foreign keys to stored files whose rows the snapshot reads too (their names)."""

    model: type[Model]
    via: str = ""
    documents: Sequence[str] = ()

    def versions_sql(self) -> str:
        from portfolios.models import Portfolio

        meta = self.model._meta
        pk = f'r."{meta.pk.column}"'
        if self.model is Portfolio:
            joins, owner = "", pk
        elif self.via:
            parent = meta.get_field(self.via)
            parent_meta = parent.related_model._meta
            joins = (
                f' JOIN "{parent_meta.db_table}" v'
                f' ON v."{parent_meta.pk.column}" = r."{parent.column}"'
            )
            owner = f'v."{parent_meta.get_field("portfolio").column}"'
        else:
            joins, owner = "", f'r."{meta.get_field("portfolio").column}"'
        versions = [f"{pk}::text", "r.xmin::text", "r.ctid::text"]
        for n, name in enumerate(self.documents):
            document = meta.get_field(name)
            joins += (
                f' LEFT JOIN "{document.related_model._meta.db_table}" d{n}'
                f' ON d{n}."{document.related_model._meta.pk.column}" = r."{document.column}"'
            )
            versions.append(f"coalesce(d{n}.xmin::text || d{n}.ctid::text, '')")
        # Names of the models' own tables and columns; the portfolio goes as a parameter.
        return (
            f"SELECT string_agg(concat_ws(':', {', '.join(versions)}), ',' ORDER BY {pk})"  # nosec B608
            f' FROM "{meta.db_table}" r{joins} WHERE {owner} = %(portfolio)s'
        )


def versions_query(rows: Sequence[Rows]) -> str:
    """One query giving a digest of the versions of ``rows`` of the portfolio ``%(portfolio)s``."""
    parts = ", ".join(f"coalesce(({part.versions_sql()}), '')" for part in rows)
    return f"SELECT md5(concat_ws('|', {parts}))"


_queries: dict[str, str] = {}


def row_versions(portfolio) -> str | None:
    """A digest of the versions of every row the snapshot of ``portfolio`` reads; None when its
    framework names no rows or the database keeps no row versions."""
    rows = registry.get(portfolio.framework).row_versions
    if not rows or connection.vendor != "postgresql":
        return None
    query = _queries.get(portfolio.framework)
    if query is None:
        query = _queries[portfolio.framework] = versions_query(rows)
    with connection.cursor() as cursor:
        cursor.execute(query, {"portfolio": portfolio.pk})
        return cursor.fetchone()[0]


remembered = Remembered(REMEMBERED)


@dataclass(frozen=True)
class Key:
    """Where a verdict is remembered: read with :func:`key_of` before the rows it judges."""

    parts: tuple | None

    def judged(self, judge: Callable[[], Any], *, what: str = "evaluation"):
        """The verdict remembered under this key, else ``judge()`` (kept for the next time).
        ``what``: a page that keeps more than the evaluation of the same rows (what the engine
        found besides) names it."""
        if self.parts is None:
            return judge()
        key = (*self.parts, what)
        verdict = remembered.get(key)
        if verdict is None:
            verdict = judge()
            remembered.keep(key, verdict)
        return verdict

    def remembered(self, key: tuple, work_out: Callable[[], Any]):
        """``work_out()`` remembered beside the verdict (``{% remembered %}``: what a page
        writes from it and the same rows), under ``key`` as well."""
        return self.judged(work_out, what=key)


def key_of(portfolio, *, as_of: date) -> Key:
    """The key of the verdict on ``portfolio`` as it is now, judged on ``as_of`` in the active
    language (its messages are written in it)."""
    versions = row_versions(portfolio)
    if versions is None:
        return Key(None)
    return Key((portfolio.pk, portfolio.framework, versions, as_of, get_language()))
