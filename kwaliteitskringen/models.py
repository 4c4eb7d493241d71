"""Quality circles (domain.md §4, KK-1 … KK-12) and their lifecycles (workflow.md)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from noloc_portal.choices import choice_label
from noloc_portal.loading import FastLoading

USER = settings.AUTH_USER_MODEL


class StaffelMethod(models.TextChoices):
    """KK-9 Decision: how a circle started during the year gets part of the subsidy."""

    MONTHS_AFTER_START = "months_after_start", _("Naar rato van hele maanden na de startmaand")
    MONTHS_INCLUDING_START = "months_including_start", _("Naar rato, startmaand meegerekend")
    NONE = "none", _("Geen staffel: volledig bedrag")


class CircleRules(models.Model):
    """Rule values of KK-2, KK-3, KK-5, KK-7, KK-9 and KK-11, valid from ``effective_year`` until
    a row with a later year takes over. The secretariat edits them in the admin."""

    effective_year = models.PositiveSmallIntegerField(
        _("geldig vanaf jaar"), unique=True, validators=[MinValueValidator(2000)]
    )
    min_participants = models.PositiveSmallIntegerField(_("minimum aantal deelnemers"), default=8)
    min_meetings = models.PositiveSmallIntegerField(
        _("minimum aantal bijeenkomsten per jaar"), default=5
    )
    subsidy_amount = models.DecimalField(
        _("subsidie per kring per jaar (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("250.00"),
    )
    staffel_method = models.CharField(
        _("staffel voor nieuwe kringen"),
        max_length=30,
        choices=StaffelMethod.choices,
        default=StaffelMethod.MONTHS_AFTER_START,
    )
    hosting_interval_years = models.PositiveSmallIntegerField(
        _("gastheerschap: uiterlijk om de zoveel jaar"),
        default=2,
        validators=[MinValueValidator(1)],
    )
    trial_meetings = models.PositiveSmallIntegerField(
        _("aantal opeenvolgende proefbijeenkomsten"), default=2, validators=[MinValueValidator(1)]
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("herinnering zoveel dagen vooraf"), default=3, validators=[MaxValueValidator(60)]
    )

    class Meta:
        verbose_name = _("kringregels")
        verbose_name_plural = _("kringregels")
        ordering = ["-effective_year"]

    def __str__(self) -> str:
        return _("Kringregels vanaf %(year)s") % {"year": self.effective_year}


class CircleStatus(models.TextChoices):
    OPEN = "open", _("Open voor aanmeldingen")
    FULL = "full", _("Vol")
    WAITING_LIST = "waiting_list", _("Wachtlijst")


class Circle(FastLoading, models.Model):
    """A local quality circle (KK-1) with its roles (KK-8)."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    region = models.CharField(_("regio"), max_length=100)
    description = models.TextField(_("korte omschrijving"), blank=True)
    objective = models.TextField(
        _("doelstelling"),
        blank=True,
        help_text=_("Komt terug in het jaarverslag."),
    )
    coordinator = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="coordinated_circles",
        verbose_name=_("kringcoördinator"),
    )
    secretary = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="circles_as_secretary",
        verbose_name=_("secretaris"),
    )
    treasurer = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="circles_as_treasurer",
        verbose_name=_("penningmeester"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("maximaal aantal deelnemers"), default=16, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CircleStatus.choices, default=CircleStatus.OPEN
    )
    started_on = models.DateField(_("gestart op"))
    split_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offshoots",
        verbose_name=_("afgesplitst van"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("kwaliteitskring")
        verbose_name_plural = _("kwaliteitskringen")
        ordering = ["region", "name"]

    def __str__(self) -> str:
        return self.name

    def get_status_display(self) -> str:
        return choice_label(CircleStatus, self.status)

    @property
    def takes_applicants(self) -> bool:
        return self.status != CircleStatus.FULL


class MembershipState(models.TextChoices):
    ACTIVE = "active", _("Actief")
    RENEWED = "renewed", _("Verlengd voor volgend jaar")
    LAPSED = "lapsed", _("Niet verlengd")
    REMOVED = "removed", _("Verwijderd")
    MOVED = "moved", _("Overgestapt naar andere kring")


# A membership of these states counts as a participant of its year (KK-2). A lapsed membership
# was not renewed for the next year but did count for its own.
COUNTING_STATES = (MembershipState.ACTIVE, MembershipState.RENEWED, MembershipState.LAPSED)
# A membership of these states is a participant now: sees the meetings, is on the list.
CURRENT_STATES = (MembershipState.ACTIVE, MembershipState.RENEWED)


class Membership(FastLoading, models.Model):
    """A participant's sign-up for one calendar year (KK-2). Rows are never deleted: history."""

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("kring")
    )
    member = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="circle_memberships",
        verbose_name=_("deelnemer"),
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    state = models.CharField(
        _("status"), max_length=10, choices=MembershipState.choices, default=MembershipState.ACTIVE
    )
    end_reason = models.TextField(_("reden"), blank=True)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    ended_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beëindigd door"),
    )
    created_at = models.DateTimeField(_("ingeschreven op"), auto_now_add=True)
    # Privacy: a published annual report names the member only with this consent; the member
    # sets it, for all their memberships of the circle at once, and a renewal carries it over.
    name_in_annual_report = models.BooleanField(
        _("naam in gepubliceerde jaarverslagen"),
        default=False,
        help_text=_(
            "Zonder toestemming noemt een gepubliceerd jaarverslag alleen aantallen en rollen."
        ),
    )

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["-year", "member__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "member", "year"], name="kk_one_membership_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.circle} {self.year}"

    def get_state_display(self) -> str:
        return choice_label(MembershipState, self.state)

    @property
    def is_current(self) -> bool:
        return self.state in CURRENT_STATES


