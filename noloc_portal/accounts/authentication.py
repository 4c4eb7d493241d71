"""API token authentication: a token counts until it expires (see tokens.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from noloc_portal.accounts.tokens import token_expires_at


class TokenNotValid(exceptions.APIException):
    """401 with `WWW-Authenticate: Token` for a token that was sent but is unknown or expired.

    Not AuthenticationFailed: DRF turns that into 403 because session authentication comes
    first in DEFAULT_AUTHENTICATION_CLASSES (and has no header to offer).
    """

    status_code = 401
    default_detail = _("Het token is verlopen of ingetrokken. Vraag een nieuw token aan.")
    default_code = "token_not_valid"
    auth_header = "Token"


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        try:
            token = Token.objects.select_related("user").get(key=key)
        except Token.DoesNotExist:
            raise TokenNotValid from None
        if token_expires_at(token) <= timezone.now() or not token.user.is_active:
            raise TokenNotValid
        return (token.user, token)
