"""A log of the rows every write touched, kept by PostgreSQL's triggers, and the revision read
from it: what the circles' figures (``kwaliteitskringen.revisions``, migration 0007) and the
portfolios' verdicts (``portfolios.remembered``, migration 0010) are remembered under.

A statement-level trigger on each table the remembered work reads adds a row per owner (a
circle, a portfolio) whose rows the statement wrote. Rows are only added, so no writer waits for
another. The revision is a digest of the rows the reading transaction sees: a write another
transaction commits later counts as soon as it is seen, whatever its number. A nightly prune
keeps the last row per owner. On another database (SQLite) there is no log and no revision."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class ChangeLog:
    """The log ``table`` (columns ``id`` and ``column``, the owner's id), as a migration made it."""

    table: str
    column: str

    def digest_sql(self, owner: str) -> str:
        """The revision of ``owner``: ``%s`` for a value, or a column of the outer query."""
        # Names of the log's table and columns from the code; the owner a parameter or a column.
        return (
            "SELECT md5(coalesce(string_agg(change.id::text, ',' ORDER BY change.id), ''))"  # nosec B608
            f" FROM {self.table} change WHERE change.{self.column} = {owner}"
        )

    def revision(self, owner_pk: int) -> str | None:
        """The owner's revision as this transaction sees it; None where none is kept."""
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(self.digest_sql("%s"), [owner_pk])
            return cursor.fetchone()[0]

    def prune(self) -> int:
        """Keep the last change noted per owner; the rows before it only lengthen the
        revision's query. A revision read before the prune is not read again after it: what
        was remembered under it is worked out once more. Returns the rows removed."""
        if connection.vendor != "postgresql":
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {self.table} c USING ("  # nosec B608
                f" SELECT {self.column}, max(id) AS last FROM {self.table} GROUP BY {self.column}"
                f") kept WHERE c.{self.column} = kept.{self.column} AND c.id < kept.last"
            )
            return cursor.rowcount
