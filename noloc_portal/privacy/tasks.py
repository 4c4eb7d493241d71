from celery import shared_task

from noloc_portal.privacy import services


# The row is the truth: nobody reads a task result. A person with a great deal of evidence may
# take minutes; the hard limit ends a build that hangs (the page then offers to try again).
@shared_task(acks_late=True, ignore_result=True, soft_time_limit=30 * 60, time_limit=35 * 60)
def build_data_export_task(export_id: int) -> str:
    return services.build_data_export(export_id=export_id).state


@shared_task(ignore_result=True)
def delete_expired_exports() -> int:
    return services.delete_expired_exports()
