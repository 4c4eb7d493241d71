"""Admin of the Register Loopbaanprofessional rows: details, courses, cases and their texts."""

from django.contrib import admin

from portfolios.admin_content import FrozenInline, FrozenWhenSubmitted
from portfolios.loopbaan.models import Case, CaseTask, CaseText, Course, LoopbaanDetails

# The fields of a Loopbaanprofessional portfolio kept on the portfolio row; the rest is inline.
CONTENT_FIELDS = ["cv", "declares_code_of_conduct", "declares_complaints_regulation"]

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


INLINES = [LoopbaanDetailsInline, CourseInline, CaseInline]
