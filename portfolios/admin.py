from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from portfolios import services
from portfolios.jobcoach import services as jobcoach_services
from portfolios.jobcoach.framework import FIELD_KINDS
from portfolios.jobcoach.models import FacilitatorConfirmation, PEActivity, ReflectionMeeting
from portfolios.loopbaan.framework import LOOPBAAN
from portfolios.loopbaan.models import Case, CaseTask, CaseText, Course, LoopbaanDetails
from portfolios.models import AuditEvent, Portfolio, Submission

CONTENT_FIELDS = [
    "recertification_date",
    "cv",
    "a1_statement_signed",
    "a1_statement",
    "a2_report",
    "report_meeting",
    "report_situation",
    "report_motivation",
    "report_insights",
    "report_consequences",
    "plan_present",
    "plan_past",
    "plan_future",
    "declares_code_of_conduct",
    "declares_complaints_regulation",
]


def _portfolio_of(obj) -> Portfolio | None:
    """The portfolio a content row belongs to; None for a row not yet attached to one."""
    return obj if isinstance(obj, Portfolio) else getattr(obj, "portfolio", None)


class PortfolioContentForm(forms.ModelForm):
    """AS-1: refuses a save into a portfolio past draft, checked under the portfolio's row lock
    (the admin saves inside one transaction), so a save racing a submit cannot slip in."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("case") is not None:
            portfolio = cleaned["case"].portfolio
        else:
            portfolio = cleaned.get("portfolio") or _portfolio_of(self.instance)
        if portfolio is not None and portfolio.pk is not None:
            locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
            if not locked.is_editable:
                raise forms.ValidationError(
                    _("Dit portfolio is %(state)s; de inhoud kan niet meer worden gewijzigd.")
                    % {"state": locked.get_state_display().lower()}
                )
        return cleaned


class FrozenWhenSubmitted:
    """AS-1: content is read-only once the portfolio left the draft state."""

    form = PortfolioContentForm

    def _frozen(self, obj) -> bool:
        portfolio = _portfolio_of(obj)
        return portfolio is not None and not portfolio.is_editable

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and self._frozen(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and self._frozen(obj))


class FrozenInline(FrozenWhenSubmitted):
    """An inline asks with its parent (the portfolio, or the case): nothing is added to a
    portfolio past draft. A ModelAdmin's add form checks the chosen portfolio instead."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and self._frozen(obj))


class ReflectionMeetingInline(FrozenInline, admin.TabularInline):
    model = ReflectionMeeting
    extra = 0
    fields = [
        "date",
        "kind",
        "facilitator",
        "facilitator_registration",
        "own_situation",
        "statement_signed",
        "statement",
    ]
    raw_id_fields = ["statement"]


class PEActivityInline(FrozenInline, admin.TabularInline):
    model = PEActivity
    extra = 0
    fields = ["type", "title", *FIELD_KINDS, "evidence"]
    raw_id_fields = ["evidence"]


LOOPBAAN_DOCUMENT_FIELDS = [
    "diploma",
    "evc_report",
    "assessment_report",
    "experience_statement",
    "working_statement",
]


class LoopbaanDetailsInline(FrozenInline, admin.StackedInline):
    model = LoopbaanDetails
    extra = 0
    can_delete = False
    raw_id_fields = LOOPBAAN_DOCUMENT_FIELDS


class CourseInline(FrozenInline, admin.TabularInline):
    model = Course
    extra = 0
    fields = ["title", "hours", "quality_mark", "signed", "certificate"]
    raw_id_fields = ["certificate"]


class CaseInline(FrozenInline, admin.TabularInline):
    model = Case
    extra = 0
    fields = ["number", "title", "started", "ended"]
    show_change_link = True


