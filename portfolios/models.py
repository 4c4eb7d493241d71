from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portfolios import registry


class PortfolioState(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend")
    IN_ASSESSMENT = "in_assessment", _("In beoordeling")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Aanvulling gevraagd")
    ADVISED = "advised", _("Advies uitgebracht")
    DECIDED = "decided", _("Besluit genomen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


def document_field(verbose_name):
    return models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class Portfolio(models.Model):
    """A professional's portfolio for one certification. The Jobcoach sections (A1–A4, C) are
    fields here; the repeating parts (meetings, PE activities) are rows of their own."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="portfolios",
        verbose_name=_("eigenaar"),
    )
    framework = models.CharField(_("kader"), max_length=40, choices=registry.framework_choices)
    framework_version = models.CharField(_("versie van het kader"), max_length=20)
    state = models.CharField(
        _("status"), max_length=30, choices=PortfolioState.choices, default=PortfolioState.DRAFT
    )
    recertification_date = models.DateField(_("hercertificeringsdatum"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)

    # JC-A1
    cv = document_field(_("cv"))
    a1_statement_signed = models.BooleanField(
        _("verklaring werkzaam als uitvoerend jobcoach ondertekend"), default=False
    )
    a1_statement = document_field(_("verklaring werkzaam als uitvoerend jobcoach"))
    # JC-A2
    a2_report = models.TextField(_("terugblik op het vorige ontwikkelplan"), blank=True)
    # JC-A3.2
    report_meeting = models.ForeignKey(
        "ReflectionMeeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bijeenkomst van het reflectieverslag"),
    )
    report_situation = models.TextField(_("de situatie en je rol"), blank=True)
    report_motivation = models.TextField(_("waarom deze situatie"), blank=True)
    report_insights = models.TextField(_("inzichten"), blank=True)
    report_consequences = models.TextField(_("betekenis voor je handelen"), blank=True)
    # JC-A4
    plan_present = models.TextField(_("heden"), blank=True)
    plan_past = models.TextField(_("verleden"), blank=True)
    plan_future = models.TextField(_("toekomst"), blank=True)
    # JC-C
    declares_code_of_conduct = models.BooleanField(
        _("verklaart de gedragscode te kennen en ernaar te werken"), default=False
    )
    declares_complaints_regulation = models.BooleanField(
        _("verklaart de klachtenregeling te kennen"), default=False
    )

    class Meta:
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolio's")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_framework_display()} – {self.owner}"

    @property
    def is_editable(self) -> bool:
        return self.state == PortfolioState.DRAFT


class AuditEvent(models.Model):
    """What happened to a portfolio, by whom (workflow.md: every transition is recorded)."""

    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.CASCADE, related_name="events", verbose_name=_("portfolio")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    action = models.CharField(_("actie"), max_length=50)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.action} ({self.at:%Y-%m-%d %H:%M})"


class Submission(models.Model):
    """A frozen snapshot: the engine's input (the exchange document) and output at submit."""

    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("portfolio")
    )
    number = models.PositiveSmallIntegerField(_("volgnummer"))
    submitted_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    document = models.JSONField(_("portfolio (noloc-portfolio/1)"))
    evaluation = models.JSONField(_("toetsing"))

    class Meta:
        verbose_name = _("indiening")
        verbose_name_plural = _("indieningen")
        ordering = ["portfolio", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "number"], name="unique_submission_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.portfolio} – indiening {self.number}"


# --- Register Loopbaanprofessional, initial certification (LP-A … LP-E) ------------------------
# The Portfolio row keeps what both frameworks share (owner, state, framework version, the cv and
# the code-of-conduct and complaints declarations); everything else of an LP portfolio lives on
# the rows below, so Jobcoach rows stay lean.
