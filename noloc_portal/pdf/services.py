"""Render-job transitions (workflow.md, render job; docs/operations.md for the timings)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError

from noloc_portal.pdf.models import RenderJob, RenderState
from noloc_portal.pdf.registry import report_kind
from noloc_portal.pdf.rendering import render_pdf

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


def _lease() -> timedelta:
    return timedelta(seconds=settings.RENDER_LEASE_SECONDS)


def _publish(job_id: int, countdown: int = 0) -> None:
    """Hand the job id to the broker. A broker that is down costs the caller at most the short
    connect timeout of the settings and never an error: the job stays queued in the database
    and the reconciler publishes it again once the broker is back."""
    from noloc_portal.pdf.tasks import render_report

    try:
        render_report.apply_async((job_id,), countdown=countdown)
    except (KombuError, OSError):
        logger.warning(
            "render job %s stays queued: the broker did not take it", job_id, exc_info=True
        )


# One renderer beside the requests of this process: PDFs are made one at a time, and the process
# (say, seed_demo) waits at exit for the ones it queued.
_BESIDE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="render-job")


def _render_beside_the_request(job_id: int) -> None:
    """The embedded default (no broker, RENDER_BESIDE_REQUEST): the job renders in a thread of
    this process, so the request that queued it answers at once and the page shows the PDF's
    state until it is done. The database row stays the truth: a job lost with the process is
    queued again by the reconciler."""

    def render() -> None:
        from noloc_portal.pdf.tasks import render_report

        try:
            render_report.apply((job_id,))
        except Exception:
            logger.exception("render job %s failed beside the request", job_id)
        finally:
            connections.close_all()

    _BESIDE.submit(render)


def _dispatch(job_id: int, countdown: int = 0) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.RENDER_BESIDE_REQUEST and not countdown:
        transaction.on_commit(lambda: _render_beside_the_request(job_id))
        return
    transaction.on_commit(lambda: _publish(job_id, countdown))


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
            queued_at=timezone.now(),
        )
        _dispatch(job.pk)
    return job


def run_render_job(*, job_id: int) -> RenderJob:
    """Claim the job and render it. Idempotent: a job already done or failed is left as it is,
    and a job another worker holds a live lease on is not started a second time."""
    now = timezone.now()
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=job_id)
        if job.state in (RenderState.DONE, RenderState.FAILED):
            return job
        if job.state == RenderState.RUNNING and not _lease_expired(job, now):
            logger.info("render job %s is running elsewhere; this copy stops", job.pk)
            return job
        if job.attempts >= MAX_ATTEMPTS:
            # Earlier claims ended without a result: their worker was killed or hit the hard
            # time limit. A further attempt would most likely do the same.
            return _fail(job, reason=_worker_lost_reason(), now=now)
        job.state = RenderState.RUNNING
        job.attempts += 1
        job.started_at = now
        job.lease_until = now + _lease()
        job.save(update_fields=["state", "attempts", "started_at", "lease_until"])
    claim = job.attempts
    try:
        with _heartbeat(job_id=job.pk, claim=claim):
            report = report_kind(job.kind).build(job.target)
            pdf = render_pdf(report.template, report.context)
    except SoftTimeLimitExceeded:
        logger.warning("render job %s hit the soft time limit", job.pk)
        reason = _(
            "De PDF was na %(seconds)d seconden niet klaar en is afgebroken "
            "(render took longer than the soft time limit). Maak de inhoud korter of verhoog "
            "RENDER_SOFT_TIME_LIMIT en probeer het opnieuw."
        ) % {"seconds": settings.RENDER_SOFT_TIME_LIMIT}
        with transaction.atomic():
            job = RenderJob.objects.select_for_update().get(pk=job_id)
            if job.state == RenderState.RUNNING and job.attempts == claim:
                _fail(job, reason=reason, now=timezone.now())
        return job
    except Exception as error:
        logger.exception("render job %s failed (attempt %s)", job.pk, claim)
        return _record_failure(job_id=job.pk, claim=claim, error=error)
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=job_id)
        if job.state != RenderState.RUNNING or job.attempts != claim:
            logger.warning("render job %s was taken over while rendering; result dropped", job.pk)
            return job
        job.title = report.title[:255]
        job.file.save(f"{job.kind}-v{job.version}.pdf", ContentFile(pdf.data), save=False)
        job.page_count = pdf.page_count
        job.state = RenderState.DONE
        job.error = ""
        job.finished_at = timezone.now()
        job.lease_until = None
        job.save()
    return job


def _lease_expired(job: RenderJob, now: datetime) -> bool:
    return job.lease_until is None or job.lease_until <= now


@contextmanager
def _heartbeat(*, job_id: int, claim: int) -> Iterator[None]:
    """Renew the lease of claim ``claim`` on the job while the body runs, from a thread: a
    render is one long call. When the worker dies the renewals stop and the lease runs out."""
    stop = threading.Event()
    interval = settings.RENDER_LEASE_SECONDS / 3

    def renew() -> None:
        try:
            while not stop.wait(interval):
                RenderJob.objects.filter(
                    pk=job_id, state=RenderState.RUNNING, attempts=claim
                ).update(lease_until=timezone.now() + _lease())
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=renew, name=f"render-job-{job_id}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval)


def _worker_lost_reason() -> str:
    return _(
        "De worker stopte %(n)d keer tijdens het maken van de PDF (worker lost or hard time "
        "limit); er wordt niet meer automatisch opnieuw geprobeerd."
    ) % {"n": MAX_ATTEMPTS}


def _fail(job: RenderJob, *, reason: str, now: datetime) -> RenderJob:
    """Any state -> failed; the caller holds the row lock."""
    job.state = RenderState.FAILED
    job.error = reason[:2000]
    job.finished_at = now
    job.lease_until = None
    job.save(update_fields=["state", "error", "finished_at", "lease_until"])
    return job


def _record_failure(*, job_id: int, claim: int, error: Exception) -> RenderJob:
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=job_id)
        if job.state != RenderState.RUNNING or job.attempts != claim:
            return job
        job.error = f"{type(error).__name__}: {error}"[:2000]
        job.lease_until = None
        if job.attempts >= MAX_ATTEMPTS:
            job.state = RenderState.FAILED
            job.finished_at = timezone.now()
        else:
            job.state = RenderState.QUEUED
            job.queued_at = timezone.now()
            _dispatch(job.pk, countdown=30 * 2 ** (job.attempts - 1))
        job.save(update_fields=["error", "state", "finished_at", "queued_at", "lease_until"])
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
        job.queued_at = timezone.now()
        job.save(update_fields=["state", "attempts", "finished_at", "queued_at"])
        _dispatch(job.pk)
    return job


def requeue_stale_jobs(*, now: datetime | None = None) -> int:
    """Reconciler (beat, every RENDER_RECONCILE_INTERVAL seconds).

    A queued job that was last handed to the broker more than RENDER_REQUEUE_AFTER ago is
    published again, whatever its start time (the broker may have been down, or lost the
    message). A running job whose lease ran out lost its worker: it is queued again, or failed
    after MAX_ATTEMPTS claims. A running job with a live lease is left alone. Returns how many
    jobs were published.
    """
    now = now or timezone.now()
    requeue_before = now - timedelta(seconds=settings.RENDER_REQUEUE_AFTER)
    due = Q(state=RenderState.QUEUED) & (
        Q(queued_at__isnull=True) | Q(queued_at__lt=requeue_before)
    ) | Q(state=RenderState.RUNNING) & (Q(lease_until__isnull=True) | Q(lease_until__lte=now))
    count = 0
    for job_id in RenderJob.objects.filter(due).values_list("pk", flat=True):
        with transaction.atomic():
            job = RenderJob.objects.filter(due, pk=job_id).select_for_update().first()
            if job is None:  # finished or claimed meanwhile
                continue
            if job.state == RenderState.RUNNING:
                logger.warning("render job %s lost its worker (attempt %s)", job.pk, job.attempts)
                if job.attempts >= MAX_ATTEMPTS:
                    _fail(job, reason=_worker_lost_reason(), now=now)
                    continue
            job.state = RenderState.QUEUED
            job.queued_at = now
            job.lease_until = None
            job.save(update_fields=["state", "queued_at", "lease_until"])
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
