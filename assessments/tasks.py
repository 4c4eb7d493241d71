"""Scheduled work of the assessment workflow (CELERY_BEAT_SCHEDULE in the settings)."""

from celery import shared_task

from assessments import recertification_services, services


@shared_task(ignore_result=True)
def send_assignment_reminders() -> int:
    """Beat: remind assessors (and the coordinators) of assignments waiting too long."""
    return services.send_assignment_reminders()


# --- supplement rounds: the deadline -----------------------------------------------------------


@shared_task
def supplement_deadlines() -> dict[str, int]:
    """Remind owners before their supplement deadline; end the supplement rounds past it."""
    return services.run_supplement_deadlines()


# --- registrations running out (AS-5) ----------------------------------------------------------


@shared_task(ignore_result=True)
def send_registration_reminders() -> int:
    """Beat (daily): remind owners 12, 6 and 3 months before their registration ends."""
    return recertification_services.send_registration_reminders()
