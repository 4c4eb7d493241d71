"""Each portfolio's revision, kept by PostgreSQL: a log of the portfolios every write touched.

A trigger on each table a framework's snapshot reads (the ``row_versions`` of its registration,
``portfolios.remembered``) notes, once per statement, the portfolios whose rows it wrote:
``portfolio_change`` gains a row per portfolio. A stored file's row counts for the portfolios
whose rows point at it. Rows are only ever added (and pruned nightly), so a write takes no lock
another writer waits for. On SQLite nothing is kept and nothing is remembered."""

from django.db import migrations

# How each table reaches its portfolio from the rows a statement wrote (``rows``).
PORTFOLIOS_OF = {
    "portfolios_portfolio": "SELECT id FROM rows",
    "portfolios_jobcoachdetails": "SELECT portfolio_id FROM rows",
    "portfolios_reflectionmeeting": "SELECT portfolio_id FROM rows",
    "portfolios_facilitatorconfirmation": (
        "SELECT m.portfolio_id FROM rows r"
        " JOIN portfolios_reflectionmeeting m ON m.id = r.meeting_id"
    ),
    "portfolios_peactivity": "SELECT portfolio_id FROM rows",
    "portfolios_loopbaandetails": "SELECT portfolio_id FROM rows",
    "portfolios_course": "SELECT portfolio_id FROM rows",
    "portfolios_case": "SELECT portfolio_id FROM rows",
    "portfolios_casetask": (
        "SELECT c.portfolio_id FROM rows r JOIN portfolios_case c ON c.id = r.case_id"
    ),
    "portfolios_casetext": (
        "SELECT c.portfolio_id FROM rows r JOIN portfolios_case c ON c.id = r.case_id"
    ),
}

# The stored files a snapshot reads, by the table and column that point at them and how that
# table reaches its portfolio.
DOCUMENTS_OF = (
    ("portfolios_portfolio", "cv_id", "id"),
    ("portfolios_jobcoachdetails", "a1_statement_id", "portfolio_id"),
    ("portfolios_reflectionmeeting", "statement_id", "portfolio_id"),
    ("portfolios_peactivity", "evidence_id", "portfolio_id"),
    ("portfolios_loopbaandetails", "diploma_id", "portfolio_id"),
    ("portfolios_loopbaandetails", "evc_report_id", "portfolio_id"),
    ("portfolios_loopbaandetails", "assessment_report_id", "portfolio_id"),
    ("portfolios_loopbaandetails", "experience_statement_id", "portfolio_id"),
    ("portfolios_loopbaandetails", "working_statement_id", "portfolio_id"),
    ("portfolios_course", "certificate_id", "portfolio_id"),
)

LOG = """
CREATE TABLE portfolio_change (
    id bigserial PRIMARY KEY,
    portfolio_id integer NOT NULL
);
CREATE INDEX portfolio_change_portfolio ON portfolio_change (portfolio_id, id);
"""


def _note(name: str, table: str, event: str, portfolios: str, referencing: str) -> str:
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO portfolio_change (portfolio_id)
    SELECT DISTINCT portfolio_id FROM ({portfolios}) AS touched (portfolio_id)
    WHERE portfolio_id IS NOT NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER {name} AFTER {event} ON {table}
    REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def _drop(name: str, table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"


def _statements() -> list[tuple[str, str]]:
    """(create, drop) per trigger."""
    made = []
    for table, portfolios in PORTFOLIOS_OF.items():
        short = table.removeprefix("portfolios_")
        for event, referencing, rows in (
            ("INSERT", "NEW TABLE AS rows", portfolios),
            ("DELETE", "OLD TABLE AS rows", portfolios),
            (
                "UPDATE",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                f"{portfolios.replace('rows', 'new_rows')} UNION "
                f"{portfolios.replace('rows', 'old_rows')}",
            ),
        ):
            name = f"portfolio_note_{short}_{event.lower()}"
            made.append((_note(name, table, event, rows, referencing), _drop(name, table)))
    # A stored file is written before any row points at it: its changes and its removal count.
    pointing = " UNION ".join(
        f"SELECT {portfolio} FROM {table} WHERE {column} IN (SELECT id FROM rows)"
        for table, column, portfolio in DOCUMENTS_OF
    )
    for event, referencing in (("UPDATE", "OLD TABLE AS rows"), ("DELETE", "OLD TABLE AS rows")):
        name = f"portfolio_note_document_{event.lower()}"
        made.append(
            (
                _note(name, "documents_document", event, pointing, referencing),
                _drop(name, "documents_document"),
            )
        )
    return made


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(LOG)
    for create_sql, _drop_sql in _statements():
        schema_editor.execute(create_sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _create, drop_sql in reversed(_statements()):
        schema_editor.execute(drop_sql)
    schema_editor.execute("DROP TABLE IF EXISTS portfolio_change")


class Migration(migrations.Migration):
    dependencies = [
        ("portfolios", "0009_portfolio_waiting_since"),
        ("documents", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
