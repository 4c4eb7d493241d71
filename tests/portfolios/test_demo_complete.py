"""Each framework gives the apps built on the core a demo portfolio that meets every rule."""

import pytest

from portfolios import registry, services
from portfolios.models import PortfolioState
from tests.factories import Role, user_with

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["jobcoach-recertification", "loopbaanprofessional-initial"])
def test_demo_complete_portfolio_submits(code):
    owner = user_with(Role.PROFESSIONAL, full_name="Demo Eigenaar")
    portfolio = registry.get(code).demo_complete_portfolio(owner)
    evaluation = services.evaluate_portfolio(portfolio)
    assert evaluation.submittable, [r for r in evaluation.rules if r.status == "not_met"]
    services.submit_portfolio(portfolio=portfolio, by=owner)
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.SUBMITTED
