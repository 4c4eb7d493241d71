import uuid

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


def _document(verbose_name):
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
    framework = models.CharField(_("kader"), max_length=40, choices=Framework.choices)
    framework_version = models.CharField(_("versie van het kader"), max_length=20)
    state = models.CharField(
        _("status"), max_length=30, choices=PortfolioState.choices, default=PortfolioState.DRAFT
    )
    recertification_date = models.DateField(_("hercertificeringsdatum"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)

    # JC-A1
    cv = _document(_("cv"))
    a1_statement_signed = models.BooleanField(
        _("verklaring werkzaam als uitvoerend jobcoach ondertekend"), default=False
    )
    a1_statement = _document(_("verklaring werkzaam als uitvoerend jobcoach"))
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


class MeetingKind(models.TextChoices):
    INTERVISION = "intervision", _("Intervisie")
    SUPERVISION = "supervision", _("Supervisie")
    COACHING = "coaching", _("Coaching")


class ReflectionMeeting(models.Model):
    """JC-A3.1: an intervision, supervision or coaching meeting with its statement."""

    portfolio = models.ForeignKey(
        Portfolio,
        on_delete=models.CASCADE,
        related_name="reflection_meetings",
        verbose_name=_("portfolio"),
    )
    date = models.DateField(_("datum"), null=True, blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=MeetingKind.choices)
    facilitator = models.CharField(_("begeleider"), max_length=200, blank=True)
    facilitator_registration = models.CharField(
        _("registratie van de begeleider"), max_length=100, blank=True
    )
    own_situation = models.BooleanField(_("eigen situatie ingebracht"), default=False)
    statement_signed = models.BooleanField(_("verklaring volledig en ondertekend"), default=False)
    statement = _document(_("verklaring"))
    circle_meeting = models.ForeignKey(
        "kwaliteitskringen.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bijeenkomst van de kwaliteitskring"),
        help_text=_("KK-12: de presentielijst van de kring is het bewijs."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reflectiebijeenkomst")
        verbose_name_plural = _("reflectiebijeenkomsten")
        ordering = ["portfolio", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "circle_meeting"],
                condition=models.Q(circle_meeting__isnull=False),
                name="circle_meeting_once_per_portfolio_a31",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date or ''}".strip()


class ConfirmationState(models.TextChoices):
    PENDING = "pending", _("Wacht op de begeleider")
    CONFIRMED = "confirmed", _("Bevestigd")
    CORRECTED = "corrected", _("Bevestigd met correctie")
    EXPIRED = "expired", _("Verlopen")
    REVOKED = "revoked", _("Ingetrokken")


class FacilitatorConfirmation(models.Model):
    """A request to the facilitator to confirm a meeting through a single-use link."""

    meeting = models.ForeignKey(
        ReflectionMeeting,
        on_delete=models.CASCADE,
        related_name="confirmations",
        verbose_name=_("bijeenkomst"),
    )
    email = models.EmailField(_("e-mailadres van de begeleider"))
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(
        _("status"),
        max_length=20,
        choices=ConfirmationState.choices,
        default=ConfirmationState.PENDING,
    )
    created_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"))
    responded_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    confirmed_date = models.DateField(_("bevestigde datum"), null=True, blank=True)
    confirmed_facilitator = models.CharField(_("bevestigde begeleider"), max_length=200, blank=True)
    confirmed_own_situation = models.BooleanField(_("bevestigd: situatie ingebracht"), null=True)
    facilitator_note = models.TextField(_("toelichting van de begeleider"), blank=True)

    class Meta:
        verbose_name = _("bevestiging door begeleider")
        verbose_name_plural = _("bevestigingen door begeleiders")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.email} ({self.get_state_display()})"


class PEActivity(models.Model):
    """JC-B: one permanent-education activity. Points are computed, never entered."""

    portfolio = models.ForeignKey(
        Portfolio,
        on_delete=models.CASCADE,
        related_name="pe_activities",
        verbose_name=_("portfolio"),
    )
    type = models.CharField(_("soort activiteit"), max_length=40)
    title = models.CharField(_("titel"), max_length=300, blank=True)
    date = models.DateField(_("datum"), null=True, blank=True)
    start = models.DateField(_("begin"), null=True, blank=True)
    end = models.DateField(_("einde"), null=True, blank=True)
    sbu = models.DecimalField(
        _("studiebelastingsuren"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    hours = models.DecimalField(
        _("contacturen"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    half_days = models.PositiveSmallIntegerField(_("dagdelen"), default=0)
    days = models.PositiveSmallIntegerField(_("hele dagen"), default=0)
    words = models.PositiveIntegerField(_("aantal woorden"), null=True, blank=True)
    candidates = models.PositiveSmallIntegerField(_("aantal kandidaten"), null=True, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    facilitator = models.CharField(_("begeleider"), max_length=200, blank=True)
    evidence = _document(_("bewijsstuk"))
    circle_meeting = models.ForeignKey(
        "kwaliteitskringen.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bijeenkomst van de kwaliteitskring"),
        help_text=_("KK-12: de presentielijst van de kring is het bewijs."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("PE-activiteit")
        verbose_name_plural = _("PE-activiteiten")
        ordering = ["portfolio", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="pe_activity_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["portfolio", "circle_meeting"],
                condition=models.Q(circle_meeting__isnull=False),
                name="circle_meeting_once_per_portfolio_pe",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.type


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
    diploma = _document(_("diploma"))
    evc_date = models.DateField(_("datum EVC-rapportage"), null=True, blank=True)
    evc_level = models.PositiveSmallIntegerField(_("niveau EVC-rapportage"), null=True, blank=True)
    evc_provider_recognised = models.BooleanField(_("erkende EVC-aanbieder"), default=False)
    evc_report = _document(_("EVC-rapportage"))
    assessment_date = models.DateField(_("datum assessmentrapport"), null=True, blank=True)
    assessment_level = models.PositiveSmallIntegerField(
        _("niveau assessmentrapport"), null=True, blank=True
    )
    assessment_provider_recognised = models.BooleanField(
        _("geaccrediteerd bureau of NIP-psycholoog"), default=False
    )
    assessment_report = _document(_("assessmentrapport"))
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
    experience_statement = _document(_("verklaring werkervaring"))
    working_statement_signed = models.BooleanField(
        _("verklaring huidige werkzaamheid volledig en ondertekend"), default=False
    )
    working_statement = _document(_("verklaring huidige werkzaamheid"))
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
    certificate = _document(_("certificaat"))
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


class CaseTask(models.Model):
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


class CaseText(models.Model):
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
