from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KwaliteitskringenConfig(AppConfig):
    name = "kwaliteitskringen"
    verbose_name = _("Kwaliteitskringen")

    def ready(self) -> None:
        # Registers the annual-report PDF kind and the CV access rule.
        from kwaliteitskringen import reports  # noqa: F401