class RenewalRound(models.Model):
    """The sign-up round for next year (KK-2): members renew; the rest lapse when it closes."""

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="renewal_rounds", verbose_name=_("kring")
    )
    year = models.PositiveSmallIntegerField(_("inschrijving voor jaar"))
    opened_at = models.DateTimeField(_("geopend op"), auto_now_add=True)
    opened_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("geopend door")
    )
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("verlengronde")
        verbose_name_plural = _("verlengrondes")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "year"], name="kk_one_renewal_round"),
        ]

    def __str__(self) -> str:
        return f"{self.circle} – {self.year}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Ingediend")
    WAITLISTED = "waitlisted", _("Op de wachtlijst")
    TRIAL = "trial", _("Draait mee op proef")
    DECLINED = "declined", _("Afgewezen")
    JOINED = "joined", _("Toegetreden")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


OPEN_APPLICATION_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.WAITLISTED,
    ApplicationState.TRIAL,
)


class Application(models.Model):
    """A member's application to a circle with CV and expectations (KK-4 … KK-6)."""

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="applications", verbose_name=_("kring")
    )
    applicant = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="circle_applications",
        verbose_name=_("aanmelder"),
    )
    cv = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cv"),
    )
    expectations = models.TextField(_("verwachtingen"))
    state = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationState.choices,
        default=ApplicationState.SUBMITTED,
    )
    # The waiting list is ordered by this date (KK-6), also after a move to a new circle.
    submitted_at = models.DateTimeField(_("aangemeld op"))
    decision_reason = models.TextField(_("toelichting bij besluit"), blank=True)
    decided_at = models.DateTimeField(_("besluit op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besluit door"),
    )
    trial_started_on = models.DateField(_("proefperiode vanaf"), null=True, blank=True)
    trial_fee = models.DecimalField(
        _("bijdrage zaalhuur en catering (€)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )
    trial_fee_recorded_at = models.DateTimeField(_("bijdrage vastgelegd op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "applicant"],
                condition=Q(state__in=["submitted", "waitlisted", "trial"]),
                name="kk_one_open_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.circle}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_APPLICATION_STATES


class MeetingForm(models.TextChoices):
    """KK-7: forms of a meeting."""

    WORKSHOP = "workshop", _("Workshop door deelnemer")
    CASE_DISCUSSION = "case_discussion", _("Casusbespreking")
    INTERVISION = "intervision", _("Intervisie")
    TIPS = "tips", _("Tips over opleidingen en symposia")
    BOOK_DISCUSSION = "book_discussion", _("Boekbespreking")
    METHODOLOGY = "methodology", _("Methodiekontwikkeling")
    OTHER = "other", _("Anders")


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    HELD = "held", _("Gehouden")
    CANCELLED = "cancelled", _("Geannuleerd")


class Meeting(FastLoading, models.Model):
    """One meeting of a circle (KK-7, KK-11)."""

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("kring")
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("aanvang"), null=True, blank=True)
    place = models.CharField(_("plaats"), max_length=200)
    form = models.CharField(_("vorm"), max_length=20, choices=MeetingForm.choices)
    theme = models.CharField(_("thema"), max_length=200)
    host = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_circle_meetings",
        verbose_name=_("gastheer/-vrouw (inhoudelijk voorzitter)"),
    )
    facilitator = models.CharField(_("begeleider"), max_length=200, blank=True)
    note_taker = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notulist"),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    state = models.CharField(
        _("status"), max_length=10, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    report = models.TextField(_("verslag"), blank=True)
    report_updated_at = models.DateTimeField(_("verslag bijgewerkt op"), null=True, blank=True)
    cancel_reason = models.TextField(_("reden van annulering"), blank=True)
    # KK-7: a meeting of a subgroup of the circle (e.g. intervision) rather than the whole circle.
    subgroup = models.ForeignKey(
        "Subgroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("subgroep"),
    )
    # KK-7: a meeting held together with another circle; both circles' members are expected.
    joint_with = models.ForeignKey(
        Circle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="joint_meetings",
        verbose_name=_("samen met kring"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["date", "start_time", "pk"]
        indexes = [
            models.Index(fields=["circle", "date"]),
            models.Index(fields=["joint_with", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(subgroup__isnull=True) | Q(joint_with__isnull=True),
                name="kk_meeting_subgroup_or_joint",
            ),
            models.CheckConstraint(
                condition=~Q(joint_with=models.F("circle")),
                name="kk_meeting_joint_with_other_circle",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.circle} – {self.date:%d-%m-%Y} {self.theme}"

    def get_form_display(self) -> str:
        return choice_label(MeetingForm, self.form)

    def get_state_display(self) -> str:
        return choice_label(MeetingState, self.state)


class Subgroup(models.Model):
    """KK-7: members of a circle who meet on their own as well, for example for intervision.
    Its meetings are ``Meeting`` rows of the circle, so attendance reaches the portfolio the
    same way and only once (KK-12)."""

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="subgroups", verbose_name=_("kring")
    )
    name = models.CharField(_("naam"), max_length=200)
    purpose = models.TextField(_("doel"), blank=True)
    convener = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="convened_subgroups",
        verbose_name=_("trekker"),
        help_text=_("Plant de bijeenkomsten van de subgroep en legt de aanwezigheid vast."),
    )
    created_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gestart door"),
    )
    created_at = models.DateTimeField(_("gestart op"), auto_now_add=True)

    class Meta:
        verbose_name = _("subgroep")
        verbose_name_plural = _("subgroepen")
        ordering = ["circle__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "name"], name="kk_subgroup_name_per_circle"),
        ]

    def __str__(self) -> str:
        return f"{self.circle} – {self.name}"


class SubgroupMembership(models.Model):
    """A circle member's place in a subgroup; leaving keeps the row as history."""

    subgroup = models.ForeignKey(
        Subgroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("subgroep")
    )
    member = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="subgroup_memberships",
        verbose_name=_("deelnemer"),
    )
    joined_at = models.DateTimeField(_("lid sinds"), auto_now_add=True)
    left_at = models.DateTimeField(_("vertrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("lid van subgroep")
        verbose_name_plural = _("leden van subgroepen")
        ordering = ["member__full_name", "member__email"]
        constraints = [
            models.UniqueConstraint(fields=["subgroup", "member"], name="kk_one_subgroup_place"),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.subgroup}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None


class ProgrammeState(models.TextChoices):
    DRAFT = "draft", _("Concept")
    AGREED = "agreed", _("Vastgesteld")


class Programme(models.Model):
    """KK-7: the participants' programme for a membership year. Members propose items while it
    is a draft; once the circle has agreed it, every item is a planned meeting."""

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("kring")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    state = models.CharField(
        _("status"), max_length=10, choices=ProgrammeState.choices, default=ProgrammeState.DRAFT
    )
    drafted_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("opgezet door")
    )
    created_at = models.DateTimeField(_("opgezet op"), auto_now_add=True)
    agreed_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door"),
    )

    class Meta:
        verbose_name = _("jaarprogramma")
        verbose_name_plural = _("jaarprogramma's")
        ordering = ["-year", "circle__name"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "year"], name="kk_one_programme_per_year"),
        ]

    def __str__(self) -> str:
        return _("Jaarprogramma %(year)s – %(circle)s") % {"year": self.year, "circle": self.circle}

    @property
    def is_draft(self) -> bool:
        return self.state == ProgrammeState.DRAFT


