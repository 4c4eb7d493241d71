"""AS-7: the assessor's dossier, rendered from a submission (the portfolio as submitted).

The core registers one report kind; each framework builds its own content with
:func:`dossier_report`, which adds what every dossier shows (title, owner, the checklist as it was
frozen at submit, the evidence list).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from noloc_portal.pdf.registry import Report, register_report
from portfolios import registry
from portfolios.checklist import STATUS_LABELS
from portfolios.evaluation import Status
from portfolios.exchange import reader
from portfolios.exchange.document import parse_document
from portfolios.models import Submission
from portfolios.permissions import can_view_portfolio

DOSSIER = "portfolio_dossier"


def _can_view(user, submission: Submission) -> bool:
    return can_view_portfolio(user, submission.portfolio)


@register_report(DOSSIER, can_view=_can_view)
def build_dossier(submission: Submission) -> Report:
    framework = registry.get(submission.portfolio.framework)
    if framework.dossier is None:
        raise LookupError(f"framework {framework.code!r} has no dossier")
    return framework.dossier(submission)


def frozen_snapshot(submission: Submission):
    """The snapshot of the document frozen at submit, read as it was stored (a date saved
    before the input bounds existed still shows)."""
    with reader.as_stored():
        return parse_document(submission.document)


def dossier_report(submission: Submission, *, template: str, sections, **context: Any) -> Report:
    """The dossier of ``submission``: the frozen document and evaluation, rules per section."""
    portfolio = submission.portfolio
    snapshot = frozen_snapshot(submission)
    evaluation = submission.evaluation
    framework = registry.get(portfolio.framework)
    title = _("Dossier %(owner)s – indiening %(number)s") % {
        "owner": portfolio.owner,
        "number": submission.number,
    }
    return Report(
        template=template,
        context={
            "title": title,
            "portfolio": portfolio,
            "owner": portfolio.owner,
            "submission": submission,
            "snapshot": snapshot,
            "evaluation": evaluation,
            "sections": [
                {
                    "section": section,
                    "rules": [
                        {**rule, "label": STATUS_LABELS[Status(rule["status"])]}
                        for rule in evaluation["rules"]
                        if rule["id"].startswith(section.rule_prefixes)
                    ],
                }
                for section in sections
            ],
            # Evidence not given (a book read needs none) has no name.
            "evidence": sorted(
                {name for _path, name, _kinds in framework.evidence(snapshot) if name is not None}
            ),
            **context,
        },
        title=title,
    )
