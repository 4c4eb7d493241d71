"""The assessment of a submitted portfolio (domain.md §3, AS-2 … AS-7; workflow.md).

A round is opened on each submit or resubmit (or when a supplement deadline passes without one)
and judges one frozen submission. Its assignments carry the assessors' declarations and their
judgements per criterion of the framework version; a Loopbaanprofessional round also holds the
certification interview. Every round ends in one advice; the certifying body's decision on the
last advice of a portfolio creates or extends a registration (AS-5).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from noloc_portal.loading import FastLoading
from portfolios.models import Portfolio, PortfolioState, Submission


class RoundReason(models.TextChoices):
    SUBMITTED = "submitted", _("Ingediend")
    RESUBMITTED = "resubmitted", _("Aanvulling ingediend")
    DEADLINE_PASSED = "deadline_passed", _("Termijn voor aanvulling verstreken")


class AssessmentRound(FastLoading, models.Model):
    """One round of assessment, opened on submit or resubmit (workflow.md)."""

    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("portfolio")
    )
    number = models.PositiveSmallIntegerField(_("ronde"))
    opened_at = models.DateTimeField(_("geopend op"), auto_now_add=True)
    # The frozen submission this round judges (the latest one when the round opened).
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("indiening"),
    )
    reason = models.CharField(
        _("aanleiding"), max_length=20, choices=RoundReason.choices, default=RoundReason.SUBMITTED
    )

    class Meta:
        verbose_name = _("beoordelingsronde")
        verbose_name_plural = _("beoordelingsrondes")
        ordering = ["portfolio", "number"]
        constraints = [
            models.UniqueConstraint(fields=["portfolio", "number"], name="unique_round_number"),
        ]

    def __str__(self) -> str:
        return f"{self.portfolio} – ronde {self.number}"


class AssignmentState(models.TextChoices):
    PENDING_DECLARATION = (
        "pending_declaration",
        _("Wacht op verklaring geen belangenverstrengeling"),
    )
    JUDGING = "judging", _("Bezig met beoordelen")
    JUDGED = "judged", _("Beoordeeld")
    DECLINED = "declined", _("Afgewezen door assessor")


class Assignment(FastLoading, models.Model):
    """An assessor assigned to a round (AS-2): declares, then judges per criterion (AS-3)."""

    round = models.ForeignKey(
        AssessmentRound,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("ronde"),
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("assessor"),
    )
    state = models.CharField(
        _("status"),
        max_length=30,
        choices=AssignmentState.choices,
        default=AssignmentState.PENDING_DECLARATION,
    )
    assigned_at = models.DateTimeField(_("toegewezen op"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toegewezen door"),
    )
    declared_at = models.DateTimeField(
        _("geen belangenverstrengeling verklaard op"), null=True, blank=True
    )
    judged_at = models.DateTimeField(_("beoordeling afgerond op"), null=True, blank=True)
    declined_at = models.DateTimeField(_("afgewezen op"), null=True, blank=True)
    decline_reason = models.TextField(_("reden van afwijzen"), blank=True)
    # The last reminder about this assignment waiting (the beat task sends at most one a period).
    reminded_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "assessor"], name="unique_assessor_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} → {self.round}"


class Verdict(models.TextChoices):
    MEETS = "meets", _("Voldoet")
    DOES_NOT_MEET = "does_not_meet", _("Voldoet niet")
    SUPPLEMENT_NEEDED = "supplement_needed", _("Aanvulling nodig")


class Judgement(models.Model):
    """An assessor's judgement of one criterion (AS-3); a draft until the assignment is judged.

    ``criterion`` is the key of a criterion of the portfolio's framework version."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="judgements",
        verbose_name=_("toewijzing"),
    )
    criterion = models.CharField(_("criterium"), max_length=60)
    verdict = models.CharField(_("oordeel"), max_length=20, choices=Verdict.choices, blank=True)
    explanation = models.TextField(_("toelichting"), blank=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("oordeel per criterium")
        verbose_name_plural = _("oordelen per criterium")
        ordering = ["assignment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="unique_judgement_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_verdict_display() or '–'}"


class InterviewState(models.TextChoices):
    SCHEDULED = "scheduled", _("Gepland")
    HELD = "held", _("Gehouden")


class Interview(models.Model):
    """The certification interview of a Loopbaanprofessional round (AS-4)."""

    round = models.OneToOneField(
        AssessmentRound,
        on_delete=models.CASCADE,
        related_name="interview",
        verbose_name=_("ronde"),
    )
    state = models.CharField(
        _("status"),
        max_length=20,
        choices=InterviewState.choices,
        default=InterviewState.SCHEDULED,
    )
    starts_at = models.DateTimeField(_("datum en tijd"))
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    online_link = models.URLField(_("link voor online gesprek"), max_length=500, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gepland door"),
    )
    scheduled_at = models.DateTimeField(_("ingepland op"), auto_now_add=True)
    held_on = models.DateField(_("gehouden op"), null=True, blank=True)
    notes = models.TextField(_("algemene aantekeningen"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )

    class Meta:
        verbose_name = _("toetsingsgesprek")
        verbose_name_plural = _("toetsingsgesprekken")
        constraints = [
            models.CheckConstraint(
                condition=~Q(location="", online_link=""), name="interview_has_place_or_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.starts_at:%Y-%m-%d %H:%M}"


class InterviewNote(models.Model):
    """Notes of the interview on one criterion (AS-4)."""

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="criterion_notes"
    )
    criterion = models.CharField(_("criterium"), max_length=60)
    notes = models.TextField(_("aantekeningen"))

    class Meta:
        verbose_name = _("aantekening per criterium")
        verbose_name_plural = _("aantekeningen per criterium")
        ordering = ["interview", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "criterion"], name="unique_interview_note_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return self.criterion


class AdviceOutcome(models.TextChoices):
    POSITIVE = "positive", _("Positief")
    NEGATIVE = "negative", _("Negatief")
    SUPPLEMENT = "supplement", _("Aanvulling gevraagd")


class Advice(models.Model):
    """The certification advice that ends a round (AS-5), with the development advice (AS-6).

    For a Loopbaanprofessional round the advice is joint: recorded once, by one of the two."""

    round = models.OneToOneField(
        AssessmentRound, on_delete=models.CASCADE, related_name="advice", verbose_name=_("ronde")
    )
    outcome = models.CharField(_("advies"), max_length=20, choices=AdviceOutcome.choices)
    motivation = models.TextField(_("onderbouwing"))
    development_advice = models.TextField(_("ontwikkeladvies"), blank=True)
    # A supplement request: the sections (checklist keys) it reopens and the deadline.
    supplement_sections = models.JSONField(_("te aanvullen onderdelen"), default=list, blank=True)
    supplement_deadline = models.DateField(_("uiterste datum aanvulling"), null=True, blank=True)
    deadline_reminded_at = models.DateTimeField(
        _("herinnering termijn verstuurd op"), null=True, blank=True
    )
    advised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    advised_at = models.DateTimeField(_("uitgebracht op"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificeringsadvies")
        verbose_name_plural = _("certificeringsadviezen")
        ordering = ["-advised_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="supplement") | Q(supplement_deadline__isnull=False),
                name="supplement_advice_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.get_outcome_display()}"


class DecisionOutcome(models.TextChoices):
    POSITIVE = "positive", _("Positief")
    NEGATIVE = "negative", _("Negatief")


class Decision(models.Model):
    """The certifying body's decision on an advised portfolio (AS-5), recorded by the
    certification coordinator."""

    portfolio = models.OneToOneField(
        Portfolio, on_delete=models.CASCADE, related_name="decision", verbose_name=_("portfolio")
    )
    advice = models.OneToOneField(
        Advice, on_delete=models.PROTECT, related_name="decision", verbose_name=_("advies")
    )
    outcome = models.CharField(_("besluit"), max_length=20, choices=DecisionOutcome.choices)
    decided_on = models.DateField(_("datum besluit"))
    notes = models.TextField(_("toelichting"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.portfolio}: {self.get_outcome_display()} ({self.decided_on:%Y-%m-%d})"


class Registration(models.Model):
    """A professional's registration in a register (AS-5): from a positive decision, or entered
    by the secretariat for a registration made before the portal (no decision)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("geregistreerde"),
    )
    register = models.CharField(_("register"), max_length=40)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"))
    decision = models.OneToOneField(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registration",
        verbose_name=_("besluit"),
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next",
        verbose_name=_("vorige registratie"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    # The key of the entry in the public register and of the verification address printed on
    # the certificate: random, so the entries cannot be counted or walked one by one.
    public_id = models.UUIDField(
        _("openbare sleutel"), default=uuid.uuid4, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("registratie")
        verbose_name_plural = _("registraties")
        ordering = ["-valid_until", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="registration_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["register", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.owner} – {self.register} tot {self.valid_until:%Y-%m-%d}"


class ReminderMonths(models.IntegerChoices):
    """How long before a registration ends its owner is reminded to recertify."""

    TWELVE = 12, _("12 maanden")
    SIX = 6, _("6 maanden")
    THREE = 3, _("3 maanden")


class RegistrationReminder(models.Model):
    """A reminder e-mailed to the owner of a registration that is about to end, at most once per
    registration and stage (assessments.services.send_registration_reminders)."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("registratie"),
    )
    months = models.PositiveSmallIntegerField(
        _("maanden voor het einde"), choices=ReminderMonths.choices
    )
    due_on = models.DateField(_("te versturen vanaf"))
    sent_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)
    # What the owner had when the reminder went out: "" (nothing yet) or a portfolio state.
    portfolio_state = models.CharField(
        _("stand hercertificering"), max_length=30, choices=PortfolioState.choices, blank=True
    )

    class Meta:
        verbose_name = _("herinnering hercertificering")
        verbose_name_plural = _("herinneringen hercertificering")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "months"], name="unique_registration_reminder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration}: {self.get_months_display()}"


class PEStatement(models.Model):
    """JC-B category 4: the certification coordinator's signed statement that an assessor acted
    in Register Jobcoach (re)certification over a period, with the number of candidates assessed
    and the PE points it proves (assessments.pe_statements). Frozen once issued: a correction is
    a new statement over a period no other statement of the assessor covers."""

    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="pe_statements",
        verbose_name=_("assessor"),
    )
    period_start = models.DateField(_("periode van"))
    period_end = models.DateField(_("periode tot en met"))
    candidates = models.PositiveSmallIntegerField(_("beoordeelde kandidaten"))
    years = models.PositiveSmallIntegerField(_("jaren als assessor"))
    points = models.PositiveSmallIntegerField(_("PE-punten"))
    framework_version = models.CharField(_("versie toetsingskader"), max_length=20)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("afgegeven door"),
    )
    issued_at = models.DateTimeField(_("afgegeven op"))

    class Meta:
        verbose_name = _("PE-verklaring assessor")
        verbose_name_plural = _("PE-verklaringen assessoren")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="pe_statement_period_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["assessor", "period_start"])]

    def __str__(self) -> str:
        return f"{self.assessor} – {self.period_start:%Y-%m-%d} t/m {self.period_end:%Y-%m-%d}"
