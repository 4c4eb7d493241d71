"""AS-7 for Loopbaanprofessional: the assessors' dossier of a submission (the portfolio as
submitted): education, experience, both cases per task, the coverage matrix and the rule checks.
Built from the submission's frozen document and evaluation, never from the live rows."""

from __future__ import annotations

from noloc_portal.pdf.registry import Report
from portfolios.dossier import dossier_report, frozen_snapshot
from portfolios.loopbaan.checklist import LOOPBAAN_SECTIONS, coverage_matrix
from portfolios.loopbaan.framework import loopbaan_framework
from portfolios.loopbaan.rules import LoopbaanSnapshot, counted_course_hours
from portfolios.models import Submission


def _case(case, framework) -> dict:
    return {
        "case": case,
        "tasks": [{"task": task, "entry": case.task(task.number)} for task in framework.tasks],
        "areas": [
            {"area": area, "text": case.area_text(area.number)}
            for area in framework.knowledge_areas
            if case.area_text(area.number)
        ],
        "competences": [
            {"competence": c, "text": case.competence_text(c.key)}
            for c in framework.competences
            if case.competence_text(c.key)
        ],
        "attitude": [
            {"attitude": a, "text": case.attitude_text(a.key)} for a in framework.attitudes
        ],
    }


def build_loopbaan_dossier(submission: Submission) -> Report:
    snapshot = frozen_snapshot(submission)
    if not isinstance(snapshot, LoopbaanSnapshot):
        raise TypeError(f"submission {submission.pk} is not a Loopbaanprofessional document")
    evaluation = submission.evaluation
    framework = loopbaan_framework(version=evaluation["framework_version"])
    education = snapshot.education
    route = framework.route(education.route) if education.route else None
    counted = counted_course_hours(education.courses)
    rejected = dict(counted.rejected)
    return dossier_report(
        submission,
        template="portfolios/loopbaan/pdf/dossier.html",
        sections=LOOPBAAN_SECTIONS,
        framework=framework,
        route=route,
        report=education.report(route.document) if route and route.needs_report else None,
        courses=[
            {"course": course, "failures": rejected.get(index, ())}
            for index, course in enumerate(education.courses)
        ],
        hours_total=counted.total,
        # The tones of the web page's matrix, computed there (no links in a PDF).
        matrix=coverage_matrix(
            submission.portfolio, evaluation["coverage"], framework, case_ids=[]
        ),
        cases=[_case(case, framework) for case in snapshot.cases],
    )
