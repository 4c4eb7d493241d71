from celery import shared_task

from portfolios.jobcoach import services


@shared_task
def expire_confirmations() -> int:
    return services.expire_confirmations()
