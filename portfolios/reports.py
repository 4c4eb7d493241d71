"""AS-7: the assessor's dossier, rendered from a submission (the portfolio as submitted)."""

from __future__ import annotations

from datetime import date

from noloc_portal.pdf.registry import Report, register_report
from portfolios.checklist import JOBCOACH_SECTIONS, STATUS_LABELS
from portfolios.evaluation import Status
from portfolios.exchange.document import parse_document
from portfolios.frameworks import LOOPBAAN
from portfolios.frameworks.jobcoach import jobcoach_framework
from portfolios.models import Submission
from portfolios.permissions import can_view_portfolio

DOSSIER = "portfolio_dossier"


def _can_view(user, submission: Submission) -> bool:
    return can_view_portfolio(user, submission.portfolio)


@register_report(DOSSIER, can_view=_can_view)
def build_dossier(submission: Submission) -> Report:
    portfolio = submission.portfolio
    if portfolio.framework == LOOPBAAN:
        from portfolios.reports_loopbaan import build_loopbaan_dossier

        return build_loopbaan_dossier(submission)
    snapshot = parse_document(submission.document)
    evaluation = submission.evaluation
    framework = jobcoach_framework(version=snapshot.framework_version)
    rules = evaluation["rules"]
    sections = [
        {
            "section": section,
            "rules": [
                {**rule, "label": STATUS_LABELS[Status(rule["status"])]}
                for rule in rules
                if rule["id"].startswith(section.rule_prefixes)
            ],
        }
        for section in JOBCOACH_SECTIONS
    ]
    pe = evaluation["pe"]
    activities = [
        {
            "activity": activity,
            "kind": framework.activity_type(activity.type),
            "score": pe["activities"][index],
        }
        for index, activity in enumerate(snapshot.pe_activities)
    ]
    categories = [
        {"category": category, **pe["categories"][str(category.number)]}
        for category in framework.categories
    ]
    evidence = sorted(
        {
            name
            for name in (
                snapshot.a1.cv,
                snapshot.a1.statement.evidence,
                *(m.statement.evidence for m in snapshot.reflection_meetings),
                *(a.evidence for a in snapshot.pe_activities),
            )
            if name
        }
    )
    title = f"Dossier {portfolio.owner} – indiening {submission.number}"
    return Report(
        template="portfolios/pdf/dossier.html",
        context={
            "title": title,
            "portfolio": portfolio,
            "owner": portfolio.owner,
            "submission": submission,
            "snapshot": snapshot,
            "framework": framework,
            "evaluation": evaluation,
            "sections": sections,
            "activities": activities,
            "categories": categories,
            "pe": pe,
            "evidence": evidence,
            "meetings": [
                {"meeting": meeting, "kind": framework.meeting_kind(meeting.kind)}
                for meeting in snapshot.reflection_meetings
            ],
            "window_start": date.fromisoformat(pe["window"]["start"]),
            "window_end": date.fromisoformat(pe["window"]["end"]),
        },
        title=title,
    )
