"""``manage.py portfolio dossier ID --out FILE.pdf``: an operator renders the dossier of a
portfolio's latest submission in the command's own process (AS-7); bad input exits 2."""

from __future__ import annotations

import json
import re
import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from noloc_portal.pdf.models import RenderJob
from portfolios.models import Submission
from portfolios.services import submit_portfolio
from tests.pdf_files import pdf_pages
from tests.portfolios.factories import (
    PortfolioFactory,
    complete_loopbaan_portfolio,
    complete_portfolio,
)

pytestmark = pytest.mark.django_db


def call(*args: str) -> dict:
    out = StringIO()
    call_command("portfolio", *args, stdout=out)
    return json.loads(out.getvalue())


def submitted(portfolio, capture):
    with capture(execute=False):  # the worker never renders: the command does
        submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    return portfolio


def test_dossier_renders_the_latest_submission_to_the_file(
    tmp_path, django_capture_on_commit_callbacks
):
    portfolio = submitted(
        complete_portfolio(owner__full_name="Olga Operator"), django_capture_on_commit_callbacks
    )
    latest = portfolio.submissions.get()
    Submission.objects.filter(pk=latest.pk).update(number=2)  # as after a resubmission
    out = tmp_path / "dossier.pdf"
    jobs = list(RenderJob.objects.values_list("pk", "state"))

    result = call("dossier", str(portfolio.pk), "--out", str(out))

    data = out.read_bytes()
    pages = pdf_pages(data)
    assert result == {
        "id": portfolio.pk,
        "submission": 2,
        "out": str(out),
        "pages": len(pages),
        "bytes": len(data),
    }
    assert len(pages) >= 2
    text = "\n".join(pages)
    assert "Portfoliodossier Register Jobcoach" in text and "Olga Operator" in text
    assert "pagina 1 van" in pages[0] and "indiening 2" in pages[0]
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(rf"^Pages:\s+{len(pages)}$", info, re.MULTILINE)
    # Nothing queued, nothing stored: the job of the submit is left as it was.
    assert list(RenderJob.objects.values_list("pk", "state")) == jobs


def test_dossier_of_a_loopbaan_portfolio(tmp_path, django_capture_on_commit_callbacks):
    portfolio = submitted(complete_loopbaan_portfolio(), django_capture_on_commit_callbacks)
    out = tmp_path / "lp.pdf"
    call("dossier", str(portfolio.pk), "--out", str(out))
    assert "Loopbaanprofessional" in "".join(pdf_pages(out.read_bytes()))


@pytest.mark.parametrize("portfolio_id", ["999999", "abc", "99999999999999999999999", "-1"])
def test_dossier_of_an_unknown_id_exits_2(tmp_path, portfolio_id):
    with pytest.raises(CommandError, match="no portfolio with id") as error:
        call("dossier", portfolio_id, "--out", str(tmp_path / "out.pdf"))
    assert error.value.returncode == 2
    assert not (tmp_path / "out.pdf").exists()


def test_dossier_of_a_draft_exits_2(tmp_path):
    draft = PortfolioFactory()
    with pytest.raises(CommandError, match="has not been submitted") as error:
        call("dossier", str(draft.pk), "--out", str(tmp_path / "out.pdf"))
    assert error.value.returncode == 2
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("target", ["missing-dir/out.pdf", "."])
def test_dossier_to_a_path_that_cannot_be_written_exits_2(
    tmp_path, django_capture_on_commit_callbacks, target
):
    portfolio = submitted(complete_portfolio(), django_capture_on_commit_callbacks)
    out = str(tmp_path / target)
    with pytest.raises(CommandError, match=r"--out: cannot write") as error:
        call("dossier", str(portfolio.pk), "--out", out)
    assert error.value.returncode == 2