class ProgrammeItem(models.Model):
    """One planned meeting of the programme, proposed by a member; linked to its meeting once
    the programme is agreed."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="items", verbose_name=_("jaarprogramma")
    )
    date = models.DateField(_("datum"))
    theme = models.CharField(_("thema"), max_length=200)
    form = models.CharField(_("vorm"), max_length=20, choices=MeetingForm.choices)
    host = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gastheer/-vrouw"),
    )
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    proposed_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("voorgesteld door"),
    )
    proposed_at = models.DateTimeField(_("voorgesteld op"), auto_now_add=True)
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_item",
        verbose_name=_("bijeenkomst"),
    )

    class Meta:
        verbose_name = _("programmaonderdeel")
        verbose_name_plural = _("programmaonderdelen")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.theme}"

    def get_form_display(self) -> str:
        return choice_label(MeetingForm, self.form)


class MeetingRegistration(models.Model):
    """A participant's registration for a meeting; the reminder is sent once (KK-11)."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("bijeenkomst"),
    )
    participant = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="+", verbose_name=_("deelnemer")
    )
    registered_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)
    reminder_sent_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding voor bijeenkomst")
        verbose_name_plural = _("aanmeldingen voor bijeenkomsten")
        ordering = ["meeting__date", "participant__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="kk_one_registration_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.meeting}"


