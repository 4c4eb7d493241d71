from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfoliosConfig(AppConfig):
    name = "portfolios"
    verbose_name = _("Portfolio's")

    def ready(self):
        # Registers the dossier report kind with noloc_portal.pdf.
        from portfolios import reports  # noqa: F401
