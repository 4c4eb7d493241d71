"""Register Jobcoach rows of a portfolio: its details (the recertification date and the sections
A1, A2, A3.2 and A4), reflection meetings (A3.1), facilitator confirmations and PE activities
(B)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from noloc_portal.loading import FastLoading
from portfolios.jobcoach.framework import activity_type_choices
from portfolios.models import Portfolio, document_field


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
    statement = document_field(_("verklaring"))
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


class JobcoachDetails(models.Model):
    """The single-valued sections of a Jobcoach recertification portfolio (JC-A1, JC-A2, JC-A3.2,
    JC-A4) and the recertification date its windows are counted from. The cv and the declarations
    of JC-C are on Portfolio, as for every framework."""

    portfolio = models.OneToOneField(
        Portfolio, on_delete=models.CASCADE, related_name="jobcoach", verbose_name=_("portfolio")
    )
    recertification_date = models.DateField(_("hercertificeringsdatum"), null=True, blank=True)
    # JC-A1 (the cv is Portfolio.cv)
    a1_statement_signed = models.BooleanField(
        _("verklaring werkzaam als uitvoerend jobcoach ondertekend"), default=False
    )
    a1_statement = document_field(_("verklaring werkzaam als uitvoerend jobcoach"))
    # JC-A2
    a2_report = models.TextField(_("terugblik op het vorige ontwikkelplan"), blank=True)
    # JC-A3.2
    report_meeting = models.ForeignKey(
        ReflectionMeeting,
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

    class Meta:
        verbose_name = _("gegevens jobcoach")
        verbose_name_plural = _("gegevens jobcoaches")

    def __str__(self) -> str:
        return str(self.portfolio)


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


class PEActivity(FastLoading, models.Model):
    """JC-B: one permanent-education activity. Points are computed, never entered."""

    portfolio = models.ForeignKey(
        Portfolio,
        on_delete=models.CASCADE,
        related_name="pe_activities",
        verbose_name=_("portfolio"),
    )
    type = models.CharField(_("soort activiteit"), max_length=40, choices=activity_type_choices)
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
    evidence = document_field(_("bewijsstuk"))
    circle_meeting = models.ForeignKey(
        "kwaliteitskringen.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bijeenkomst van de kwaliteitskring"),
        help_text=_("KK-12: de presentielijst van de kring is het bewijs."),
    )
    # An activity taken over from an offer (portfolios.hooks.ActivityOffer): the offer's source,
    # held once per portfolio, so the same statement is never counted twice (JC-B-SOURCE).
    source = models.CharField(
        _("overgenomen uit"),
        max_length=100,
        blank=True,
        help_text=_("De verklaring waaruit deze activiteit is overgenomen; telt één keer mee."),
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
            models.UniqueConstraint(
                fields=["portfolio", "source"],
                condition=~models.Q(source=""),
                name="pe_activity_source_once_per_portfolio",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.type
