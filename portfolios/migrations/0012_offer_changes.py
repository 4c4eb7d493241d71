"""What the apps offer a person to take over into a portfolio (``portfolios.hooks``), kept by
PostgreSQL as a revision per person: a log of the people whose offered rows a write touched.

The apps that offer add triggers on their own tables that note, once per statement, the owners
whose offers the statement changed (assessments: PE statements and their PDFs; quality circles:
attendance and meetings): ``offer_change`` gains a row per owner. Rows are only ever added (and
pruned nightly), so a write takes no lock another writer waits for. On SQLite nothing is kept."""

from django.db import migrations

LOG = """
CREATE TABLE offer_change (
    id bigserial PRIMARY KEY,
    owner_id integer NOT NULL
);
CREATE INDEX offer_change_owner ON offer_change (owner_id, id);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LOG)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS offer_change")


class Migration(migrations.Migration):
    dependencies = [("portfolios", "0011_portfolio_state")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
