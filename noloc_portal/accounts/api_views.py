"""The API token endpoint: throttled per address, and locked like the login page."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from noloc_portal.accounts.lockout import lockout_minutes
from noloc_portal.accounts.otp import check_code, mfa_required, totp_device
from noloc_portal.accounts.tokens import current_token, token_expires_at
from noloc_portal.audit.client import client_ip
from noloc_portal.audit.services import record_security_event


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


class AddressThrottle(ScopedRateThrottle):
    """Counts per client address as the lockout and the security log see it."""

    def get_ident(self, request):
        return client_ip(request) or super().get_ident(request)


class ObtainExpiringAuthToken(ObtainAuthToken):
    """POST the e-mail address (`username`) and password; answers the token and its expiry."""

    throttle_classes = [AddressThrottle]
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
        user = serializer.validated_data["user"]
        if mfa_required(user):
            self._second_step(user, request.data.get("otp", ""))
        token = current_token(user=user)
        record_security_event(action="api_token", actor=user, request=request)
        return Response({"token": token.key, "expires": token_expires_at(token)})

    @staticmethod
    def _second_step(user, code) -> None:
        """Roles that need two-factor login on the site need it for a token too: the code from
        the authenticator app (or a recovery code) is posted as ``otp``."""
        if totp_device(user) is None:
            raise exceptions.PermissionDenied(
                _(
                    "Stel eerst tweestapsverificatie in door op de website in te loggen; "
                    "vraag daarna een token aan met de code uit je app."
                )
            )
        if not isinstance(code, str) or not code.strip():
            raise serializers.ValidationError(
                {"otp": [_("Vul de code uit je authenticator-app in.")]}
            )
        check = check_code(user, code)
        if check.throttled_seconds:
            raise TooManyRequests(check.throttled_seconds)
        if check.device is None:
            raise serializers.ValidationError({"otp": [_("Deze code klopt niet.")]})


obtain_expiring_auth_token = ObtainExpiringAuthToken.as_view()
