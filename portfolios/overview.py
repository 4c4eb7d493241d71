"""``portfolios:detail`` as every framework shows it: the checklist by section, the submit card
and the assessor's dossier. A framework's overview adds its own parts to the context and to
``portfolios/overview.html``; a framework without parts of its own needs nothing more."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.shortcuts import render

from noloc_portal.pdf.services import latest_reports
from portfolios import hooks
from portfolios.checklist import PortfolioPages, Section, build_checklist
from portfolios.dossier import DOSSIER
from portfolios.evaluation import Evaluation
from portfolios.models import Portfolio, PortfolioState
from portfolios.permissions import can_edit_portfolio
from portfolios.selectors import latest_submission
from portfolios.services import evaluate_portfolio

OVERVIEW_TEMPLATE = "portfolios/overview.html"


def overview_context(
    request,
    portfolio: Portfolio,
    *,
    sections: Sequence[Section],
    fix_url: Callable[[str], str],
    evaluation: Evaluation | None = None,
    pages: PortfolioPages | None = None,
) -> dict[str, Any]:
    """What ``portfolios/overview.html`` reads; ``fix_url`` maps a rule's JSON path to the page
    where it is fixed (``pages``: the portfolio's pages it links to, when ``fix_url`` shares
    them). The owner sees the live evaluation during a supplement round (may it be
    resubmitted?) with links into the reopened sections; everyone else the frozen one."""
    is_owner = portfolio.owner_id == request.user.pk
    evaluation = evaluation or evaluate_portfolio(portfolio, live=is_owner)
    checklist = build_checklist(
        portfolio, evaluation, sections=sections, fix_url=fix_url, pages=pages
    )
    submission = latest_submission(portfolio)
    supplement = is_owner and portfolio.state == PortfolioState.SUPPLEMENT_REQUESTED
    return {
        "portfolio": portfolio,
        "evaluation": evaluation,
        "nav": checklist,
        "sections": checklist,
        "editable": can_edit_portfolio(request.user, portfolio),
        "is_owner": is_owner,
        "reopened": list(portfolio.reopened_sections) if supplement else [],
        "notices": hooks.overview_notices(request=request, portfolio=portfolio),
        "submission": submission,
        "dossiers": latest_reports(submission, DOSSIER) if submission else [],
    }


def render_overview(
    request,
    portfolio: Portfolio,
    *,
    sections: Sequence[Section],
    fix_url: Callable[[str], str],
    template: str = OVERVIEW_TEMPLATE,
    **extra: Any,
):
    context = overview_context(request, portfolio, sections=sections, fix_url=fix_url)
    return render(request, template, context | extra)
