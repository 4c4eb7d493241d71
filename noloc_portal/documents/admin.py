from django.contrib import admin

from noloc_portal.documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "owner", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type", "uploaded_at"]
    search_fields = ["original_name", "owner__email", "owner__full_name", "sha256"]
    list_select_related = ["owner"]
    readonly_fields = [
        "uuid",
        "owner",
        "file",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_at",
    ]

    def has_add_permission(self, request):
        # Uploads go through the portal pages, which check type and size.
        return False
