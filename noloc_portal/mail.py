"""Dutch e-mails sent when the change that causes them commits (workflow.md: a transition queues
its e-mails after commit). Every app's services send through :func:`mail_after_commit`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def mail_after_commit(*, address: str, template: str, context: dict[str, Any]) -> None:
    """Render ``templates/emails/<template>_subject.txt`` and ``<template>.txt`` now (with the
    rows as they are in this transaction) and send them to ``address`` once it commits; nothing
    is sent when it rolls back."""
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
