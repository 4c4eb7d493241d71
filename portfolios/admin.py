"""Admin of the portfolio core: portfolios (with each framework's inlines), submissions and the
audit trail. Each framework package's ``admin`` module registers the admin of its own rows."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from noloc_portal.admin_lists import BoundedDateHierarchy
from portfolios import registry, services
from portfolios.admin_content import FrozenWhenSubmitted
from portfolios.models import AuditEvent, Portfolio, Submission


@admin.register(Portfolio)
class PortfolioAdmin(BoundedDateHierarchy, FrozenWhenSubmitted, admin.ModelAdmin):
    list_display = [
        "owner",
        "framework",
        "framework_version",
        "state",
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
        "waiting_since",
    ]
    # Documents and other rows the portfolio row points at: picked by id, never a long list.
    raw_id_fields = [
        field.name
        for field in Portfolio._meta.fields
        if field.many_to_one and field.name != "owner"
    ]
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
                    "waiting_since",
                ]
            },
        ),
    ]

    def get_inlines(self, request, obj):
        return [] if obj is None else list(registry.get(obj.framework).admin_inlines)

    def get_fieldsets(self, request, obj=None):
        # The content fields on the portfolio row that this framework uses; its own rows are
        # in the inlines.
        content = [] if obj is None else list(registry.get(obj.framework).admin_fields)
        return [*self.fieldsets, (_("Inhoud"), {"fields": content})] if content else self.fieldsets

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
