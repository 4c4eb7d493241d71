from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from noloc_portal.accounts.forms import AdminUserChangeForm, AdminUserCreationForm
from noloc_portal.accounts.models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    inlines = [RoleGrantInline]
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "membership_number", "roles", "is_staff", "is_active"]
    list_filter = ["role_grants__role", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name", "membership_number"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Persoonsgegevens"), {"fields": ["full_name", "membership_number"]}),
        (
            _("Rechten"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Belangrijke datums"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "membership_number", "password1", "password2"],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_grants")

    @admin.display(description=_("rollen"))
    def roles(self, obj: User) -> str:
        return ", ".join(grant.get_role_display() for grant in obj.role_grants.all())


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
