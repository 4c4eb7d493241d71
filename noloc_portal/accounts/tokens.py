"""API tokens (rest_framework.authtoken) that expire and are revoked.

A token lives API_TOKEN_LIFETIME from its creation (authentication.py refuses it after that);
asking for one again then gives a new one. A new password (set anywhere: the password page, a
reset, the admin) and logging out everywhere delete the person's token.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from noloc_portal.accounts.models import User


def token_expires_at(token: Token) -> datetime:
    return token.created + settings.API_TOKEN_LIFETIME


def current_token(*, user: User) -> Token:
    """The person's token, replaced by a new one when it has expired."""
    with transaction.atomic():
        token, _created = Token.objects.select_for_update().get_or_create(user=user)
        if token_expires_at(token) <= timezone.now():
            token.delete()
            token = Token.objects.create(user=user)
    return token


def revoke_api_tokens(*, user: User) -> None:
    Token.objects.filter(user=user).delete()


def revoke_tokens_on_password_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """A new password ends the API tokens issued under the old one (pre_save of User).

    A signal, so that every way to set a password counts: the password page, a reset, the
    admin, `changepassword` and logging out everywhere.
    """
    if raw or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    if sender.objects.filter(pk=instance.pk, password=instance.password).exists():
        return
    revoke_api_tokens(user=instance)
