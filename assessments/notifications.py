"""Dutch e-mails of the assessment workflow, sent after the transaction commits (workflow.md).

Each transition's service calls :func:`notify` with a template name under
``templates/emails/assessments/`` (``<name>_subject.txt`` and ``<name>.txt``). The texts name the
portfolio and link to the page where the reader acts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse

from noloc_portal.accounts.models import Role, User
from noloc_portal.mail import mail_after_commit


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
    for user in to:
        if user.email:
            mail_after_commit(
                address=user.email,
                template=f"assessments/{template}",
                context={**context, "recipient": user},
            )
