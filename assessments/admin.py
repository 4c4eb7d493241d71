from django import forms
from django.contrib import admin, messages
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from assessments import pe_statements, register_services, services
from assessments.forms import DecisionForm
from assessments.models import (
    Advice,
    AssessmentRound,
    Assignment,
    Decision,
    Interview,
    InterviewNote,
    Judgement,
    PEStatement,
    Registration,
    RegistrationReminder,
)
from assessments.register_selectors import latest_certificates
from noloc_portal.accounts.models import Role, User
from noloc_portal.forms import BoundedAdminFields
from portfolios import registry


class AssignAssessorForm(forms.Form):
    # Every assessor is offered, the owner included: assign_assessor says why one is refused.
    assessor = forms.ModelChoiceField(
        label=_("Assessor"),
        queryset=User.objects.filter(role_grants__role=Role.ASSESSOR, is_active=True).order_by(
            "full_name", "email"
        ),
    )


class AssignmentInline(admin.TabularInline):
    """Who is assigned, read only: an assignment is made with the action "Beoordelaar
    toewijzen", through assign_assessor (AS-2)."""

    model = Assignment
    extra = 0
    fields = ["assessor", "state", "assigned_at", "decline_reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["portfolio", "number", "portfolio_state", "assessors", "opened_at"]
    search_fields = ["portfolio__owner__email", "portfolio__owner__full_name"]
    list_filter = ["portfolio__state", "portfolio__framework", "opened_at"]
    list_select_related = ["portfolio__owner"]
    readonly_fields = ["portfolio", "number", "opened_at"]
    inlines = [AssignmentInline]
    actions = ["assign_assessor"]
    change_form_template = "assessments/admin/round_change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("assignments__assessor")

    # A round is opened by submitting its portfolio and holds the assignments: no raw writes.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_assign_permission(self, request):
        return request.user.has_perm("assessments.add_assignment")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_assign": self.has_assign_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("status portfolio"), ordering="portfolio__state")
    def portfolio_state(self, round_):
        return round_.portfolio.get_state_display()

    @admin.display(description=_("assessoren"))
    def assessors(self, round_):
        return ", ".join(str(assignment.assessor) for assignment in round_.assignments.all())

    @admin.action(description=_("Beoordelaar toewijzen"), permissions=["assign"])
    def assign_assessor(self, request, queryset):
        """AS-2 through assign_assessor: asks for the assessor on an intermediate page, then
        assigns them to each selected round; a refusal is shown and nothing is written."""
        form = AssignAssessorForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "assessments/admin/assign_assessor.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Beoordelaar toewijzen"),
                    "rounds": queryset.select_related("portfolio__owner"),
                    "form": form,
                    "select_across": request.POST.get("select_across", "0"),
                    "opts": self.model._meta,
                },
            )
        assessor = form.cleaned_data["assessor"]
        for round_ in queryset.select_related("portfolio__owner"):
            try:
                services.assign_assessor(round=round_, assessor=assessor, by=request.user)
            except services.AssignmentError as error:
                self.message_user(request, f"{round_}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(round)s: %(assessor)s is toegewezen.")
                    % {"round": round_, "assessor": assessor},
                    messages.SUCCESS,
                )
        return None


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """Read only: assign_assessor sets round and assessor, and the assessor's own pages declare,
    decline and judge (assessments.services), so the admin never edits a state."""

    list_display = ["assessor", "round", "state", "assigned_at"]
    list_filter = ["state"]
    search_fields = ["assessor__email", "assessor__full_name", "round__portfolio__owner__email"]
    list_select_related = ["assessor", "round__portfolio__owner"]
    readonly_fields = [
        "round",
        "assessor",
        "state",
        "assigned_at",
        "assigned_by",
        "declared_at",
        "judged_at",
        "declined_at",
        "decline_reason",
        "reminded_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the assessment services only: the admin shows them, never edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Judgement)
class JudgementAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "criterion", "verdict", "updated_at"]
    list_filter = ["verdict"]
    search_fields = ["assignment__assessor__email", "assignment__round__portfolio__owner__email"]
    list_select_related = ["assignment__assessor", "assignment__round__portfolio__owner"]


