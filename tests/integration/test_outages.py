"""Outages (workflow.md, render job), with real Redis and real Celery workers (prefork, as in
production: the solo pool has no time limits) that run beat (`--beat`) with the reconciler every
second, a two-second lease and a queued job published again after one second.

- With the broker down, submit answers at once; the dossier follows once a worker and the broker
  are back, published by the reconciler.
- A worker killed with SIGKILL in the middle of a render: after a restart the job is finished,
  claimed exactly twice (the killed claim and the finishing one), never rendered beside itself.
- A render longer than the lease is not started a second time while its worker renews the lease.
- A render past the soft time limit fails its job with a reason instead of holding the worker.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from noloc_portal.pdf import services
from noloc_portal.pdf.models import RenderJob, RenderState
from portfolios.models import Portfolio, Submission
from portfolios.services import submit_portfolio
from tests.integration.slow_report import SLOW_DOSSIER
from tests.portfolios.factories import complete_portfolio

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FAST_RECONCILER = {
    "RENDER_RECONCILE_INTERVAL": "1",
    "RENDER_REQUEUE_AFTER": "1",
    "RENDER_LEASE_SECONDS": "2",
}


@pytest.fixture
def workers(portal_env, tmp_path):
    """Start workers with ``start(log_name, **env)``; each is stopped at the end of the test."""
    started = []

    def start(name: str, *, concurrency: int = 1, **env: str) -> subprocess.Popen:
        log = tmp_path / f"{name}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "noloc_portal",
                "worker",
                "--pool=prefork",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
                "-Q",
                portal_env["CELERY_QUEUE"],
                "--without-gossip",
                "--without-mingle",
                "--include=tests.integration.slow_report",
                "--beat",
                f"--schedule={tmp_path / f'{name}-beat-schedule'}",
            ],
            cwd=ROOT,
            env={**portal_env, **FAST_RECONCILER, **env},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill the pool children with it
        )
        process.log = log
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for(job: RenderJob, states, worker: subprocess.Popen, seconds: float = 90) -> RenderJob:
    deadline = time.monotonic() + seconds
    job.refresh_from_db()
    while job.state not in states:
        if time.monotonic() > deadline or worker.poll() is not None:
            pytest.fail(f"job {job.state}; worker log:\n{worker.log.read_text()[-3000:]}")
        time.sleep(0.2)
        job.refresh_from_db()
    return job


def pdf_text(job: RenderJob) -> str:
    return subprocess.run(
        ["pdftotext", job.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout


def slow_dossier_job(monkeypatch) -> RenderJob:
    """A submitted portfolio and a queued slow-dossier job that was never published (the
    reconciler publishes it); the submission's own dossier job is left out."""
    portfolio = complete_portfolio(owner__full_name="Karel Kill")
    with monkeypatch.context() as patch:
        patch.setattr(services, "_dispatch", lambda job_id, countdown=0: None)
        submission = submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    RenderJob.objects.all().delete()
    return RenderJob.objects.create(
        kind=SLOW_DOSSIER,
        content_type=ContentType.objects.get_for_model(Submission),
        object_id=submission.pk,
        version=1,
        title="Slow dossier",
    )


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SUBMIT_THROUGH_THE_PAGE = """
import json, time
from django.test import Client
from django.urls import reverse
from portfolios.models import Portfolio
portfolio = Portfolio.objects.get(pk={pk})
client = Client(HTTP_HOST="localhost")
client.force_login(portfolio.owner)
started = time.monotonic()
response = client.post(reverse("portfolios:submit", args=[portfolio.pk]))
print(json.dumps({{"status": response.status_code, "seconds": time.monotonic() - started}}))
"""


def test_submit_with_the_broker_down_answers_at_once_and_the_dossier_follows(portal_env, workers):
    portfolio = complete_portfolio(owner__full_name="Bea Brokerloos")
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            SUBMIT_THROUGH_THE_PAGE.format(pk=portfolio.pk),
        ],
        cwd=ROOT,
        env={**portal_env, "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 302
    assert answer["seconds"] < 2, answer
    assert "stays queued: the broker did not take it" in result.stderr
    assert Portfolio.objects.get(pk=portfolio.pk).state == "submitted"
    job = RenderJob.objects.get(kind="portfolio_dossier")
    assert (job.state, job.attempts) == (RenderState.QUEUED, 0)

    worker = workers("worker")
    job = wait_for(job, {RenderState.DONE, RenderState.FAILED}, worker)
    assert (job.state, job.attempts) == (RenderState.DONE, 1), job.error
    text = pdf_text(job)
    assert "Portfoliodossier Register Jobcoach" in text
    assert "Bea Brokerloos" in text


def test_a_worker_killed_during_a_render_finishes_the_job_after_restart_once(workers, monkeypatch):
    job = slow_dossier_job(monkeypatch)
    first = workers("killed", TEST_RENDER_SECONDS="30")
    job = wait_for(job, {RenderState.RUNNING}, first, seconds=60)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (RenderState.RUNNING, 1)

    restarted = workers("restarted", TEST_RENDER_SECONDS="1")
    job = wait_for(job, {RenderState.DONE, RenderState.FAILED}, restarted)
    assert job.state == RenderState.DONE, job.error
    # Two claims: the killed render and the one that finished; no copy beside them.
    assert job.attempts == 2
    assert RenderJob.objects.count() == 1
    assert "Karel Kill" in pdf_text(job)


def test_the_reconciler_leaves_a_render_alone_while_its_lease_is_alive(workers, monkeypatch):
    job = slow_dossier_job(monkeypatch)
    # Two processes, so a second copy would have somewhere to run.
    worker = workers("worker", concurrency=2, TEST_RENDER_SECONDS="6")
    job = wait_for(job, {RenderState.DONE, RenderState.FAILED}, worker)
    assert job.state == RenderState.DONE, job.error
    assert job.attempts == 1
    log = worker.log.read_text()
    # The reconciler ran while the render (three leases long) went on, and published nothing.
    left_alone = re.findall(r"requeue_stale_reports\[[\w-]+\] succeeded in [\d.]+s: 0", log)
    assert len(left_alone) >= 3, log[-3000:]


def test_a_render_past_the_soft_time_limit_fails_the_job_and_frees_the_worker(workers, monkeypatch):
    job = slow_dossier_job(monkeypatch)
    worker = workers(
        "worker", TEST_RENDER_SECONDS="120", RENDER_SOFT_TIME_LIMIT="2", RENDER_TIME_LIMIT="20"
    )
    started = time.monotonic()
    job = wait_for(job, {RenderState.DONE, RenderState.FAILED}, worker, seconds=60)
    assert job.state == RenderState.FAILED
    assert "soft time limit" in job.error
    assert job.attempts == 1
    assert time.monotonic() - started < 20
