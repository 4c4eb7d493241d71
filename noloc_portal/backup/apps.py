from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    name = "noloc_portal.backup"
    label = "backup"
    verbose_name = _("Back-up")

    def ready(self) -> None:
        from django.core import serializers

        from noloc_portal.backup import serializer

        serializers.register_serializer(serializer.FORMAT_NAME, "noloc_portal.backup.serializer")
