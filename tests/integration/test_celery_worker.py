"""A real Celery worker against Redis renders a PDF that the test then reads back.

Both sides run as they do in production: the portal process (here `manage.py shell`) submits a
portfolio (or queues an assessment report) with REDIS_URL set, so the job goes to the broker
after commit, and a worker process picks it up. They share the test database (PostgreSQL,
committed data: transactional_db) and MEDIA_ROOT, and use a queue of their own so no other
worker takes the job.
"""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from assessments.models import (
    Advice,
    AdviceOutcome,
    AssessmentRound,
    Assignment,
    AssignmentState,
    Judgement,
    Verdict,
)
from noloc_portal.pdf.models import RenderJob, RenderState
from portfolios.models import PortfolioState
from tests.factories import Role, user_with
from tests.portfolios.factories import PortfolioFactory, complete_portfolio

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(portal_env):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "noloc_portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-Q",
            portal_env["CELERY_QUEUE"],
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=portal_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_worker_renders_the_dossier_pdf(portal_env, worker):
    portfolio = complete_portfolio(owner__full_name="Willem Werker")
    submit = (
        "from portfolios.models import Portfolio; "
        "from portfolios.services import submit_portfolio; "
        f"p = Portfolio.objects.get(pk={portfolio.pk}); submit_portfolio(portfolio=p, by=p.owner)"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", submit],
        cwd=ROOT,
        env=portal_env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    job = RenderJob.objects.get(kind="portfolio_dossier")
    deadline = time.monotonic() + 90
    while job.state not in (RenderState.DONE, RenderState.FAILED):
        if time.monotonic() > deadline or worker.poll() is not None:
            worker.terminate()
            pytest.fail(f"job {job.state}; worker output:\n{worker.communicate()[0][-3000:]}")
        time.sleep(0.5)
        job.refresh_from_db()
    assert job.state == RenderState.DONE, job.error
    assert job.attempts == 1
    text = subprocess.run(
        ["pdftotext", job.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Portfoliodossier Register Jobcoach" in text
    assert "Willem Werker" in text
    assert job.page_count >= 2


def test_worker_renders_the_assessment_report(portal_env, worker):
    """AS-7: the advice's assessment report goes the same way: queued after commit by the portal,
    rendered by the worker, read back."""
    portfolio = PortfolioFactory(state=PortfolioState.ADVISED, owner__full_name="Rianne Rapport")
    round_ = AssessmentRound.objects.create(portfolio=portfolio, number=1)
    assessor = user_with(Role.ASSESSOR, full_name="Bram Beoordelaar")
    assignment = Assignment.objects.create(
        round=round_,
        assessor=assessor,
        state=AssignmentState.JUDGED,
        declared_at=timezone.now(),
        judged_at=timezone.now(),
    )
    Judgement.objects.create(
        assignment=assignment,
        criterion="a31",
        verdict=Verdict.DOES_NOT_MEET,
        explanation="Eén verklaring is niet ondertekend.",
    )
    Advice.objects.create(
        round=round_,
        outcome=AdviceOutcome.NEGATIVE,
        motivation="De reflectiebijeenkomsten zijn niet aangetoond.",
        development_advice="Sluit aan bij een intervisiegroep.",
        advised_by=assessor,
    )
    queue = (
        "from assessments.models import AssessmentRound; "
        "from assessments.services import queue_assessment_report; "
        f"r = AssessmentRound.objects.get(pk={round_.pk}); "
        f"queue_assessment_report(round=r, by=r.assignments.get().assessor)"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", queue],
        cwd=ROOT,
        env=portal_env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    job = RenderJob.objects.get(kind="assessment_report")
    deadline = time.monotonic() + 60
    while job.state not in (RenderState.DONE, RenderState.FAILED):
        if time.monotonic() > deadline or worker.poll() is not None:
            worker.terminate()
            pytest.fail(f"job {job.state}; worker output:\n{worker.communicate()[0][-3000:]}")
        time.sleep(0.5)
        job.refresh_from_db()
    assert job.state == RenderState.DONE, job.error
    assert job.requested_by == assessor
    text = " ".join(
        subprocess.run(
            ["pdftotext", job.file.path, "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Beoordelingsrapport" in text and "Rianne Rapport" in text
    assert "Bram Beoordelaar" in text and "Eén verklaring is niet ondertekend." in text
    assert "Negatief" in text and "Sluit aan bij een intervisiegroep." in text
    assert f"pagina 1 van {job.page_count}" in text
