"""With the embedded default (no broker) a PDF renders beside the request that asked for it: the
submit answers without waiting for the dossier, and the page learns the job's state from
`pdf:status` until the link is there."""

import time

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
