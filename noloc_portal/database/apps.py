from django.apps import AppConfig


def _compiled_loaders(sender, connection, **kwargs) -> None:
    # Imported on the first PostgreSQL connection: a run on SQLite never loads psycopg.
    if connection.vendor == "postgresql":
        from noloc_portal.database.loaders import use_compiled_loaders

        use_compiled_loaders(sender, connection, **kwargs)


class DatabaseConfig(AppConfig):
    name = "noloc_portal.database"
    label = "database"
    verbose_name = "Database"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        connection_created.connect(_compiled_loaders, dispatch_uid="database.compiled_loaders")
