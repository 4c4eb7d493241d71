from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portfolios.frameworks import JOBCOACH, LOOPBAAN


class Framework(models.TextChoices):
    JOBCOACH = JOBCOACH, _("Register Jobcoach – hercertificering")
    LOOPBAAN = LOOPBAAN, _("Register Loopbaanprofessional – initiële certificering")


class PortfolioState(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend")
    IN_ASSESSMENT = "in_assessment", _("In beoordeling")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Aanvulling gevraagd")
    ADVISED = "advised", _("Advies uitgebracht")
    DECIDED = "decided", _("Besluit genomen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class Portfolio(models.Model):
    """A professional's portfolio for one certification (either framework)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="portfolios",
        verbose_name=_("eigenaar"),
    )
    framework = models.CharField(_("kader"), max_length=40, choices=Framework.choices)
    framework_version = models.CharField(_("versie van het kader"), max_length=20)
    state = models.CharField(
        _("status"), max_length=30, choices=PortfolioState.choices, default=PortfolioState.DRAFT
    )
    recertification_date = models.DateField(_("hercertificeringsdatum"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)

    class Meta:
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolio's")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_framework_display()} – {self.owner}"

    @property
    def is_editable(self) -> bool:
        return self.state == PortfolioState.DRAFT
