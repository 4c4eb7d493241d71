"""The API token endpoint: throttled per address, and locked like the login page."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from noloc_portal.accounts.lockout import lockout_minutes
from noloc_portal.accounts.tokens import current_token, token_expires_at


class TooManyRequests(exceptions.Throttled):
    """DRF's 429 in Dutch (its own catalogue leaves part of the message in English)."""

    default_detail = _("Te veel aanvragen.")
    extra_detail_singular = _("Probeer het over {wait} seconde opnieuw.")
    extra_detail_plural = _("Probeer het over {wait} seconden opnieuw.")


class LoginLocked(exceptions.Throttled):
    def __init__(self, request):
        minutes = lockout_minutes(request)
        super().__init__(
            detail=ngettext(
                "Te veel mislukte pogingen: inloggen met dit e-mailadres of vanaf dit adres is "
                "tijdelijk geblokkeerd. Probeer het over %(minutes)d minuut opnieuw.",
                "Te veel mislukte pogingen: inloggen met dit e-mailadres of vanaf dit adres is "
                "tijdelijk geblokkeerd. Probeer het over %(minutes)d minuten opnieuw.",
                minutes,
            )
            % {"minutes": minutes}
        )
        self.wait = minutes * 60  # sent as Retry-After


class ObtainExpiringAuthToken(ObtainAuthToken):
    """POST the e-mail address (`username`) and password; answers the token and its expiry."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "api-token"

    def throttled(self, request, wait):
        raise TooManyRequests(wait)

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # Axes marks this request when the account or address is (now) locked.
            if getattr(request, "axes_locked_out", False):
                raise LoginLocked(request)
            raise serializers.ValidationError(serializer.errors)
        token = current_token(user=serializer.validated_data["user"])
        return Response({"token": token.key, "expires": token_expires_at(token)})


obtain_expiring_auth_token = ObtainExpiringAuthToken.as_view()
