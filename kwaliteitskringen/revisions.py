"""A circle's figures remembered per process under the circle's revision.

The signal badge on every tab of the coordinator's dashboard and the hosting rotation on the
circle page are worked out from all current members, the year's meetings and their absences: at
200 members and 100 meetings, four queries and a third of the page. They change only when one of
those rows does, so they are remembered under the circle's *revision*.

PostgreSQL keeps the revision (migration 0007): a trigger on each table the figures read notes,
once per statement, the circles whose rows the statement wrote, in ``kk_circle_change`` (a row
per circle; rows are only added, so no writer waits for another). Any write, by a service, the
admin, a ``QuerySet.update``, a cascade or a bulk insert, adds a row within its own transaction;
the revision is a digest of the rows the reading transaction sees. Nothing has to invalidate
what is remembered, nothing can go stale. A user's new name or e-mail address counts as a write
to the circles that show it. The rule values of the year are part of the key.

The revision is read *before* the rows: a write that commits in between is then remembered
under the older key, which no later request asks for again.

``prune_changes`` (beat, nightly) keeps the last row per circle. On another database (SQLite,
for ``make run``) nothing is remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import CharField, Expression, Value
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language

from noloc_portal.change_log import ChangeLog
from noloc_portal.remembering import Remembered

# Circles' figures kept per process (the least recently used goes first), a few hundred
# kilobytes each for a circle of 200 members.
REMEMBERED = 128

TABLES = (
    "accounts_user",
    "kwaliteitskringen_attendance",
    "kwaliteitskringen_circle",
    "kwaliteitskringen_contribution",
    "kwaliteitskringen_meeting",
    "kwaliteitskringen_meetingregistration",
    "kwaliteitskringen_membership",
    "kwaliteitskringen_programme",
    "kwaliteitskringen_programmeitem",
    "kwaliteitskringen_renewalround",
    "kwaliteitskringen_signaldismissal",
    "kwaliteitskringen_subgroup",
    "kwaliteitskringen_subgroupmembership",
)
"""The tables whose writes change a circle's revision (a test holds them to the triggers)."""

CHANGES = ChangeLog("kk_circle_change", "circle_id")
# The revision of the circle row of the query it is a column of.
_REVISION_OF_ROW = CHANGES.digest_sql("kwaliteitskringen_circle.id")


def revision(circle_pk: int) -> str | None:
    """The circle's revision as this transaction sees it; None where none is kept."""
    return CHANGES.revision(circle_pk)


def revision_column() -> Expression:
    """The revision as a column of a query of circles (``.annotate(revision=...)``), read in
    the same statement as the circle; None on another database."""
    if connection.vendor != "postgresql":
        return Value(None, output_field=CharField())
    # A fixed text: the names of a table and its columns, no values.
    return RawSQL(_REVISION_OF_ROW, (), output_field=CharField())  # nosec B611


def prune_changes() -> int:
    """Keep the last change noted per circle (``ChangeLog.prune``); the circles' figures are
    worked out once more after it. Returns the rows removed."""
    return CHANGES.prune()


remembered = Remembered(REMEMBERED)


_UNREAD = object()


class Revision:
    """A circle's revision, read once for a request before the rows it shows: with the circle
    (:func:`revision_column`, ``value``), else in a query of its own."""

    __slots__ = ("circle_pk", "value")

    def __init__(self, circle_pk: int, value=_UNREAD) -> None:
        self.circle_pk = circle_pk
        self.value = revision(circle_pk) if value is _UNREAD else value

    @classmethod
    def of(cls, circle) -> Revision:
        """The revision ``circle`` was read with (annotated ``revision``), else read now."""
        return cls(circle.pk, getattr(circle, "revision", _UNREAD))

    def remembered(self, key: tuple, work_out: Callable[[], Any]):
        """``work_out()`` for the circle as it was at this revision, remembered under it,
        ``key`` (what else the result depends on) and the active language."""
        if self.value is None:
            return work_out()
        full_key = (self.circle_pk, self.value, get_language(), *key)
        value = remembered.get(full_key)
        if value is None:
            value = work_out()
            remembered.keep(full_key, value)
        return value


class RememberedRows:
    """A paginator's count and slices of ``rows`` (a ``Pageable``, a queryset), remembered at
    ``revision`` under ``key``. The rows are shared between requests: read them, do not change
    them."""

    def __init__(self, revision: Revision, key: tuple, rows) -> None:
        self.revision = revision
        self.key = key
        self.rows = rows

    def count(self) -> int:
        return self.revision.remembered((*self.key, "count"), self.rows.count)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("remembered rows are read in slices")
        return self.revision.remembered(
            (*self.key, index.start, index.stop), lambda: list(self.rows[index])
        )


def remembered_at(revision: Revision | None, key: tuple, work_out: Callable[[], Any]):
    """``revision.remembered(key, work_out)``; ``work_out()`` for a caller without a revision."""
    return work_out() if revision is None else revision.remembered(key, work_out)
