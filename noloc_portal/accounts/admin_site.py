"""The admin site admits staff only in a session that passed the second step. Installed as the
default admin site through VerifiedAdminConfig (INSTALLED_APPS), so every @admin.register keeps
working. This module is imported while apps load: it must not import models."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class VerifiedAdminSite(admin.AdminSite):
    def has_permission(self, request):
        # OTPMiddleware gives the user is_verified(); without it nobody is verified.
        is_verified = getattr(request.user, "is_verified", None)
        return super().has_permission(request) and bool(is_verified and is_verified())


class VerifiedAdminConfig(AdminConfig):
    default_site = "noloc_portal.accounts.admin_site.VerifiedAdminSite"
