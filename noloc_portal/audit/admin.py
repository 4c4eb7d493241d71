from django.contrib import admin

from noloc_portal.admin_lists import BoundedDateHierarchy
from noloc_portal.audit.models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(BoundedDateHierarchy, admin.ModelAdmin):
    """Read-only for everyone, superusers included: the log is evidence."""

    list_display = ["at", "action", "actor_label", "target_label", "ip"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_label", "ip", "action"]
    date_hierarchy = "at"
    list_select_related = ["target_type"]
    readonly_fields = [
        "at",
        "action",
        "actor",
        "actor_label",
        "target_type",
        "target_id",
        "target_label",
        "ip",
        "detail",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
