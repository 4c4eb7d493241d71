"""AS-7: the dossier PDF of a submission, rendered by the pdf app and read back."""

import re
import subprocess

import pytest
from django.urls import reverse

from noloc_portal.pdf.models import RenderState
from noloc_portal.pdf.services import latest_reports
from portfolios.dossier import DOSSIER
from portfolios.services import submit_portfolio
from tests.portfolios.factories import PEActivityFactory, complete_portfolio

pytestmark = pytest.mark.django_db


def pdf_text(path: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_submit_renders_the_dossier(django_capture_on_commit_callbacks, client):
    portfolio = complete_portfolio(owner__full_name="Petra de Jong")
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    job = latest_reports(submission, DOSSIER).get()
    assert job.state == RenderState.DONE, job.error
    assert job.page_count >= 2
    text = pdf_text(job.file.path)
    assert "Portfoliodossier Register Jobcoach" in text
    assert "Petra de Jong" in text
    assert "JC-B-TOTAL" in text and "76 van 75" in text
    assert "Reflectieverslag" in text
    info = subprocess.run(["pdfinfo", job.file.path], capture_output=True, text=True).stdout
    assert re.search(rf"^Pages:\s+{job.page_count}$", info, re.MULTILINE)

    client.force_login(portfolio.owner)
    response = client.get(reverse("portfolios:detail", args=[portfolio.pk]))
    assert reverse("pdf:download", args=[job.pk]) in response.content.decode()
    download = client.get(reverse("pdf:download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"


def test_the_dossier_lists_the_evidence_when_some_activity_has_none(
    django_capture_on_commit_callbacks,
):
    portfolio = complete_portfolio()
    PEActivityFactory(portfolio=portfolio, type="book", title="Werk als medicijn", evidence=None)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    job = latest_reports(submission, DOSSIER).get()
    assert job.state == RenderState.DONE, job.error
    assert "Werk als medicijn" in pdf_text(job.file.path)


def test_dossier_download_is_404_for_outsiders(
    django_capture_on_commit_callbacks, client, other_professional
):
    portfolio = complete_portfolio()
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    job = latest_reports(submission, DOSSIER).get()
    client.force_login(other_professional)
    assert client.get(reverse("pdf:download", args=[job.pk])).status_code == 404
