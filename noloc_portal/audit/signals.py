"""Bookkeeping receivers (style guide §3: signals only for decoupled bookkeeping): logins,
failed logins and logouts, and a copy of every recorded state change with the client address.

Portfolios, assessments (through portfolios.services.record), quality circles and the admin
each record their transitions in their own trail; the security log copies each new line, so one
place answers "who did what, when, from where" without those apps knowing of this one.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from noloc_portal.audit.services import record_security_event


@receiver(user_logged_in, dispatch_uid="audit_login")
def login_succeeded(sender, request, user, **kwargs):
    record_security_event(action="login", actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    username_field = get_user_model().USERNAME_FIELD
    tried = str(credentials.get(username_field) or credentials.get("username") or "")
    record_security_event(action="login_failed", actor_label=tried, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def logged_out(sender, request, user, **kwargs):
    record_security_event(action="logout", actor=user, request=request)


def _copy(*, action: str, actor, target, detail: dict) -> None:
    record_security_event(action=action, actor=actor, target=target, **(detail or {}))


@receiver(post_save, sender="portfolios.AuditEvent", dispatch_uid="audit_portfolio_event")
def portfolio_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _copy(
            action=f"portfolio.{instance.action}",
            actor=instance.actor,
            target=instance.portfolio,
            detail=instance.detail,
        )


@receiver(post_save, sender="kwaliteitskringen.CircleEvent", dispatch_uid="audit_circle_event")
def circle_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _copy(
            action=f"kring.{instance.action}",
            actor=instance.actor,
            target=instance.circle,
            detail=instance.detail,
        )


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_change")
def admin_change(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        action = {1: "admin.add", 2: "admin.change", 3: "admin.delete"}.get(
            instance.action_flag, "admin"
        )
        record_security_event(
            action=action,
            actor=instance.user,
            target_label=f"{instance.content_type} #{instance.object_id}: {instance.object_repr}",
            change=instance.get_change_message(),
        )
