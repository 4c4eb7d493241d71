from celery import shared_task

from portfolios import services


@shared_task
def expire_confirmations() -> int:
    return services.expire_confirmations()
