from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "noloc_portal.audit"
    label = "audit"
    verbose_name = _("Beveiligingslog")

    def ready(self) -> None:
        from noloc_portal.audit import signals  # noqa: F401  (connects the receivers)
