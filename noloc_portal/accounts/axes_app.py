"""django-axes (the login lockout) under a Dutch name in the admin; its model and field names are
translated in third_party_locale/."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginLockoutConfig(AxesAppConfig):
    verbose_name = _("Inlogbeveiliging")