class InterviewNoteInline(admin.TabularInline):
    model = InterviewNote
    extra = 0
    fields = ["criterion", "notes"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["round", "starts_at", "state", "location"]
    list_filter = ["state"]
    search_fields = ["round__portfolio__owner__email", "round__portfolio__owner__full_name"]
    list_select_related = ["round__portfolio__owner"]
    inlines = [InterviewNoteInline]


@admin.register(InterviewNote)
class InterviewNoteAdmin(ReadOnlyAdmin):
    list_display = ["interview", "criterion"]
    search_fields = ["interview__round__portfolio__owner__email", "criterion"]
    list_select_related = ["interview__round__portfolio__owner"]


@admin.register(Advice)
class AdviceAdmin(ReadOnlyAdmin):
    list_display = ["round", "outcome", "advised_by", "advised_at", "supplement_deadline"]
    list_filter = ["outcome", "round__portfolio__state"]
    search_fields = ["round__portfolio__owner__email", "round__portfolio__owner__full_name"]
    list_select_related = ["round__portfolio__owner", "advised_by"]
    actions = ["record_decision"]

    def has_decide_permission(self, request):
        return request.user.has_perm("assessments.add_decision")

    @admin.action(description=_("Besluit vastleggen"), permissions=["decide"])
    def record_decision(self, request, queryset):
        """AS-5 through record_decision: asks for the decision on an intermediate page, then
        records it on the portfolio of each selected advice; a refusal is shown per advice."""
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        advices = queryset.select_related("round__portfolio__owner")
        if not form.is_valid():
            return TemplateResponse(
                request,
                "assessments/admin/record_decision.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Besluit vastleggen"),
                    "advices": advices,
                    "form": form,
                    "select_across": request.POST.get("select_across", "0"),
                    "opts": self.model._meta,
                },
            )
        for advice in advices:
            portfolio = advice.round.portfolio
            try:
                decision = services.record_decision(
                    portfolio=portfolio, by=request.user, **form.cleaned_data
                )
            except services.DecisionError as error:
                self.message_user(request, f"{portfolio}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(portfolio)s: besluit %(outcome)s vastgelegd.")
                    % {"portfolio": portfolio, "outcome": decision.get_outcome_display().lower()},
                    messages.SUCCESS,
                )
        return None


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    """Recorded with the action "Besluit vastleggen" on an advice, never edited (AS-5)."""

    list_display = ["portfolio", "outcome", "decided_on", "decided_by", "recorded_at"]
    list_filter = ["outcome", "decided_on"]
    search_fields = ["portfolio__owner__email", "portfolio__owner__full_name"]
    list_select_related = ["portfolio__owner", "decided_by"]


class RegistrationForm(forms.ModelForm):
    register = forms.ChoiceField(label=_("Register"))

    class Meta:
        model = Registration
        fields = ["owner", "register", "valid_from", "valid_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].choices = [
            (framework.register_code, framework.register_label)
            for framework in registry.frameworks()
            if framework.register_code
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("Het einde ligt vóór het begin."))
        return cleaned


