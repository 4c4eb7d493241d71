from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfoliosConfig(AppConfig):
    name = "portfolios"
    verbose_name = _("Portfolio's")

    def ready(self):
        # Registers the dossier report kind with noloc_portal.pdf.
        from noloc_portal.documents.permissions import register_access_rule
        from portfolios import reports  # noqa: F401
        from portfolios.permissions import can_view_portfolio_document

        register_access_rule(can_view_portfolio_document)
