"""The PDFs of an assessment round for ``assessments/_reports.html``: the dossier versions of the
submission the round judges and the versions of its assessment report (AS-7), each list only
for a reader who may download it."""

from __future__ import annotations

from django import template

from assessments.reports import ASSESSMENT_REPORT
from noloc_portal.pdf.registry import report_kind
from noloc_portal.pdf.services import latest_reports
from portfolios.dossier import DOSSIER

register = template.Library()


def _readable(user, kind: str, target) -> list:
    if target is None or not (user.is_staff or report_kind(kind).can_view(user, target)):
        return []
    return list(latest_reports(target, kind).only("pk", "version", "state", "page_count"))


@register.simple_tag(takes_context=True)
def round_pdfs(context, round) -> dict[str, list]:
    user = context["request"].user
    return {
        "dossiers": _readable(user, DOSSIER, round.submission),
        "reports": _readable(user, ASSESSMENT_REPORT, round),
    }
