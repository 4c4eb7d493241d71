"""Running the migrations to a step and back, for the tests of a data migration (on the real
database: PostgreSQL)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(target):
    """The schema at ``target`` (app, migration); returns the apps as they were then."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def schema_at(target):
    """For a fixture (``yield from schema_at(...)``): the apps at ``target``, and afterwards the
    latest schema again, as every other test expects it."""
    yield migrate(target)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
