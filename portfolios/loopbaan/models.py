"""Register Loopbaanprofessional rows of a portfolio: education, experience, courses and cases."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from noloc_portal.loading import FastLoading
from portfolios.models import Portfolio, document_field


class EducationRoute(models.IntegerChoices):
    DIPLOMA_FIELD = 1, _("Route 1: hbo- of wo-diploma op het gebied van mens en organisatie")
    DIPLOMA_OTHER = 2, _("Route 2: ander hbo- of wo-diploma met loopbaancursussen")
    EVC = 3, _("Route 3: EVC-procedure op hbo-niveau met loopbaancursussen")
    ASSESSMENT = 4, _("Route 4: assessment op hbo-niveau met loopbaancursussen")


class DiplomaLevel(models.TextChoices):
    HBO = "hbo", _("hbo (NLQF 6)")
    WO = "wo", _("wo (NLQF 7)")


class LoopbaanDetails(models.Model):
    """The single-valued sections of a Loopbaanprofessional portfolio (LP-A, LP-B, LP-C, LP-D,
    LP-E). Documents of routes that are not chosen are kept but not judged."""

    portfolio = models.OneToOneField(
        Portfolio, on_delete=models.CASCADE, related_name="loopbaan", verbose_name=_("portfolio")
    )
    # LP-A
    route = models.PositiveSmallIntegerField(
        _("opleidingsroute"), choices=EducationRoute.choices, null=True, blank=True
    )
    diploma_level = models.CharField(
        _("niveau van het diploma"), max_length=20, choices=DiplomaLevel.choices, blank=True
    )
    diploma_field_mens_en_organisatie = models.BooleanField(
        _("opleiding op het gebied van mens en organisatie"), default=False
    )
    diploma_croho = models.CharField(_("CROHO-code"), max_length=20, blank=True)
    diploma_signed = models.BooleanField(_("diploma ondertekend door de instelling"), default=False)
    diploma_nvao_accredited = models.BooleanField(
        _("instelling NVAO-geaccrediteerd"), default=False
    )
    diploma = document_field(_("diploma"))
    evc_date = models.DateField(_("datum EVC-rapportage"), null=True, blank=True)
    evc_level = models.PositiveSmallIntegerField(_("niveau EVC-rapportage"), null=True, blank=True)
    evc_provider_recognised = models.BooleanField(_("erkende EVC-aanbieder"), default=False)
    evc_report = document_field(_("EVC-rapportage"))
    assessment_date = models.DateField(_("datum assessmentrapport"), null=True, blank=True)
    assessment_level = models.PositiveSmallIntegerField(
        _("niveau assessmentrapport"), null=True, blank=True
    )
    assessment_provider_recognised = models.BooleanField(
        _("geaccrediteerd bureau of NIP-psycholoog"), default=False
    )
    assessment_report = document_field(_("assessmentrapport"))
    # LP-B1
    experience_years = models.DecimalField(
        _("jaren actief in het vakgebied"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    experience_hours = models.DecimalField(
        _("uren werkervaring"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    experience_statement_signed = models.BooleanField(
        _("verklaring werkervaring volledig en ondertekend"), default=False
    )
    experience_statement = document_field(_("verklaring werkervaring"))
    working_statement_signed = models.BooleanField(
        _("verklaring huidige werkzaamheid volledig en ondertekend"), default=False
    )
    working_statement = document_field(_("verklaring huidige werkzaamheid"))
    # LP-B2 (the cv is Portfolio.cv)
    motivation = models.TextField(_("motivatie"), blank=True)
    # LP-C
    diversity = models.TextField(_("verschil tussen de casussen"), blank=True)
    # LP-D
    development_plan = models.TextField(_("ontwikkelplan"), blank=True)
    # LP-E (code of conduct and complaints regulation are on Portfolio)
    declares_truthful = models.BooleanField(
        _("verklaart het portfolio naar waarheid te hebben ingevuld"), default=False
    )

    class Meta:
        verbose_name = _("gegevens loopbaanprofessional")
        verbose_name_plural = _("gegevens loopbaanprofessionals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(route__isnull=True) | models.Q(route__gte=1, route__lte=4),
                name="lp_route_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return str(self.portfolio)


class Course(models.Model):
    """LP-A routes 2-4: a course or training with its certificate (the 98 hours)."""

    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.CASCADE, related_name="courses", verbose_name=_("portfolio")
    )
    title = models.CharField(_("titel"), max_length=300, blank=True)
    hours = models.DecimalField(
        _("studie-uren"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    quality_mark = models.BooleanField(_("cursus heeft een keurmerk"), default=False)
    signed = models.BooleanField(_("certificaat ondertekend door de opleider"), default=False)
    certificate = document_field(_("certificaat"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cursus")
        verbose_name_plural = _("cursussen")
        ordering = ["portfolio", "pk"]

    def __str__(self) -> str:
        return self.title or _("cursus")


class Case(models.Model):
    """LP-C: one guidance trajectory. ``number`` is 1 or 2 and always equals its place in the
    portfolio (the service renumbers when case 1 is removed)."""

    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.CASCADE, related_name="cases", verbose_name=_("portfolio")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=300, blank=True)
    started = models.DateField(_("begonnen op"), null=True, blank=True)
    ended = models.DateField(_("afgerond op"), null=True, blank=True)
    rationale = models.TextField(_("waarom dit traject"), blank=True)

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["portfolio", "number"]
        constraints = [
            models.UniqueConstraint(fields=["portfolio", "number"], name="lp_case_number_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=2), name="lp_case_number_1_or_2"
            ),
            models.CheckConstraint(
                condition=models.Q(ended__isnull=True)
                | models.Q(started__isnull=True)
                | models.Q(ended__gte=models.F("started")),
                name="lp_case_ended_after_started",
            ),
        ]

    def __str__(self) -> str:
        label = _("Casus %(number)s") % {"number": self.number}
        return f"{label}: {self.title}" if self.title else label


class CaseTask(FastLoading, models.Model):
    """LP-C1: a task of one case, described or marked not relevant with a motivation. No row
    means the task is neither."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("casus")
    )
    number = models.PositiveSmallIntegerField(_("taak"))
    not_relevant = models.BooleanField(_("niet relevant in deze casus"), default=False)
    text = models.TextField(_("beschrijving of motivering"), blank=True)

    class Meta:
        verbose_name = _("taak in een casus")
        verbose_name_plural = _("taken in casussen")
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="lp_case_task_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case} – {_('taak')} {self.number}"

    @property
    def portfolio(self) -> Portfolio:
        return self.case.portfolio


class CaseTextKind(models.TextChoices):
    KNOWLEDGE_AREA = "knowledge_area", _("Kennisgebied")
    COMPETENCE = "competence", _("Competentie")
    ATTITUDE = "attitude", _("Professionele attitude")


class CaseText(FastLoading, models.Model):
    """LP-C2, LP-C3, LP-C4: what one case shows of a knowledge area or a competence, or its
    answer to an attitude question. ``key`` is the framework's key ("1"–"5", "coachen", …)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="texts", verbose_name=_("casus")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=CaseTextKind.choices)
    key = models.CharField(_("sleutel"), max_length=40)
    text = models.TextField(_("tekst"), blank=True)

    class Meta:
        verbose_name = _("uitwerking in een casus")
        verbose_name_plural = _("uitwerkingen in casussen")
        ordering = ["case", "kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "key"], name="lp_case_text_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.get_kind_display()} {self.key}"

    @property
    def portfolio(self) -> Portfolio:
        return self.case.portfolio
