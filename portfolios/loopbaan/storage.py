"""Loopbaanprofessional documents <-> models: the LP half of :mod:`portfolios.exchange.storage`.

``storage`` validates and stores files and runs the transaction; this module names the evidence
of an LP snapshot, checks every value against its column before anything is written, creates the
rows, and lists the stored files an export needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from noloc_portal.documents.models import Document
from noloc_portal.documents.validation import EVIDENCE_KINDS
from portfolios.evaluation.common import DocumentError
from portfolios.loopbaan.framework import LOOPBAAN, loopbaan_framework
from portfolios.loopbaan.models import (
    Case,
    CaseTask,
    CaseText,
    CaseTextKind,
    Course,
    LoopbaanDetails,
)
from portfolios.loopbaan.rules import Case as CaseSnapshot
from portfolios.loopbaan.rules import LoopbaanSnapshot
from portfolios.loopbaan.snapshot import LOOPBAAN_DOCUMENTS
from portfolios.models import Portfolio
from portfolios.registry import framework_version
from portfolios.snapshots import bundle_name


def loopbaan_evidence(snapshot: LoopbaanSnapshot) -> list[tuple[str, str | None, tuple]]:
    """Every evidence name of an LP document with its JSON path, in document order."""
    education = snapshot.education
    experience = snapshot.experience
    found: list[tuple[str, str | None, tuple]] = []
    if education.diploma is not None:
        found.append(("education.diploma.evidence", education.diploma.evidence, EVIDENCE_KINDS))
    for key in ("evc_report", "assessment_report"):
        report = getattr(education, key)
        if report is not None:
            found.append((f"education.{key}.evidence", report.evidence, EVIDENCE_KINDS))
    found += [
        (f"education.courses[{i}].evidence", course.evidence, EVIDENCE_KINDS)
        for i, course in enumerate(education.courses)
    ]
    found += [
        ("experience.statement.evidence", experience.statement.evidence, EVIDENCE_KINDS),
        (
            "experience.currently_working_statement.evidence",
            experience.currently_working_statement.evidence,
            EVIDENCE_KINDS,
        ),
        ("cv", snapshot.cv, EVIDENCE_KINDS),
    ]
    return found


def loopbaan_evidence_sections(snapshot: LoopbaanSnapshot) -> list[tuple[str, str, str]]:
    """The evidence of an LP document by checklist section, labelled for the assessor."""
    education = snapshot.education
    experience = snapshot.experience
    found: list[tuple[str, str, str | None]] = []
    if education.diploma is not None:
        found.append(("education", _("Diploma"), education.diploma.evidence))
    if education.evc_report is not None:
        found.append(("education", _("EVC-rapport"), education.evc_report.evidence))
    if education.assessment_report is not None:
        found.append(("education", _("Assessmentrapport"), education.assessment_report.evidence))
    for number, course in enumerate(education.courses, start=1):
        label = _("Certificaat cursus %(n)d: %(title)s") % {
            "n": number,
            "title": course.title or "-",
        }
        found.append(("education", label, course.evidence))
    found += [
        ("experience", _("Cv"), snapshot.cv),
        ("experience", _("Verklaring werkervaring"), experience.statement.evidence),
        (
            "experience",
            _("Verklaring huidige werkzaamheden"),
            experience.currently_working_statement.evidence,
        ),
    ]
    return [(section, label, name) for section, label, name in found if name]


def _details_values(snapshot: LoopbaanSnapshot, fits: Callable) -> dict[str, Any]:
    education = snapshot.education
    diploma = education.diploma
    evc = education.evc_report
    assessment = education.assessment_report
    experience = snapshot.experience
    values: dict[str, Any] = {
        "route": education.route,
        "experience_years": experience.years_active,
        "experience_hours": experience.hours,
        "experience_statement_signed": experience.statement.signed,
        "working_statement_signed": experience.currently_working_statement.signed,
        "motivation": snapshot.motivation,
        "diversity": snapshot.diversity,
        "development_plan": snapshot.development_plan,
        "declares_truthful": snapshot.declaration.truthful,
    }
    paths = {
        "experience_years": "experience.years_active",
        "experience_hours": "experience.hours",
        "motivation": "motivation",
        "diversity": "diversity",
        "development_plan": "development_plan",
    }
    if diploma is not None:
        values |= {
            # Stored as written (the form offers hbo and wo); the engine trims and ignores case.
            "diploma_level": diploma.level,
            "diploma_field_mens_en_organisatie": diploma.field_mens_en_organisatie,
            "diploma_croho": diploma.croho,
            "diploma_signed": diploma.signed,
            "diploma_nvao_accredited": diploma.nvao_accredited,
        }
        paths |= {
            "diploma_level": "education.diploma.level",
            "diploma_croho": "education.diploma.croho",
        }
    for prefix, key, report in (
        ("evc", "evc_report", evc),
        ("assessment", "assessment_report", assessment),
    ):
        if report is not None:
            values |= {
                f"{prefix}_date": report.date,
                f"{prefix}_level": report.level,
                f"{prefix}_provider_recognised": report.provider_recognised,
            }
            paths[f"{prefix}_level"] = f"education.{key}.level"
    fits(LoopbaanDetails, values, paths)
    return values


def _case_rows(
    case: CaseSnapshot, index: int, fits: Callable
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    path = f"cases[{index}]"
    values = {
        "number": index + 1,
        "title": case.title,
        "started": case.started,
        "ended": case.ended,
        "rationale": case.rationale,
    }
    fits(Case, values, {"title": f"{path}.title", "rationale": f"{path}.rationale"})
    tasks = []
    for task in case.tasks:
        row = {
            "number": task.number,
            "not_relevant": task.text is None,
            "text": task.text if task.text is not None else task.not_relevant,
        }
        fits(CaseTask, row, {"text": f"{path}.tasks.{task.number}"})
        tasks.append(row)
    texts = []
    for kind, key, items in (
        (
            CaseTextKind.KNOWLEDGE_AREA,
            "knowledge_areas",
            [(str(a.number), a.text) for a in case.knowledge_areas],
        ),
        (CaseTextKind.COMPETENCE, "competences", [(c.key, c.text) for c in case.competences]),
        (CaseTextKind.ATTITUDE, "attitude", [(a.key, a.text) for a in case.attitude]),
    ):
        for name, text in items:
            row = {"kind": kind, "key": name, "text": text}
            fits(CaseText, row, {"text": f"{path}.{key}.{name}"})
            texts.append(row)
    return values, tasks, texts


def loopbaan_rows(snapshot: LoopbaanSnapshot, fits: Callable) -> dict[str, Any]:
    """Every value of the document checked against its column; raises DocumentError."""
    limit = loopbaan_framework(version=snapshot.framework_version).case_count
    if len(snapshot.cases) > limit:
        # Case.number is 1 or 2: a portfolio holds the cases LP-C asks for, no more.
        raise DocumentError(f"cases[{limit}]", f"a portfolio holds at most {limit} cases")
    courses = []
    for i, course in enumerate(snapshot.education.courses):
        values = {
            "title": course.title,
            "hours": course.hours,
            "quality_mark": course.quality_mark,
            "signed": course.signed,
        }
        fits(
            Course, values, {name: f"education.courses[{i}].{name}" for name in ("title", "hours")}
        )
        courses.append(values)
    return {
        "details": _details_values(snapshot, fits),
        "courses": courses,
        "cases": [_case_rows(case, i, fits) for i, case in enumerate(snapshot.cases)],
    }


def create_loopbaan(
    snapshot: LoopbaanSnapshot,
    rows: dict[str, Any],
    *,
    portfolio: Portfolio,
    document_of: Callable[[str | None], Document | None],
) -> None:
    """Create the LP rows of a freshly created portfolio (inside the import transaction)."""
    education = snapshot.education
    experience = snapshot.experience

    def evidence(item) -> Document | None:
        return None if item is None else document_of(item.evidence)

    LoopbaanDetails.objects.create(
        portfolio=portfolio,
        diploma=evidence(education.diploma),
        evc_report=evidence(education.evc_report),
        assessment_report=evidence(education.assessment_report),
        experience_statement=evidence(experience.statement),
        working_statement=evidence(experience.currently_working_statement),
        **rows["details"],
    )
    Course.objects.bulk_create(
        Course(portfolio=portfolio, certificate=document_of(course.evidence), **values)
        for course, values in zip(education.courses, rows["courses"], strict=True)
    )
    for values, tasks, texts in rows["cases"]:
        case = Case.objects.create(portfolio=portfolio, **values)
        CaseTask.objects.bulk_create(CaseTask(case=case, **row) for row in tasks)
        CaseText.objects.bulk_create(CaseText(case=case, **row) for row in texts)


def loopbaan_sources(portfolio: Portfolio) -> dict[str, Document]:
    """The stored files of a prefetched LP portfolio by their name in the bundle."""
    sources: dict[str, Document] = {}
    stored = [portfolio.cv]
    details = getattr(portfolio, "loopbaan", None)
    if details is not None:
        stored += [getattr(details, name) for name in LOOPBAAN_DOCUMENTS]
    stored += [course.certificate for course in portfolio.courses.all()]
    for document in stored:
        if document is not None:
            sources[bundle_name(document)] = document
    return sources


def loopbaan_creator(snapshot: LoopbaanSnapshot, owner, fits: Callable):
    """The framework version and a function creating the portfolio of an LP document, after
    every value was checked (nothing is written here). The version is the document's, else the
    one in force today, as the engine chooses for an evaluation as of today."""
    version = (
        snapshot.framework_version or framework_version(LOOPBAAN, on=timezone.localdate()).version
    )
    fits(Portfolio, {"framework_version": version}, {"framework_version": "framework_version"})
    rows = loopbaan_rows(snapshot, fits)

    def create(document_of: Callable[[str | None], Document | None]) -> Portfolio:
        portfolio = Portfolio.objects.create(
            owner=owner,
            framework=LOOPBAAN,
            framework_version=version,
            cv=document_of(snapshot.cv),
            declares_code_of_conduct=snapshot.declaration.code_of_conduct,
            declares_complaints_regulation=snapshot.declaration.complaints_regulation,
        )
        create_loopbaan(snapshot, rows, portfolio=portfolio, document_of=document_of)
        return portfolio

    return version, create
