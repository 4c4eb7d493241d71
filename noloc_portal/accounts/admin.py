from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from noloc_portal.accounts.forms import AdminUserChangeForm, AdminUserCreationForm
from noloc_portal.accounts.models import RoleGrant, User
from noloc_portal.accounts.services import mark_membership_verified


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    inlines = [RoleGrantInline]
    ordering = ["full_name", "email"]
    list_display = [
        "email",
        "full_name",
        "membership_number",
        "membership_verified",
        "roles",
        "is_staff",
        "is_active",
    ]
    list_filter = [
        "role_grants__role",
        "membership_verified",
        "is_staff",
        "is_superuser",
        "is_active",
    ]
    actions = ["mark_membership_verified"]
    search_fields = ["email", "full_name", "membership_number"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Persoonsgegevens"),
            {
                "fields": [
                    "full_name",
                    "membership_number",
                    "membership_verified",
                    "place",
                    "show_place_in_register",
                ]
            },
        ),
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

    @admin.action(description=_("Lidnummer als gecontroleerd markeren"))
    def mark_membership_verified(self, request, queryset):
        marked = skipped = 0
        for user in queryset:
            if mark_membership_verified(user=user, by=request.user):
                marked += 1
            else:
                skipped += 1
        if marked:
            self.message_user(
                request,
                ngettext(
                    "Het lidnummer van %(count)d persoon is als gecontroleerd gemarkeerd.",
                    "De lidnummers van %(count)d personen zijn als gecontroleerd gemarkeerd.",
                    marked,
                )
                % {"count": marked},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d persoon heeft geen lidnummer en is overgeslagen.",
                    "%(count)d personen hebben geen lidnummer en zijn overgeslagen.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

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
