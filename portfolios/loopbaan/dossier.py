"""AS-7 for Loopbaanprofessional: the assessors' dossier of a submission (the portfolio as
submitted): education, experience, both cases per task, the coverage matrix and the rule checks.
Built from the submission's frozen document and evaluation, never from the live rows."""

from __future__ import annotations

from noloc_portal.pdf.registry import Report
from portfolios.dossier import dossier_report
from portfolios.exchange.document import parse_document
from portfolios.loopbaan.checklist import LOOPBAAN_SECTIONS
from portfolios.loopbaan.framework import loopbaan_framework
from portfolios.loopbaan.rules import LoopbaanSnapshot, counted_course_hours
from portfolios.models import Submission

CELL_LABELS = {"described": "beschreven", "not_relevant": "n.v.t.", "missing": "—"}


def _matrix(coverage: dict, framework) -> list[dict]:
    def rows(section: str, items) -> list[dict]:
        return [
            {
                "label": label,
                "cells": [
                    {
                        "state": state,
                        "label": CELL_LABELS[state],
                        # As on the web page: a task missing in a case always needs fixing
                        # (LP-C1-NR); an area or competence only when no case shows it.
                        "tone": state
                        if state != "missing"
                        or section == "tasks"
                        or not coverage[section][key]["covered"]
                        else "",
                    }
                    for state in coverage[section][key]["cases"]
                ],
                "covered": coverage[section][key]["covered"],
            }
            for key, label in items
        ]

    return [
        {
            "title": "Taken",
            "rows": rows("tasks", [(t.key, f"{t.number}. {t.name}") for t in framework.tasks]),
        },
        {
            "title": "Kennisgebieden",
            "rows": rows(
                "knowledge_areas",
                [(a.key, f"{a.number}. {a.name}") for a in framework.knowledge_areas],
            ),
        },
        {
            "title": "Competenties",
            "rows": rows("competences", [(c.key, c.name) for c in framework.competences]),
        },
    ]


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
    snapshot = parse_document(submission.document)
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
        matrix=_matrix(evaluation["coverage"], framework),
        cases=[_case(case, framework) for case in snapshot.cases],
    )
