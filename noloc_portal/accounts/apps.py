from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "noloc_portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts en rollen")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from noloc_portal.accounts.otp import note_enrolment_at_login

        user_logged_in.connect(note_enrolment_at_login, dispatch_uid="accounts.otp_enrolment")