class RegistrationStatusFilter(admin.SimpleListFilter):
    """Whether a registration is in force today (and so in the public register)."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("current", _("Geldig (in het openbare register)")),
            ("future", _("Gaat nog in")),
            ("past", _("Verlopen")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.filter(valid_from__lte=today, valid_until__gte=today)
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        if self.value() == "past":
            return queryset.filter(valid_until__lt=today)
        return queryset


@admin.register(Registration)
class RegistrationAdmin(BoundedAdminFields, ReadOnlyAdmin):
    """Made by a positive decision with the AS-5 dates, never edited. The secretariat adds a
    registration made before the portal (without a decision), so that its recertification
    extends it."""

    form = RegistrationForm
    list_display = ["owner", "register", "valid_from", "valid_until", "decision"]
    list_filter = [RegistrationStatusFilter, "register", "valid_until"]
    search_fields = ["owner__email", "owner__full_name", "owner__membership_number", "=public_id"]
    list_select_related = ["owner", "decision__portfolio__owner"]
    autocomplete_fields = ["owner"]
    actions = ["make_certificate"]

    @admin.action(description=_("Certificaat maken"))
    def make_certificate(self, request, queryset):
        """A new version of the certificate of each selected registration, through
        register_services.queue_certificate (the button on the registration's page does the
        same); the PDFs appear under PDF-opdrachten and on the registration's page."""
        queued = 0
        for registration in queryset.select_related("owner"):
            try:
                register_services.queue_certificate(registration=registration, by=request.user)
            except register_services.CertificateError as error:
                self.message_user(request, f"{registration}: {error}", messages.ERROR)
            else:
                queued += 1
        self.message_user(
            request,
            _("%(n)d certifica(a)t(en) in de wachtrij.") % {"n": queued},
            messages.SUCCESS,
        )

    @admin.display(description=_("certificaat"))
    def certificate(self, obj):
        job = latest_certificates([obj]).get(obj.pk)
        if job is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("register:certificate", args=[obj.pk]),
            _("versie %(v)s: %(state)s") % {"v": job.version, "state": job.get_state_display()},
        )

    def has_add_permission(self, request):
        return request.user.has_perm("assessments.add_registration")

    def get_fields(self, request, obj=None):
        if obj is None:
            return RegistrationForm.Meta.fields
        return [
            *RegistrationForm.Meta.fields,
            "decision",
            "previous",
            "created_at",
            "public_id",
            "certificate",
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += ["public_id", "certificate"]
        return readonly


@admin.register(RegistrationReminder)
class RegistrationReminderAdmin(ReadOnlyAdmin):
    """Sent by the daily reminder run (assessments.recertification_services), never edited: a
    row says the owner was e-mailed at that stage and keeps it from being sent again."""

    change_list_template = "admin/assessments/registrationreminder/change_list.html"
    list_display = ["registration", "months", "due_on", "sent_at", "portfolio_state"]
    list_filter = ["months", "registration__register", "sent_at"]
    search_fields = ["registration__owner__email", "registration__owner__full_name"]
    list_select_related = ["registration__owner"]
    date_hierarchy = "sent_at"


@admin.register(PEStatement)
class PEStatementAdmin(ReadOnlyAdmin):
    """JC-B category 4: signed by the certification coordinator on the page "PE-verklaringen
    assessoren" (issue_pe_statement), frozen from then on. Staff can have its PDF made again."""

    list_display = [
        "assessor",
        "period_start",
        "period_end",
        "candidates",
        "points",
        "issued_by",
        "issued_at",
    ]
    list_filter = ["period_end", "issued_at"]
    search_fields = ["assessor__email", "assessor__full_name", "issued_by__full_name"]
    list_select_related = ["assessor", "issued_by"]
    date_hierarchy = "issued_at"
    actions = ["rerender_pdf"]

    def has_rerender_permission(self, request):
        return request.user.is_staff and request.user.has_perm("assessments.view_pestatement")

    @admin.action(description=_("PDF opnieuw maken"), permissions=["rerender"])
    def rerender_pdf(self, request, queryset):
        """A new version of each selected statement's PDF (rerender_pe_statement); the statement
        itself stays as it was signed."""
        for statement in queryset:
            pe_statements.rerender_pe_statement(statement=statement, by=request.user)
        self.message_user(
            request,
            _("De PDF wordt opnieuw gemaakt voor %(n)s verklaring(en).") % {"n": queryset.count()},
            messages.SUCCESS,
        )