class Attendance(models.Model):
    """One line of a meeting's attendance list: everyone expected gets a row, present or not,
    so that absences are records too (KK-3)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("bijeenkomst")
    )
    participant = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="circle_attendances",
        verbose_name=_("deelnemer"),
    )
    present = models.BooleanField(_("aanwezig"))
    on_trial = models.BooleanField(_("op proef"), default=False)
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")
        ordering = ["meeting__date", "participant__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="kk_one_attendance_per_meeting"
            ),
        ]
        indexes = [
            # Read from the index alone: the absences of a year's meetings (KK-3, on every
            # dashboard tab) and the presences counted per meeting on the meetings tab.
            models.Index(fields=["meeting", "present", "participant"], name="kk_attendance_marks"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.meeting}"


class Contribution(models.Model):
    """A participant's active contribution in a year, in any form (KK-3)."""

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("kring")
    )
    participant = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("deelnemer")
    )
    date = models.DateField(_("datum"))
    description = models.CharField(_("omschrijving"), max_length=300)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("bij bijeenkomst"),
    )
    recorded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("actieve bijdrage")
        verbose_name_plural = _("actieve bijdragen")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.participant}: {self.description}"


class CostShare(models.Model):
    """A member's payment towards costs above the subsidy, recorded by the treasurer (KK-9)."""

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="cost_shares", verbose_name=_("kring")
    )
    member = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("deelnemer")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    amount = models.DecimalField(
        _("bedrag (€)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    description = models.CharField(_("omschrijving"), max_length=200)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledenbijdrage")
        verbose_name_plural = _("ledenbijdragen")
        ordering = ["-year", "-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="kk_cost_share_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.member} € {self.amount} ({self.year})"


class SignalDismissal(models.Model):
    """The coordinator's note that a signal (KK-2, KK-3, KK-7) needs no action."""

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="dismissals", verbose_name=_("kring")
    )
    key = models.CharField(_("signaal"), max_length=100)
    note = models.TextField(_("toelichting"))
    dismissed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )
    dismissed_at = models.DateTimeField(_("op"), auto_now_add=True)

    class Meta:
        verbose_name = _("afgehandeld signaal")
        verbose_name_plural = _("afgehandelde signalen")
        ordering = ["-dismissed_at"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "key"], name="kk_one_dismissal_per_signal"),
        ]

    def __str__(self) -> str:
        return f"{self.circle}: {self.key}"


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend bij Noloc")
    PUBLISHED = "published", _("Gepubliceerd")


