from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KwaliteitskringenConfig(AppConfig):
    name = "kwaliteitskringen"
    verbose_name = _("Kwaliteitskringen")
