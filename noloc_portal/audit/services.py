"""Writing to the security log. One function; every caller passes who and what."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from noloc_portal.audit.client import client_ip, current_ip
from noloc_portal.audit.models import SecurityEvent


def record_security_event(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    target_label: str = "",
    request: HttpRequest | None = None,
    actor_label: str = "",
    **detail,
) -> SecurityEvent:
    """Add a line to the security log.

    The address comes from ``request`` when given, else from the request this thread is serving
    (ClientAddressMiddleware); a Celery task or a management command records none.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is not None and not actor_label:
        actor_label = actor.get_username()
    target_type = None
    target_id = ""
    if target is not None:
        target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        target_id = str(target.pk)
        target_label = target_label or str(target)
    return SecurityEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=actor_label[:254],
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:300],
        ip=client_ip(request) if request is not None else current_ip(),
        detail=detail,
    )
