"""Admin of the Register Jobcoach rows: details, reflection meetings, PE activities,
confirmations."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from noloc_portal.admin_lists import BoundedDateHierarchy
from portfolios.admin_content import FrozenInline, FrozenWhenSubmitted
from portfolios.jobcoach import services
from portfolios.jobcoach.framework import FIELD_KINDS
from portfolios.jobcoach.models import (
    FacilitatorConfirmation,
    JobcoachDetails,
    PEActivity,
    ReflectionMeeting,
)

# The fields of a Jobcoach portfolio kept on the portfolio row; the rest is inline.
CONTENT_FIELDS = ["cv", "declares_code_of_conduct", "declares_complaints_regulation"]


class JobcoachDetailsInline(FrozenInline, admin.StackedInline):
    model = JobcoachDetails
    extra = 0
    can_delete = False
    raw_id_fields = ["a1_statement", "report_meeting"]


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


@admin.register(JobcoachDetails)
class JobcoachDetailsAdmin(BoundedDateHierarchy, FrozenWhenSubmitted, admin.ModelAdmin):
    list_display = ["portfolio", "recertification_date", "a1_statement_signed"]
    list_filter = ["portfolio__state", "a1_statement_signed"]
    search_fields = ["portfolio__owner__email", "portfolio__owner__full_name"]
    list_select_related = ["portfolio__owner"]
    date_hierarchy = "recertification_date"
    raw_id_fields = ["portfolio", "a1_statement", "report_meeting"]


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
    # JC-B-SOURCE: set by the take-over only; the admin shows where an activity came from.
    readonly_fields = ["source"]


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
                services.revoke_confirmation(confirmation=confirmation, by=request.user)
            except services.TransitionError as error:
                self.message_user(request, str(error), messages.ERROR)


INLINES = [JobcoachDetailsInline, ReflectionMeetingInline, PEActivityInline]
