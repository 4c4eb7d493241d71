"""The user of a session in one query: Django's ModelBackend, but ``get_user`` reads the roles and
the confirmed second-step devices in the same row, so a logged-in request pays neither a role
query nor a device query (OTPMiddleware below checks the session's device against that list)."""

from __future__ import annotations

import functools

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Aggregate, CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from noloc_portal.accounts.models import RoleGrant, User
from noloc_portal.prepared import PreparedQuery

# The backend a view names when it logs someone in without a password (settings lists it).
SESSION_BACKEND = "noloc_portal.accounts.session_user.RolesModelBackend"

# The device models a session may have passed the second step with.
SECOND_STEP_DEVICES = (TOTPDevice, StaticDevice)


class JoinedText(Aggregate):
    """The values of a column, comma-separated (PostgreSQL STRING_AGG, SQLite GROUP_CONCAT)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _joined(queryset, column: str) -> Subquery:
    return Subquery(
        queryset.filter(user=OuterRef("pk"))
        .values("user")
        .annotate(joined=JoinedText(Cast(column, CharField())))
        .values("joined")
    )


def users_with_access() -> QuerySet[User]:
    """Users annotated with their roles and the persistent ids of their confirmed devices."""
    annotations = {"roles_joined": _joined(RoleGrant.objects, "role")}
    for model in SECOND_STEP_DEVICES:
        annotations[f"devices_{model._meta.model_name}"] = _joined(
            model.objects.filter(confirmed=True), "pk"
        )
    return User._default_manager.annotate(**annotations)


def confirmed_device_ids(user) -> set[str] | None:
    """The persistent ids of the user's confirmed devices, when the user was loaded by
    :func:`users_with_access`; None otherwise."""
    if not hasattr(user, "roles_joined"):
        return None
    ids = set()
    for model in SECOND_STEP_DEVICES:
        joined = getattr(user, f"devices_{model._meta.model_name}") or ""
        ids.update(f"{model._meta.label_lower}/{pk}" for pk in joined.split(",") if pk)
    return ids


# Every logged-in request reads its user: compiled once per process (noloc_portal.prepared).
_USER_WITH_ACCESS = PreparedQuery(lambda pk: users_with_access().filter(pk=pk), pk=int)


def user_with_access(user_id) -> User | None:
    rows = _USER_WITH_ACCESS(pk=User._meta.pk.to_python(user_id))
    return rows[0] if rows else None


class RolesModelBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = user_with_access(user_id)
        except (TypeError, ValueError, ValidationError):
            return None
        if user is None:
            return None
        # User.role_set is a cached_property: fill it from the row.
        user.__dict__["role_set"] = frozenset(filter(None, (user.roles_joined or "").split(",")))
        return user if self.user_can_authenticate(user) else None


class OTPMiddleware(BaseOTPMiddleware):
    """django_otp's middleware, but the session's device is checked against the confirmed devices
    loaded with the user (same rule: the device exists, belongs to the user and is confirmed);
    the device row itself is read only when something uses it."""

    def _verify_user_sync(self, request, user):
        if not user.is_authenticated:
            return super()._verify_user_sync(request, user)
        known = confirmed_device_ids(user)
        if known is None:
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        if persistent_id:
            persistent_id = self._normalize_persistent_id(persistent_id)
            if persistent_id in known:
                user.otp_device = SimpleLazyObject(
                    functools.partial(Device.from_persistent_id, persistent_id)
                )
            else:
                del request.session[DEVICE_ID_SESSION_KEY]
        return user
