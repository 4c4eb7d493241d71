"""Past draft every door shows the evaluation frozen at submit, never a new one (AS-1)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolios import services
from portfolios.evaluation import Status, evaluate
from portfolios.evaluation.common import Evaluation
from portfolios.services import portfolio_snapshot, submit_portfolio
from tests.portfolios.factories import complete_loopbaan_portfolio, complete_portfolio

pytestmark = pytest.mark.django_db

LATER = timedelta(days=3 * 365)


@pytest.fixture
def submitted_loopbaan():
    portfolio = complete_loopbaan_portfolio()
    submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    portfolio.refresh_from_db()
    return portfolio


@pytest.fixture
def three_years_on(monkeypatch):
    later = services.today() + LATER
    monkeypatch.setattr(services, "today", lambda: later)
    return later


def test_a_new_evaluation_years_later_would_fail_lp_c_recent(submitted_loopbaan, three_years_on):
    # The premise of the tests below: judged anew, the cases are too old by now.
    again = evaluate(portfolio_snapshot(submitted_loopbaan), as_of=three_years_on)
    assert again.rule("LP-C-RECENT").status == Status.NOT_MET


def test_the_page_shows_the_evaluation_frozen_at_submit(client, submitted_loopbaan, three_years_on):
    client.force_login(submitted_loopbaan.owner)
    response = client.get(reverse("portfolios:detail", args=[submitted_loopbaan.pk]))
    evaluation = response.context["evaluation"]
    assert evaluation.rule("LP-C-RECENT").status == Status.MET
    # The day of the submission in the Netherlands (after 23:00 UTC it is the next day there).
    assert evaluation.as_of == timezone.localdate(submitted_loopbaan.submitted_at)
    assert evaluation.submittable


def test_the_api_shows_the_evaluation_frozen_at_submit(client, submitted_loopbaan, three_years_on):
    client.force_login(submitted_loopbaan.owner)
    url = f"/api/v1/portfolios/{submitted_loopbaan.pk}/evaluation/"
    body = client.get(url, {"as_of": three_years_on.isoformat()}).json()
    assert body == submitted_loopbaan.submissions.get().evaluation
    assert {r["id"]: r["status"] for r in body["rules"]}["LP-C-RECENT"] == "met"


def test_a_jobcoach_page_past_draft_shows_the_frozen_pe_summary(client, three_years_on):
    portfolio = complete_portfolio()
    submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    client.force_login(portfolio.owner)
    response = client.get(reverse("portfolios:pe", args=[portfolio.pk]))
    frozen = portfolio.submissions.get().evaluation
    assert response.context["evaluation"].to_json() == frozen


def test_a_stored_evaluation_reads_back_whole():
    portfolio_json = {
        "framework": "x",
        "framework_version": "1",
        "as_of": "2026-01-31",
        "submittable": False,
        "rules": [{"id": "X-1", "status": "not_met", "message": "Nee.", "path": "a"}],
        "pe": {"total": 3},
    }
    evaluation = Evaluation.from_json(portfolio_json)
    assert evaluation.to_json() == portfolio_json
