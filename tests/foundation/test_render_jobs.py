"""Render jobs survive outages (workflow.md, render job): a broker that is down never fails the
request, a worker claims a job with a lease, and the reconciler publishes queued jobs again and
takes back jobs whose worker died, but never starts a second copy of a job still running.

The worker side runs against real Redis and Celery in tests/integration/test_outages.py."""

from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from kombu.exceptions import OperationalError

from noloc_portal.pdf import services
from noloc_portal.pdf.models import RenderJob, RenderState
from noloc_portal.pdf.registry import Report, ReportKind
from noloc_portal.pdf.rendering import RenderedPdf
from noloc_portal.pdf.tasks import render_report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def renders(monkeypatch):
    """Count renders; each makes a one-page PDF without WeasyPrint."""
    calls = []
    kind = ReportKind(
        name="portfolio_dossier",
        build=lambda target: Report(template="t.html", context={}, title="Dossier"),
        can_view=lambda user, target: True,
    )
    monkeypatch.setattr(services, "report_kind", lambda name: kind)

    def render(template, context):
        calls.append(template)
        return RenderedPdf(data=b"%PDF-1.7 test", page_count=1)

    monkeypatch.setattr(services, "render_pdf", render)
    return calls


def make_job(**fields) -> RenderJob:
    target = UserFactory()
    return RenderJob.objects.create(
        kind="portfolio_dossier",
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        version=1,
        title="Dossier",
        **fields,
    )


def reconcile(django_capture_on_commit_callbacks) -> tuple[int, int]:
    """Run the reconciler; return (jobs published, publish callbacks queued after commit)."""
    with django_capture_on_commit_callbacks() as published:
        count = services.requeue_stale_jobs(now=NOW)
    return count, len(published)


def test_a_broker_that_is_down_leaves_the_job_queued_and_the_caller_unharmed(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:9. Connection refused.")

    monkeypatch.setattr(render_report, "apply_async", broker_down)
    target = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.queue_report(kind="portfolio_dossier", target=target)
    job.refresh_from_db()
    assert job.state == RenderState.QUEUED
    assert job.queued_at is not None


def test_the_reconciler_publishes_a_queued_job_whatever_its_start_time(
    django_capture_on_commit_callbacks,
):
    # A failed attempt set started_at; its retry message was lost with the broker.
    job = make_job(
        state=RenderState.QUEUED,
        attempts=1,
        started_at=NOW - timedelta(minutes=20),
        queued_at=NOW - timedelta(minutes=3),
    )
    assert reconcile(django_capture_on_commit_callbacks) == (1, 1)
    job.refresh_from_db()
    assert (job.state, job.queued_at) == (RenderState.QUEUED, NOW)


def test_the_reconciler_leaves_a_job_queued_a_moment_ago(django_capture_on_commit_callbacks):
    make_job(state=RenderState.QUEUED, queued_at=NOW - timedelta(seconds=30))
    assert reconcile(django_capture_on_commit_callbacks) == (0, 0)


def test_the_reconciler_skips_a_running_job_whose_lease_is_alive(
    django_capture_on_commit_callbacks,
):
    # Started long ago (a 426-page dossier), but its worker renews the lease.
    job = make_job(
        state=RenderState.RUNNING,
        attempts=1,
        started_at=NOW - timedelta(hours=1),
        queued_at=NOW - timedelta(hours=1),
        lease_until=NOW + timedelta(seconds=40),
    )
    assert reconcile(django_capture_on_commit_callbacks) == (0, 0)
    job.refresh_from_db()
    assert job.state == RenderState.RUNNING


def test_the_reconciler_takes_back_a_job_whose_worker_stopped_renewing_its_lease(
    django_capture_on_commit_callbacks,
):
    job = make_job(
        state=RenderState.RUNNING,
        attempts=1,
        started_at=NOW - timedelta(minutes=2),
        lease_until=NOW - timedelta(seconds=1),
    )
    assert reconcile(django_capture_on_commit_callbacks) == (1, 1)
    job.refresh_from_db()
    assert (job.state, job.lease_until) == (RenderState.QUEUED, None)


def test_a_job_that_lost_its_worker_every_time_fails_with_a_reason_for_staff(
    django_capture_on_commit_callbacks,
):
    job = make_job(
        state=RenderState.RUNNING,
        attempts=services.MAX_ATTEMPTS,
        lease_until=NOW - timedelta(seconds=1),
    )
    assert reconcile(django_capture_on_commit_callbacks) == (0, 0)
    job.refresh_from_db()
    assert job.state == RenderState.FAILED
    assert "De worker stopte 3 keer" in job.error


def test_a_second_copy_does_not_render_while_the_lease_is_alive(renders):
    job = make_job(
        state=RenderState.RUNNING, attempts=1, lease_until=timezone.now() + timedelta(seconds=40)
    )
    services.run_render_job(job_id=job.pk)
    job.refresh_from_db()
    assert (renders, job.state, job.attempts) == ([], RenderState.RUNNING, 1)


def test_a_job_whose_lease_ran_out_is_claimed_again_and_rendered_once(renders):
    job = make_job(
        state=RenderState.RUNNING, attempts=1, lease_until=timezone.now() - timedelta(seconds=1)
    )
    services.run_render_job(job_id=job.pk)
    services.run_render_job(job_id=job.pk)  # the message delivered twice
    job.refresh_from_db()
    assert (len(renders), job.state, job.attempts) == (1, RenderState.DONE, 2)
    assert job.lease_until is None


def test_a_copy_whose_claim_was_taken_over_does_not_store_its_result(monkeypatch, renders):
    job = make_job(state=RenderState.QUEUED)

    def render_while_taken_over(template, context):
        # The lease ran out mid-render and another worker claimed the job.
        RenderJob.objects.filter(pk=job.pk).update(attempts=2)
        return RenderedPdf(data=b"%PDF-1.7 late", page_count=1)

    monkeypatch.setattr(services, "render_pdf", render_while_taken_over)
    services.run_render_job(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.file.name) == (RenderState.RUNNING, 2, "")


def test_a_render_past_the_soft_time_limit_fails_the_job_for_staff_to_see(
    monkeypatch, renders, django_capture_on_commit_callbacks
):
    def too_long(template, context):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "render_pdf", too_long)
    job = make_job(state=RenderState.QUEUED)
    with django_capture_on_commit_callbacks() as published:
        services.run_render_job(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, published) == (RenderState.FAILED, 1, [])
    assert "afgebroken" in job.error and "soft time limit" in job.error
    assert job.finished_at is not None


def test_the_reconciler_runs_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-stale-reports"]
    assert entry["task"] == "noloc_portal.pdf.tasks.requeue_stale_reports"
    assert entry["schedule"] == 60


def test_render_tasks_have_soft_and_hard_time_limits():
    assert 0 < render_report.soft_time_limit < render_report.time_limit
    assert render_report.acks_late and render_report.reject_on_worker_lost
