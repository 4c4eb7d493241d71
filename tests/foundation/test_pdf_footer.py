"""The dossier's page footer names the owner exactly as written: the name once went through
JavaScript escaping inside the stylesheet and "Petra-Jan" came out as "Petrau002DJan"."""

import subprocess

import pytest

from noloc_portal.pdf.models import RenderState
from noloc_portal.pdf.services import latest_reports
from portfolios.dossier import DOSSIER
from portfolios.services import submit_portfolio
from tests.portfolios.factories import complete_portfolio

pytestmark = pytest.mark.django_db

# A hyphen (the reported bug), quotes and a backslash (CSS string syntax), an accent, and markup.
NAME = 'Petra-Jan "PJ" d\'Ançon \\ </style>'


def test_every_page_footer_names_the_owner_as_written(django_capture_on_commit_callbacks):
    portfolio = complete_portfolio(owner__full_name=NAME)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    job = latest_reports(submission, DOSSIER).get()
    assert job.state == RenderState.DONE, job.error
    text = subprocess.run(
        ["pdftotext", "-layout", job.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) == job.page_count >= 2
    for number, page in enumerate(pages, start=1):
        footer = page.rstrip().splitlines()[-1]
        assert f"{NAME} · indiening 1" in footer, (number, footer)
        assert f"pagina {number} van {len(pages)}" in footer
