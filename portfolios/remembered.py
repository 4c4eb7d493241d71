"""Evaluations of drafts remembered per process, keyed by the portfolio's revision.

Every page of a draft shows the engine's verdict on the portfolio as it is now; judging a
portfolio of a thousand PE activities costs tens of milliseconds, most of a page. A verdict is
remembered under the portfolio's *revision*, the day it is judged on and the language of its
messages.

PostgreSQL keeps the revision (migration 0010): a trigger on each table a snapshot reads notes,
once per statement, the portfolios whose rows the statement wrote, in ``portfolio_change`` (a row
per portfolio; rows are only added, so no writer waits for another). A stored file's row counts
for the portfolios whose rows point at it. Any write, by a service, the admin, a
``QuerySet.update``, a cascade or a bulk insert, adds a row within its own transaction; the
revision is a digest of the rows the reading transaction sees, so a write that another
transaction has not yet committed is not in it and is seen as soon as it is. Nothing has to
invalidate a verdict, and nothing can go stale. Reading it costs one short query however many
rows the portfolio has (before, the versions of all of them: 1,750 rows for a thousand
activities).

A framework opts in by naming the rows its snapshot reads (:class:`Rows`, the ``row_versions``
of its registration); tests hold the names to every table its ``load`` reads and to the
triggers. On another database (SQLite, for ``make run``) nothing is remembered.

The revision is read *before* the rows: a write that commits in between is then judged under
the older key, which no later request asks for again. Read after the rows, the older rows could
be remembered under the newer key. ``prune_changes`` (beat, nightly) keeps the last row per
portfolio.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import CharField, Expression, Model, Value
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language

from noloc_portal.change_log import ChangeLog
from noloc_portal.remembering import Remembered
from portfolios import hooks, registry

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

    def tables(self) -> set[str]:
        """The tables of these rows: the model's and its stored files'."""
        meta = self.model._meta
        return {meta.db_table} | {
            meta.get_field(name).related_model._meta.db_table for name in self.documents
        }


def tables_of(rows: Sequence[Rows]) -> set[str]:
    return set().union(*(part.tables() for part in rows))


CHANGES = ChangeLog("portfolio_change", "portfolio_id")


def revision(portfolio) -> str | None:
    """The portfolio's revision as this transaction sees it; None when its framework names no
    rows or the database keeps no revisions."""
    if not registry.get(portfolio.framework).row_versions:
        return None
    return CHANGES.revision(portfolio.pk)


def prune_changes() -> int:
    """Keep the last change noted per portfolio (``ChangeLog.prune``); the verdicts are judged
    once more after it. Returns the rows removed."""
    return CHANGES.prune()


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


def revision_columns() -> dict[str, Expression]:
    """The portfolio's revision and its owner's offer revision (``hooks.offers_revision``) as
    columns of a query of portfolios (``.annotate(**revision_columns())``), read in the same
    statement as the row, rather than in a query each. Only for a page that writes nothing: a
    verdict worked out after a write in the same request would be remembered under the revision
    read before it. None on another database."""
    if connection.vendor != "postgresql":
        unread = Value(None, output_field=CharField())
        return {"read_revision": unread, "read_offers_revision": unread}
    # Fixed texts: the names of the logs' tables and columns and of the portfolio's, no values.
    return {
        "read_revision": RawSQL(  # nosec B611
            CHANGES.digest_sql('"portfolios_portfolio"."id"'), (), output_field=CharField()
        ),
        "read_offers_revision": RawSQL(  # nosec B611
            hooks.OFFER_CHANGES.digest_sql('"portfolios_portfolio"."owner_id"'),
            (),
            output_field=CharField(),
        ),
    }


def key_of(portfolio, *, as_of: date, read: bool = False) -> Key:
    """The key of the verdict on ``portfolio`` as it is now, judged on ``as_of`` in the active
    language (its messages are written in it). ``read``: the portfolio was read with
    :func:`revision_columns`, whose revision is taken rather than read again."""
    if not read:
        current = revision(portfolio)
    elif registry.get(portfolio.framework).row_versions:
        current = portfolio.read_revision
    else:
        current = None
    if current is None:
        return Key(None)
    return Key((portfolio.pk, portfolio.framework, current, as_of, get_language()))
