"""AS-7: the assessment report of a round, rendered by the pdf app as a new version each time.

It shows what the round judged and concluded: per criterion of the framework version each
assessor's verdict and explanation, the certification interview (Loopbaanprofessional), the
advice and the development advice. Built from the rows of the round, so a version rendered again
after a correction shows the correction; the versions rendered before stay downloadable.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Advice,
    AdviceOutcome,
    AssessmentRound,
    AssignmentState,
    Interview,
)
from assessments.permissions import can_view_assessment_report
from noloc_portal.pdf.models import RenderJob, RenderState
from noloc_portal.pdf.registry import Report, register_report
from noloc_portal.pdf.services import latest_reports, latest_version_number
from portfolios.registry import framework_version

ASSESSMENT_REPORT = "assessment_report"


def _exempt_rules(submission) -> set[str]:
    if submission is None:
        return set()
    return {rule["id"] for rule in submission.evaluation["rules"] if rule["status"] == "exempt"}


def _version_being_rendered(round: AssessmentRound) -> int:
    """The version number the report is rendered as: the job a worker holds, else the newest."""
    running = (
        latest_reports(round, ASSESSMENT_REPORT)
        .filter(state=RenderState.RUNNING)
        .values_list("version", flat=True)
        .first()
    )
    return running or latest_version_number(round, ASSESSMENT_REPORT)


def _criteria(version, assignments, submission) -> list[dict]:
    exempt = _exempt_rules(submission)
    by_assignment = {
        assignment.pk: {judgement.criterion: judgement for judgement in assignment.judgements.all()}
        for assignment in assignments
    }
    rows = []
    for criterion in version.criteria:
        verdicts = []
        for assignment in assignments:
            judgement = by_assignment[assignment.pk].get(criterion.key)
            given = judgement is not None and judgement.verdict
            verdicts.append(
                {
                    "assessor": assignment.assessor,
                    "verdict": judgement.verdict if given else "",
                    "label": judgement.get_verdict_display() if given else _("nog geen oordeel"),
                    "explanation": judgement.explanation if judgement is not None else "",
                }
            )
        skipped = bool(criterion.skip_when_exempt) and criterion.skip_when_exempt in exempt
        rows.append(
            {
                "criterion": criterion,
                "skipped": skipped,
                "verdicts": verdicts,
            }
        )
    return rows


def _interview(round: AssessmentRound, version) -> dict | None:
    interview = (
        Interview.objects.filter(round=round)
        .select_related("recorded_by")
        .prefetch_related("criterion_notes")
        .first()
    )
    if interview is None:
        return None
    notes = {note.criterion: note.notes for note in interview.criterion_notes.all()}
    return {
        "interview": interview,
        "notes": [
            {"criterion": criterion, "notes": notes[criterion.key]}
            for criterion in version.criteria
            if notes.get(criterion.key)
        ],
    }


def _section_label(key: str, version) -> str:
    """A reopened section named by what it holds (the framework data gives sections no title
    of their own): its one criterion, else the groups of its criteria."""
    criteria = [criterion for criterion in version.criteria if criterion.section == key]
    if len(criteria) == 1:
        return f"{criteria[0].code} {criteria[0].title}"
    groups = list(dict.fromkeys(criterion.group for criterion in criteria if criterion.group))
    if groups:
        return "; ".join(groups)
    return "; ".join(criterion.code for criterion in criteria) or key


def _supplement_sections(advice: Advice | None, version) -> list[str]:
    if advice is None or advice.outcome != AdviceOutcome.SUPPLEMENT:
        return []
    return [_section_label(key, version) for key in advice.supplement_sections]


def _can_view(user, round: AssessmentRound) -> bool:
    return can_view_assessment_report(user, round)


@register_report(ASSESSMENT_REPORT, can_view=_can_view)
def build_assessment_report(round: AssessmentRound) -> Report:
    round = AssessmentRound.objects.select_related("portfolio__owner", "submission").get(
        pk=round.pk
    )
    portfolio = round.portfolio
    version = framework_version(portfolio.framework, version=portfolio.framework_version)
    assignments = list(
        round.assignments.exclude(state=AssignmentState.DECLINED)
        .select_related("assessor")
        .prefetch_related("judgements")
        .order_by("assigned_at", "pk")
    )
    advice = Advice.objects.filter(round=round).select_related("advised_by").first()
    title = _("Beoordelingsrapport %(owner)s – ronde %(number)s") % {
        "owner": portfolio.owner,
        "number": round.number,
    }
    return Report(
        template="assessments/pdf/assessment_report.html",
        context={
            "title": title,
            "portfolio": portfolio,
            "owner": portfolio.owner,
            "round": round,
            "submission": round.submission,
            "framework": version,
            "report_version": _version_being_rendered(round),
            "assignments": assignments,
            "criteria": _criteria(version, assignments, round.submission),
            "interview": _interview(round, version),
            "advice": advice,
            "supplement_sections": _supplement_sections(advice, version),
            "generated_at": timezone.now(),
        },
        title=title,
    )


def report_versions(round: AssessmentRound) -> list[RenderJob]:
    """Every version of the round's assessment report, newest first."""
    return list(latest_reports(round, ASSESSMENT_REPORT))
