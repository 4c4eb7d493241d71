"""What the professional sees of the assessment of their portfolio, at every step (workflow.md):
the status card on the portfolio overview."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from assessments.diff import SECTIONS
from assessments.models import Advice, AdviceOutcome, AssignmentState, Decision, Registration
from assessments.reports import ASSESSMENT_REPORT
from noloc_portal.pdf.services import latest_reports
from portfolios.models import Portfolio, PortfolioState


def reopened_sections(portfolio: Portfolio, keys) -> list[dict[str, Any]]:
    """The checklist sections named by ``keys``, in checklist order, with their page."""
    wanted = set(keys)
    return [
        {
            "key": section.key,
            "code": section.code,
            "title": section.title,
            "url": reverse(section.url_name, args=[portfolio.pk]),
        }
        for section in SECTIONS.get(portfolio.framework, ())
        if section.key in wanted
    ]


def assessment_report(round) -> Any:
    """The newest finished assessment report of ``round`` (AS-7), if any."""
    return latest_reports(round, ASSESSMENT_REPORT).filter(state="done").first()


def owner_status(portfolio: Portfolio) -> dict[str, Any] | None:
    """The context of the owner's status card; None for a draft or a withdrawn portfolio."""
    if portfolio.state in (PortfolioState.DRAFT, PortfolioState.WITHDRAWN):
        return None
    latest = portfolio.rounds.select_related("submission").order_by("-number").first()
    context: dict[str, Any] = {
        "portfolio": portfolio,
        "state": portfolio.state,
        "round": latest,
        "submission": portfolio.submissions.order_by("-number").first(),
        "assessors": 0,
    }
    if latest is not None:
        context["assessors"] = latest.assignments.exclude(state=AssignmentState.DECLINED).count()
    if portfolio.state == PortfolioState.SUPPLEMENT_REQUESTED and latest is not None:
        advice = Advice.objects.filter(round=latest, outcome=AdviceOutcome.SUPPLEMENT).first()
        context["advice"] = advice
        context["sections"] = reopened_sections(portfolio, portfolio.reopened_sections)
    if portfolio.state == PortfolioState.DECIDED:
        decision = (
            Decision.objects.filter(portfolio=portfolio).select_related("advice__round").first()
        )
        context["decision"] = decision
        if decision is not None:
            context["advice"] = decision.advice
            context["registration"] = Registration.objects.filter(decision=decision).first()
            context["report"] = assessment_report(decision.advice.round)
    return context
