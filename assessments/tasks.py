from celery import shared_task

from assessments import services


@shared_task(ignore_result=True)
def send_assignment_reminders() -> int:
    """Beat: remind assessors (and the coordinators) of assignments waiting too long."""
    return services.send_assignment_reminders()
