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


def note_triggers(log: ChangeLog, prefix: str, sources: dict[str, str]) -> list[tuple[str, str]]:
    """``(create, drop)`` SQL of the statement-level triggers that note, in ``log``, the owners
    whose rows each statement on a table of ``sources`` wrote: ``sources`` gives, per table, a
    query of the owners from the statement's rows (``rows``). An update notes the owners of the
    rows before and after it. For the migrations that keep a log."""
    made = []
    for table, owners in sources.items():
        for event, referencing, of_rows in (
            ("INSERT", "NEW TABLE AS rows", owners),
            ("DELETE", "OLD TABLE AS rows", owners),
            (
                "UPDATE",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                f"{owners.replace('rows', 'new_rows')} UNION {owners.replace('rows', 'old_rows')}",
            ),
        ):
            name = f"{prefix}_{table}_{event.lower()}"
            # Names and queries from the migrations' code, no values.
            create = "\n".join(
                (
                    f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$",
                    "BEGIN",
                    f"    INSERT INTO {log.table} ({log.column})",  # nosec B608
                    f"    SELECT DISTINCT owner FROM ({of_rows}) AS touched (owner)",  # nosec B608
                    "    WHERE owner IS NOT NULL;",
                    "    RETURN NULL;",
                    "END $$;",
                    f"CREATE TRIGGER {name} AFTER {event} ON {table}",
                    f"    REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}();",
                )
            )
            drop = f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"
            made.append((create, drop))
    return made


def note_on_change(
    log: ChangeLog, name: str, table: str, columns: tuple[str, ...], owners: str
) -> tuple[str, str]:
    """``(create, drop)`` SQL of a statement-level trigger on updates of ``table`` that notes,
    in ``log``, the owners ``owners`` finds from ``changed`` (the ids of the rows whose
    ``columns`` the statement changed). An update that changes none of them (a login, for a
    user) ends at the first query."""
    differs = " OR ".join(f"n.{column} IS DISTINCT FROM o.{column}" for column in columns)
    # Names and queries from the migrations' code, no values.
    create = "\n".join(
        (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$",
            "DECLARE",
            "    changed bigint[];",
            "BEGIN",
            "    SELECT array_agg(n.id) INTO changed",
            "    FROM new_rows n JOIN old_rows o ON o.id = n.id",
            f"    WHERE {differs};",
            "    IF changed IS NULL THEN",
            "        RETURN NULL;",
            "    END IF;",
            f"    INSERT INTO {log.table} ({log.column})",  # nosec B608
            f"    SELECT DISTINCT owner FROM ({owners}) AS touched (owner)",  # nosec B608
            "    WHERE owner IS NOT NULL;",
            "    RETURN NULL;",
            "END $$;",
            f"CREATE TRIGGER {name} AFTER UPDATE ON {table}",
            "    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            f"    FOR EACH STATEMENT EXECUTE FUNCTION {name}();",
        )
    )
    drop = f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"
    return create, drop


def note_operations(
    log: ChangeLog, prefix: str, sources: dict[str, str], *, more: tuple[tuple[str, str], ...] = ()
):
    """``(create, drop)`` for a migration's ``RunPython``: the triggers of
    :func:`note_triggers` and ``more`` ``(create, drop)`` SQL, on PostgreSQL only (elsewhere no
    log is kept)."""
    statements = [*note_triggers(log, prefix, sources), *more]

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for create_sql, _drop in statements:
                schema_editor.execute(create_sql)

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for _create, drop_sql in reversed(statements):
                schema_editor.execute(drop_sql)

    return create, drop
