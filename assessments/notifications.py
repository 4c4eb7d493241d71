"""Dutch e-mails of the assessment workflow, sent after the transaction commits (workflow.md).

Each transition's service calls :func:`notify` with a template name under
``templates/emails/assessments/`` (``<name>_subject.txt`` and ``<name>.txt``). The texts name the
portfolio and link to the page where the reader acts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from noloc_portal.accounts.models import Role, User


def site_url(name: str, *args: Any) -> str:
    """The absolute address of a page, for a link in an e-mail."""
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def certification_coordinators() -> list[User]:
    return list(
        User.objects.filter(role_grants__role=Role.CERTIFICATION_COORDINATOR, is_active=True)
        .distinct()
        .order_by("pk")
    )


def notify(*, to: Iterable[User], template: str, context: dict[str, Any]) -> None:
    """Send ``template`` to each of ``to`` (one e-mail each, addressed by name) after commit."""
    messages = []
    for user in to:
        if not user.email:
            continue
        personal = {**context, "recipient": user}
        subject = render_to_string(f"emails/assessments/{template}_subject.txt", personal)
        body = render_to_string(f"emails/assessments/{template}.txt", personal)
        messages.append((" ".join(subject.split()), body, user.email))

    def send() -> None:
        for subject, body, address in messages:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])

    if messages:
        transaction.on_commit(send)
