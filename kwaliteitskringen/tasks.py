from celery import shared_task

from kwaliteitskringen import revisions, services


@shared_task
def send_meeting_reminders() -> int:
    """KK-11 (beat, daily): reminders to registered participants before a meeting."""
    return services.send_due_reminders()


@shared_task
def expire_interests() -> tuple[int, int]:
    """Beat, daily: remind interest about to lapse and expire interest older than a year."""
    return services.expire_interests()


@shared_task
def prune_circle_changes() -> int:
    """Beat, nightly: keep the last change noted per circle (kwaliteitskringen.revisions)."""
    return revisions.prune_changes()
