from celery import shared_task
from django.conf import settings

from noloc_portal.pdf import services


# The row is the truth (workflow.md): nobody reads a task result, and storing one would make
# every publish touch the result backend as well. A render that runs into the soft time limit
# fails its job (services.run_render_job); the hard limit ends a render that ignores it.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=settings.RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.RENDER_TIME_LIMIT,
)
def render_report(job_id: int) -> str:
    return services.run_render_job(job_id=job_id).state


@shared_task(ignore_result=True)
def requeue_stale_reports() -> int:
    return services.requeue_stale_jobs()