class AnnualReport(models.Model):
    """KK-10: figures come from the records; the coordinator writes the narrative."""

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="annual_reports", verbose_name=_("kring")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    state = models.CharField(
        _("status"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    objective = models.TextField(_("doelstelling"), blank=True)
    narrative = models.TextField(_("toelichting op de activiteiten"), blank=True)
    member_count = models.PositiveSmallIntegerField(_("aantal leden"), default=0)
    meeting_count = models.PositiveSmallIntegerField(_("aantal bijeenkomsten"), default=0)
    activities = models.JSONField(_("uitgevoerde activiteiten"), default=list, blank=True)
    figures_updated_at = models.DateTimeField(_("cijfers bijgewerkt op"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingediend door"),
    )
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    published_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gepubliceerd door"),
    )

    class Meta:
        verbose_name = _("jaarverslag")
        verbose_name_plural = _("jaarverslagen")
        ordering = ["-year", "circle__name"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "year"], name="kk_one_report_per_year"),
        ]

    def __str__(self) -> str:
        return _("Jaarverslag %(year)s – %(circle)s") % {"year": self.year, "circle": self.circle}

    @property
    def received(self) -> bool:
        return self.state in (ReportState.SUBMITTED, ReportState.PUBLISHED)


class ClaimState(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend")
    APPROVED = "approved", _("Goedgekeurd")
    REJECTED = "rejected", _("Afgewezen")


class SubsidyClaim(models.Model):
    """KK-9: the yearly claim (declaratie); conditions are frozen when it is submitted."""

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="subsidy_claims", verbose_name=_("kring")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    state = models.CharField(
        _("status"), max_length=10, choices=ClaimState.choices, default=ClaimState.DRAFT
    )
    amount = models.DecimalField(_("bedrag (€)"), max_digits=8, decimal_places=2, default=0)
    conditions = models.JSONField(_("voorwaarden bij indiening"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingediend door"),
    )
    decided_at = models.DateTimeField(_("besluit op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besluit door"),
    )
    decision_reason = models.TextField(_("toelichting bij besluit"), blank=True)

    class Meta:
        verbose_name = _("subsidieaanvraag")
        verbose_name_plural = _("subsidieaanvragen")
        ordering = ["-year", "circle__name"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "year"], name="kk_one_claim_per_year"),
        ]

    def __str__(self) -> str:
        return _("Subsidie %(year)s – %(circle)s") % {"year": self.year, "circle": self.circle}


class CircleEvent(models.Model):
    """Audit trail: every transition of a circle's records, who and when."""

    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="events", verbose_name=_("kring")
    )
    actor = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )
    action = models.CharField(_("handeling"), max_length=50)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("op"), auto_now_add=True)

    class Meta:
        verbose_name = _("kringgebeurtenis")
        verbose_name_plural = _("kringgebeurtenissen")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.circle}: {self.action}"


