from celery import shared_task

from noloc_portal.pdf import services


@shared_task(acks_late=True)
def render_report(job_id: int) -> str:
    return services.run_render_job(job_id=job_id).state


@shared_task
def requeue_stale_reports() -> int:
    return services.requeue_stale_jobs()
