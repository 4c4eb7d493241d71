"""Render-job transitions (workflow.md, render job)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from noloc_portal.pdf.models import RenderJob, RenderState
from noloc_portal.pdf.registry import report_kind
from noloc_portal.pdf.rendering import render_pdf

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALE_AFTER = timedelta(minutes=15)


def _dispatch(job_id: int, countdown: int = 0) -> None:
    from noloc_portal.pdf.tasks import render_report

    transaction.on_commit(lambda: render_report.apply_async((job_id,), countdown=countdown))


def queue_report(*, kind: str, target, by=None) -> RenderJob:
    """Queue a new version of the report ``kind`` of ``target``.

    A job already queued or running for the same report is returned instead, so a double click
    renders once.
    """
    report_kind(kind)  # an unknown kind fails here, not in the worker
    content_type = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        # Lock the existing versions of this report so two requests number versions in turn.
        existing = list(
            RenderJob.objects.select_for_update()
            .filter(kind=kind, content_type=content_type, object_id=target.pk)
            .order_by("-version")
        )
        pending = [
            job for job in existing if job.state in (RenderState.QUEUED, RenderState.RUNNING)
        ]
        if pending:
            return pending[0]
        version = (existing[0].version if existing else 0) + 1
        job = RenderJob.objects.create(
            kind=kind,
            content_type=content_type,
            object_id=target.pk,
            version=version,
            title=str(target)[:255],
            requested_by=by,
        )
        _dispatch(job.pk)
    return job


def run_render_job(*, job_id: int) -> RenderJob:
    """Render one job. Idempotent: a job already done is left as it is."""
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=job_id)
        if job.state in (RenderState.DONE, RenderState.FAILED):
            return job
        job.state = RenderState.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.save(update_fields=["state", "attempts", "started_at"])
    try:
        report = report_kind(job.kind).build(job.target)
        pdf = render_pdf(report.template, report.context)
    except Exception as error:
        logger.exception("render job %s failed (attempt %s)", job.pk, job.attempts)
        return _record_failure(job_id=job.pk, error=error)
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=job_id)
        job.title = report.title[:255]
        job.file.save(f"{job.kind}-v{job.version}.pdf", ContentFile(pdf.data), save=False)
        job.page_count = pdf.page_count
        job.state = RenderState.DONE
        job.error = ""
        job.finished_at = timezone.now()
        job.save()
    return job


def _record_failure(*, job_id: int, error: Exception) -> RenderJob:
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=job_id)
        job.error = f"{type(error).__name__}: {error}"[:2000]
        if job.attempts >= MAX_ATTEMPTS:
            job.state = RenderState.FAILED
            job.finished_at = timezone.now()
        else:
            job.state = RenderState.QUEUED
            _dispatch(job.pk, countdown=30 * 2 ** (job.attempts - 1))
        job.save(update_fields=["error", "state", "finished_at"])
    return job


def retry_render_job(*, job: RenderJob, by=None) -> RenderJob:
    """Staff's retry of a failed job: a fresh set of attempts."""
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=job.pk)
        if job.state != RenderState.FAILED:
            return job
        job.state = RenderState.QUEUED
        job.attempts = 0
        job.finished_at = None
        job.save(update_fields=["state", "attempts", "finished_at"])
        _dispatch(job.pk)
    return job


def requeue_stale_jobs(*, now=None) -> int:
    """Reconciler (beat): queued or running jobs older than STALE_AFTER go to the broker again."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = RenderJob.objects.filter(
        state__in=[RenderState.QUEUED, RenderState.RUNNING], created_at__lt=cutoff
    ).filter(started_at__isnull=True) | RenderJob.objects.filter(
        state=RenderState.RUNNING, started_at__lt=cutoff
    )
    count = 0
    for job_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            job = RenderJob.objects.select_for_update().get(pk=job_id)
            if job.state not in (RenderState.QUEUED, RenderState.RUNNING):
                continue
            job.state = RenderState.QUEUED
            job.save(update_fields=["state"])
            _dispatch(job.pk)
            count += 1
    return count


def latest_reports(target, kind: str):
    """All versions of a report of ``target``, newest first."""
    return RenderJob.objects.filter(
        kind=kind,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
    ).order_by("-version")


def latest_version_number(target, kind: str) -> int:
    return latest_reports(target, kind).aggregate(v=Max("version"))["v"] or 0