@admin.register(Portfolio)
class PortfolioAdmin(FrozenWhenSubmitted, admin.ModelAdmin):
    list_display = [
        "owner",
        "framework",
        "framework_version",
        "state",
        "recertification_date",
        "updated_at",
        "submitted_at",
    ]
    list_filter = ["framework", "state", "framework_version"]
    search_fields = ["owner__email", "owner__full_name", "owner__membership_number"]
    list_select_related = ["owner"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "owner",
        "framework",
        "framework_version",
        "state",
        "created_at",
        "updated_at",
        "submitted_at",
    ]
    raw_id_fields = ["cv", "a1_statement", "report_meeting"]
    inlines = [ReflectionMeetingInline, PEActivityInline]
    actions = ["submit", "withdraw"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "owner",
                    "framework",
                    "framework_version",
                    "state",
                    "created_at",
                    "updated_at",
                    "submitted_at",
                ]
            },
        ),
        (_("Inhoud"), {"fields": CONTENT_FIELDS}),
    ]

    def get_inlines(self, request, obj):
        if obj is not None and obj.framework == LOOPBAAN:
            return [LoopbaanDetailsInline, CourseInline, CaseInline]
        return super().get_inlines(request, obj)

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.framework == LOOPBAAN:
            # The Jobcoach sections are not part of this framework; the rest is in the inlines.
            shared = ["cv", "declares_code_of_conduct", "declares_complaints_regulation"]
            return [self.fieldsets[0], (_("Inhoud"), {"fields": shared})]
        return super().get_fieldsets(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A draft's audit trail goes with it; on their own, events are never deleted.
        perms_needed.discard(AuditEvent._meta.verbose_name)
        return deleted, model_count, perms_needed, protected

    @admin.action(description=_("Indienen namens de eigenaar (als alle eisen in orde zijn)"))
    def submit(self, request, queryset):
        for portfolio in queryset:
            try:
                services.submit_portfolio(portfolio=portfolio, by=request.user)
            except services.TransitionError as error:
                self.message_user(request, f"{portfolio}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"{portfolio}: {_('ingediend')}", messages.SUCCESS)

    @admin.action(description=_("Intrekken namens de eigenaar"))
    def withdraw(self, request, queryset):
        for portfolio in queryset:
            try:
                services.withdraw_portfolio(portfolio=portfolio, by=request.user)
            except services.TransitionError as error:
                self.message_user(request, f"{portfolio}: {error}", messages.ERROR)


@admin.register(ReflectionMeeting)
class ReflectionMeetingAdmin(FrozenWhenSubmitted, admin.ModelAdmin):
    list_display = ["portfolio", "date", "kind", "facilitator", "own_situation", "statement_signed"]
    list_filter = ["kind", "own_situation", "statement_signed"]
    search_fields = ["facilitator", "portfolio__owner__email", "portfolio__owner__full_name"]
    list_select_related = ["portfolio__owner"]
    raw_id_fields = ["portfolio", "statement"]


@admin.register(PEActivity)
class PEActivityAdmin(FrozenWhenSubmitted, admin.ModelAdmin):
    list_display = ["title", "type", "portfolio", "date", "start", "end"]
    list_filter = ["type"]
    search_fields = ["title", "portfolio__owner__email", "portfolio__owner__full_name"]
    list_select_related = ["portfolio__owner"]
    raw_id_fields = ["portfolio", "evidence"]


@admin.register(FacilitatorConfirmation)
class FacilitatorConfirmationAdmin(admin.ModelAdmin):
    list_display = ["meeting", "email", "state", "created_at", "expires_at", "responded_at"]
    list_filter = ["state"]
    search_fields = ["email", "meeting__facilitator", "meeting__portfolio__owner__email"]
    list_select_related = ["meeting__portfolio__owner"]
    readonly_fields = [f.name for f in FacilitatorConfirmation._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Verzoek intrekken"))
    def revoke(self, request, queryset):
        for confirmation in queryset.select_related("meeting__portfolio__owner"):
            try:
                jobcoach_services.revoke_confirmation(confirmation=confirmation, by=request.user)
            except services.TransitionError as error:
                self.message_user(request, str(error), messages.ERROR)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["portfolio", "number", "submitted_at", "submitted_by"]
    search_fields = ["portfolio__owner__email", "portfolio__owner__full_name"]
    list_filter = ["submitted_at"]
    list_select_related = ["portfolio__owner", "submitted_by"]
    readonly_fields = [
        "portfolio",
        "number",
        "submitted_at",
        "submitted_by",
        "document",
        "evaluation",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["portfolio", "action", "actor", "at"]
    list_filter = ["action"]
    search_fields = ["portfolio__owner__email", "actor__email"]
    list_select_related = ["portfolio__owner", "actor"]
    readonly_fields = ["portfolio", "actor", "action", "detail", "at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Register Loopbaanprofessional ---------------------------------------------------------------

LOOPBAAN_OWNER_SEARCH = ["portfolio__owner__email", "portfolio__owner__full_name"]


@admin.register(LoopbaanDetails)
class LoopbaanDetailsAdmin(FrozenWhenSubmitted, admin.ModelAdmin):
    list_display = ["portfolio", "route", "experience_years", "experience_hours"]
    list_filter = ["route", "portfolio__state"]
    search_fields = LOOPBAAN_OWNER_SEARCH
    list_select_related = ["portfolio__owner"]
    raw_id_fields = ["portfolio", *LOOPBAAN_DOCUMENT_FIELDS]


@admin.register(Course)
class CourseAdmin(FrozenWhenSubmitted, admin.ModelAdmin):
    list_display = ["title", "portfolio", "hours", "quality_mark", "signed"]
    list_filter = ["quality_mark", "signed"]
    search_fields = ["title", *LOOPBAAN_OWNER_SEARCH]
    list_select_related = ["portfolio__owner"]
    raw_id_fields = ["portfolio", "certificate"]


class CaseTaskInline(FrozenInline, admin.StackedInline):
    model = CaseTask
    extra = 0
    fields = ["number", "not_relevant", "text"]


class CaseTextInline(FrozenInline, admin.StackedInline):
    model = CaseText
    extra = 0
    fields = ["kind", "key", "text"]


@admin.register(Case)
class CaseAdmin(FrozenWhenSubmitted, admin.ModelAdmin):
    list_display = ["__str__", "portfolio", "started", "ended"]
    list_filter = ["portfolio__state"]
    search_fields = ["title", *LOOPBAAN_OWNER_SEARCH]
    list_select_related = ["portfolio__owner"]
    raw_id_fields = ["portfolio"]
    inlines = [CaseTaskInline, CaseTextInline]


@admin.register(CaseTask)
class CaseTaskAdmin(FrozenWhenSubmitted, admin.ModelAdmin):
    list_display = ["case", "number", "not_relevant"]
    list_filter = ["number", "not_relevant"]
    search_fields = ["text", "case__title", "case__portfolio__owner__email"]
    list_select_related = ["case__portfolio__owner"]
    raw_id_fields = ["case"]


@admin.register(CaseText)
class CaseTextAdmin(FrozenWhenSubmitted, admin.ModelAdmin):
    list_display = ["case", "kind", "key"]
    list_filter = ["kind", "key"]
    search_fields = ["text", "case__title", "case__portfolio__owner__email"]
    list_select_related = ["case__portfolio__owner"]
    raw_id_fields = ["case"]
