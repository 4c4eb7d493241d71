"""The link that confirms the e-mail address of a new account.

A token in the manner of Django's password reset: signed with the secret key, with its creation
time, and a hash over the account's state that opening the link changes (``is_active`` and
``last_login``), so a link works once. It expires after ``SIGNUP_VERIFICATION_TIMEOUT``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "noloc_portal.accounts.verification.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        login_timestamp = (
            "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None)
        )
        return f"{user.pk}{user.email}{user.password}{user.is_active}{login_timestamp}{timestamp}"

    def check_token(self, user, token):
        """As Django's, but with the lifetime of a verification link instead of a reset link."""
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        signed = any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )
        age = self._num_seconds(self._now()) - timestamp
        return signed and 0 <= age <= settings.SIGNUP_VERIFICATION_TIMEOUT.total_seconds()


verification_tokens = EmailVerificationTokenGenerator()


def verification_path(user) -> tuple[str, str]:
    """The two parts of the link: the account's id and a fresh token."""
    return urlsafe_base64_encode(force_bytes(user.pk)), verification_tokens.make_token(user)
