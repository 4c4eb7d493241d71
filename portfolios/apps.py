from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PortfoliosConfig(AppConfig):
    name = "portfolios"
    verbose_name = _("Portfolio's")

    def import_models(self):
        # A framework package keeps its rows in its own models module, under this app's label.
        super().import_models()
        for package in settings.PORTFOLIO_FRAMEWORKS:
            if find_spec(f"{package}.models") is not None:
                import_module(f"{package}.models")

    def ready(self):
        from noloc_portal.documents.permissions import register_access_rule
        from portfolios import dossier, registry  # noqa: F401  (dossier registers its report)
        from portfolios.permissions import can_view_portfolio_document

        registry.load()
        register_access_rule(can_view_portfolio_document)
