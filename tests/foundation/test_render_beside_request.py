"""With the embedded default (no broker) a PDF renders beside the request that asked for it: the
submit answers without waiting for the dossier, and the page learns the job's state from
`pdf:status` until the link is there."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from noloc_portal.pdf.models import RenderJob, RenderState
from portfolios.dossier import DOSSIER
from tests.factories import Role, user_with
from tests.portfolios.factories import complete_portfolio

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until_done(job: RenderJob, seconds: float = 60) -> RenderJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in (RenderState.DONE, RenderState.FAILED):
            return job
        time.sleep(0.2)
    raise AssertionError(f"render job {job.pk} still {job.state}")


@override_settings(RENDER_BESIDE_REQUEST=True, CELERY_TASK_ALWAYS_EAGER=True)
def test_submit_answers_before_the_dossier_and_the_page_can_follow_its_state(client):
    portfolio = complete_portfolio()
    client.force_login(portfolio.owner)
    response = client.post(reverse("portfolios:submit", args=[portfolio.pk]))
    assert response.status_code == 302
    job = RenderJob.objects.get(kind=DOSSIER)
    status_url = reverse("pdf:status", args=[job.pk])
    page = client.get(reverse("portfolios:detail", args=[portfolio.pk])).content.decode()
    job.refresh_from_db()
    if job.state != RenderState.DONE:
        # Still being made: the page names the state and where to ask for it.
        assert f'data-render-job="{status_url}"' in page

    job = wait_until_done(job)
    assert job.state == RenderState.DONE and job.page_count >= 1
    answer = client.get(status_url).json()
    assert answer["state"] == "done"
    assert answer["url"] == reverse("pdf:download", args=[job.pk])
    assert "pagina" in answer["label"]
    assert (
        'data-render-job="'
        not in client.get(reverse("portfolios:detail", args=[portfolio.pk])).content.decode()
    )


def test_the_state_of_a_pdf_is_nobody_elses_business(client):
    portfolio = complete_portfolio()
    client.force_login(portfolio.owner)
    client.post(reverse("portfolios:submit", args=[portfolio.pk]))
    job = RenderJob.objects.get(kind=DOSSIER)
    client.force_login(user_with(Role.PROFESSIONAL))
    assert client.get(reverse("pdf:status", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("pdf:status", args=[job.pk])).status_code == 302


def test_a_command_that_queued_pdfs_waits_for_them_before_it_exits(tmp_path):
    """`make run` seeds the demo with the embedded default: every PDF the seed queued is made
    before the command ends (a renderer that died with the process would leave them queued)."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}},
        "DJANGO_SETTINGS_MODULE": "noloc_portal.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "RENDER_BESIDE_REQUEST": "1",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input"], ["seed_demo"]):
        done = subprocess.run(
            [*manage, *command], cwd=root, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr[-3000:]
    states = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from noloc_portal.pdf.models import RenderJob; "
            "print(sorted(set(RenderJob.objects.values_list('state', flat=True))))",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert states.stdout.strip().splitlines()[-1] == "['done']", states.stderr[-3000:]
