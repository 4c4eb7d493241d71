"""The API token endpoint: throttled per address, and locked like the login page."""

from axes.helpers import get_cool_off
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from noloc_portal.accounts.tokens import current_token, token_expires_at


class LoginLocked(exceptions.Throttled):
    default_detail = _(
        "Te veel mislukte pogingen: inloggen met dit e-mailadres of vanaf dit adres is "
        "tijdelijk geblokkeerd."
    )


class ObtainExpiringAuthToken(ObtainAuthToken):
    """POST the e-mail address (`username`) and password; answers the token and its expiry."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "api-token"

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # Axes marks this request when the account or address is (now) locked.
            if getattr(request, "axes_locked_out", False):
                raise LoginLocked(wait=get_cool_off(request).total_seconds())
            raise serializers.ValidationError(serializer.errors)
        token = current_token(user=serializer.validated_data["user"])
        return Response({"token": token.key, "expires": token_expires_at(token)})


obtain_expiring_auth_token = ObtainExpiringAuthToken.as_view()
