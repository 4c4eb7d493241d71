from django.contrib import admin

from assessments.models import AssessmentRound, Assignment


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ["assessor"]


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["portfolio", "number", "opened_at"]
    search_fields = ["portfolio__owner__email", "portfolio__owner__full_name"]
    list_filter = ["opened_at"]
    list_select_related = ["portfolio__owner"]
    readonly_fields = ["portfolio", "number", "opened_at"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["assessor", "round", "state", "assigned_at"]
    list_filter = ["state"]
    search_fields = ["assessor__email", "assessor__full_name", "round__portfolio__owner__email"]
    list_select_related = ["assessor", "round__portfolio__owner"]
    raw_id_fields = ["assessor", "round"]
