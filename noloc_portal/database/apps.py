from django.apps import AppConfig


class DatabaseConfig(AppConfig):
    name = "noloc_portal.database"
    label = "database"
    verbose_name = "Database"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from noloc_portal.database.loaders import use_compiled_loaders

        connection_created.connect(use_compiled_loaders, dispatch_uid="database.compiled_loaders")