# --- founding a circle, interest where none exists, the regional chair -----------------------


class FoundingState(models.TextChoices):
    SUBMITTED = "submitted", _("Ingediend")
    APPROVED = "approved", _("Goedgekeurd")
    DECLINED = "declined", _("Afgewezen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class FoundingRequest(models.Model):
    """A member asks to start a circle in their place or region; the secretariat decides."""

    founder = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="founding_requests",
        verbose_name=_("initiatiefnemer"),
    )
    name = models.CharField(_("naam van de kring"), max_length=200)
    region = models.CharField(_("regio"), max_length=100)
    meeting_place = models.CharField(_("beoogde plaats van bijeenkomst"), max_length=200)
    rhythm = models.CharField(_("beoogd ritme"), max_length=200)
    motivation = models.TextField(_("motivatie"))
    state = models.CharField(
        _("status"), max_length=10, choices=FoundingState.choices, default=FoundingState.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    decision_reason = models.TextField(_("toelichting bij besluit"), blank=True)
    decided_at = models.DateTimeField(_("besluit op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besluit door"),
    )
    circle = models.OneToOneField(
        Circle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="founding_request",
        verbose_name=_("opgerichte kring"),
    )

    class Meta:
        verbose_name = _("oprichtingsverzoek")
        verbose_name_plural = _("oprichtingsverzoeken")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["founder"],
                condition=Q(state="submitted"),
                name="kk_one_open_founding_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.region})"

    @property
    def is_open(self) -> bool:
        return self.state == FoundingState.SUBMITTED


class InterestState(models.TextChoices):
    ACTIVE = "active", _("Actief")
    EXPIRED = "expired", _("Verlopen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class Interest(models.Model):
    """Someone in a region without an open place who wants to hear about a new circle. Never
    shown publicly; it expires a year after it was registered or last renewed."""

    email = models.EmailField(_("e-mailadres"))
    region = models.CharField(_("regio"), max_length=100)
    state = models.CharField(
        _("status"), max_length=10, choices=InterestState.choices, default=InterestState.ACTIVE
    )
    consent_at = models.DateTimeField(_("toestemming voor contact gegeven op"))
    expires_on = models.DateField(_("verloopt op"))
    # The secret of the renewal and withdrawal links in the e-mails; never shown in the admin.
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)
    renewed_at = models.DateTimeField(_("verlengd op"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("belangstelling")
        verbose_name_plural = _("belangstelling")
        ordering = ["region", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["email", "region"], name="kk_one_interest_per_region"),
        ]
        indexes = [models.Index(fields=["region", "state"])]

    def __str__(self) -> str:
        return f"{self.email} – {self.region}"

    @property
    def is_active(self) -> bool:
        return self.state == InterestState.ACTIVE


class InterestInvitation(models.Model):
    """An interested person was told about a circle they can apply to: once per circle."""

    interest = models.ForeignKey(
        Interest,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("belangstelling"),
    )
    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("kring")
    )
    sent_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)
    sent_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )

    class Meta:
        verbose_name = _("uitnodiging aan belangstellende")
        verbose_name_plural = _("uitnodigingen aan belangstellenden")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["interest", "circle"], name="kk_one_invitation_per_circle"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interest} → {self.circle}"


class RegionalChair(models.Model):
    """KK-8: the regional chair the coordinators of a region report to. A person may chair
    several regions; a region may have more than one chair."""

    user = models.ForeignKey(
        USER,
        on_delete=models.CASCADE,
        related_name="chaired_regions",
        verbose_name=_("regiovoorzitter"),
    )
    region = models.CharField(_("regio"), max_length=100)
    appointed_at = models.DateTimeField(_("benoemd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("regiovoorzitter")
        verbose_name_plural = _("regiovoorzitters")
        ordering = ["region", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="kk_one_chair_per_region"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.region}"
