from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PdfConfig(AppConfig):
    name = "noloc_portal.pdf"
    label = "pdf"
    verbose_name = _("PDF-rapporten")
