from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "noloc_portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts en rollen")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_save

        from noloc_portal.accounts.otp import note_enrolment_at_login
        from noloc_portal.accounts.tokens import revoke_tokens_on_password_change

        pre_save.connect(
            revoke_tokens_on_password_change,
            sender=self.get_model("User"),
            dispatch_uid="accounts-revoke-tokens-on-password-change",
        )
        user_logged_in.connect(note_enrolment_at_login, dispatch_uid="accounts.otp_enrolment")
