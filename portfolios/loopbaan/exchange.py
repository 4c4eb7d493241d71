"""Loopbaanprofessional initial-certification documents <-> :class:`LoopbaanSnapshot`.

:func:`parse_document` has already checked ``format`` and ``framework``. Keys of tasks,
knowledge areas, competences and attitudes are checked against the framework version the
document names, or the newest version when it names none. ``parse_loopbaan(dump_loopbaan(s))
== s`` for every snapshot the parser can produce.
"""

from __future__ import annotations

from typing import Any

from noloc_portal.validators import EVENT_DATES
from portfolios.evaluation.common import DocumentError
from portfolios.exchange import reader
from portfolios.exchange.document import FORMAT
from portfolios.loopbaan.framework import LOOPBAAN, LoopbaanFramework, loopbaan_framework
from portfolios.loopbaan.rules import (
    AreaText,
    AttitudeAnswer,
    Case,
    CaseTask,
    CompetenceText,
    Course,
    Declaration,
    Diploma,
    Education,
    EducationReport,
    Experience,
    LoopbaanSnapshot,
)

# The API schema's example (exchange.md).
EXAMPLE_DOCUMENT = {
    "format": FORMAT,
    "framework": LOOPBAAN,
    "education": {
        "route": 2,
        "diploma": {
            "level": "hbo",
            "field_mens_en_organisatie": False,
            "signed": True,
            "nvao_accredited": True,
            "croho": "",
            "evidence": "diploma.pdf",
        },
        "evc_report": None,
        "assessment_report": None,
        "courses": [
            {"title": "…", "hours": 60, "quality_mark": True, "signed": True, "evidence": "c1.pdf"}
        ],
    },
    "experience": {
        "years_active": 3,
        "hours": 1500,
        "statement": {"signed": True, "evidence": "ervaring.pdf"},
        "currently_working_statement": {"signed": True, "evidence": "werkzaam.pdf"},
    },
    "cv": "cv.pdf",
    "motivation": "…",
    "cases": [
        {
            "title": "…",
            "started": "2025-01-10",
            "ended": "2025-06-30",
            "rationale": "…",
            "tasks": {"0": {"text": "…"}, "3": {"not_relevant": "…"}},
            "knowledge_areas": {"1": "…", "2": "…"},
            "competences": {"methodisch_werken": "…", "coachen": "…"},
            "attitude": {
                "ethics": "…",
                "self_reflection": "…",
                "development": "…",
                "diversity": "…",
            },
        }
    ],
    "diversity": "…",
    "development_plan": "…",
    "declaration": {"code_of_conduct": True, "complaints_regulation": True, "truthful": True},
}


def _framework(version: str | None) -> LoopbaanFramework:
    try:
        return loopbaan_framework(version=version)
    except LookupError:
        raise DocumentError("framework_version", f"unknown version {version!r}") from None


def _route(education: dict[str, Any], path: str, framework: LoopbaanFramework) -> int | None:
    value = education.get("route")
    if value is None:
        return None
    numbers = [route.number for route in framework.routes]
    # bool is an int in Python; a JSON true is not a route.
    if isinstance(value, bool) or not isinstance(value, int) or value not in numbers:
        allowed = f"{', '.join(map(str, numbers[:-1]))} or {numbers[-1]}"
        raise DocumentError(reader.join(path, "route"), f"must be {allowed}")
    return value


def _diploma(parent: dict[str, Any], path: str) -> Diploma | None:
    diploma = reader.opt_obj(parent, "diploma", path)
    if diploma is None:
        return None
    at = reader.join(path, "diploma")
    return Diploma(
        level=reader.text(diploma, "level", at),
        field_mens_en_organisatie=reader.boolean(diploma, "field_mens_en_organisatie", at),
        signed=reader.boolean(diploma, "signed", at),
        nvao_accredited=reader.boolean(diploma, "nvao_accredited", at),
        croho=reader.text(diploma, "croho", at),
        evidence=reader.evidence(diploma, "evidence", at),
    )


def _report(parent: dict[str, Any], key: str, path: str) -> EducationReport | None:
    report = reader.opt_obj(parent, key, path)
    if report is None:
        return None
    at = reader.join(path, key)
    return EducationReport(
        date=reader.opt_date(report, "date", at),
        level=reader.opt_number(report, "level", at, integer=True),
        provider_recognised=reader.boolean(report, "provider_recognised", at),
        evidence=reader.evidence(report, "evidence", at),
    )


def _course(value: Any, path: str) -> Course:
    course = reader.obj(value, path)
    return Course(
        title=reader.text(course, "title", path),
        hours=reader.opt_number(course, "hours", path),
        quality_mark=reader.boolean(course, "quality_mark", path),
        signed=reader.boolean(course, "signed", path),
        evidence=reader.evidence(course, "evidence", path),
    )


def _education(data: dict[str, Any], framework: LoopbaanFramework) -> Education:
    path = "education"
    education = reader.opt_obj(data, path, "") or {}
    return Education(
        route=_route(education, path, framework),
        diploma=_diploma(education, path),
        evc_report=_report(education, "evc_report", path),
        assessment_report=_report(education, "assessment_report", path),
        courses=tuple(_course(value, at) for at, value in reader.items(education, "courses", path)),
    )


def _experience(data: dict[str, Any]) -> Experience:
    path = "experience"
    experience = reader.opt_obj(data, path, "") or {}
    return Experience(
        years_active=reader.opt_number(experience, "years_active", path),
        hours=reader.opt_number(experience, "hours", path),
        statement=reader.statement(experience, "statement", path),
        currently_working_statement=reader.statement(
            experience, "currently_working_statement", path
        ),
    )


def _keyed(
    case: dict[str, Any], key: str, path: str, known: set[str], unknown: str
) -> list[tuple[str, str, dict[str, Any]]]:
    """The ``(key, path, parent)`` triples of a keyed section, rejecting unknown keys."""
    section = reader.opt_obj(case, key, path) or {}
    at = reader.join(path, key)
    for name in section:
        if name not in known:
            raise DocumentError(reader.join(at, name), unknown)
    return [(name, at, section) for name in section]


def _task(number: int, parent: dict[str, Any], path: str) -> CaseTask:
    at = reader.join(path, str(number))
    entry = reader.obj(parent[str(number)], at)
    has_text = entry.get("text") is not None
    has_motivation = entry.get("not_relevant") is not None
    # exchange.md: a task is either described or marked not relevant, never both or neither.
    if has_text == has_motivation:
        raise DocumentError(at, 'must be either {"text": …} or {"not_relevant": …}')
    if has_text:
        return CaseTask(number, text=reader.text(entry, "text", at))
    return CaseTask(number, not_relevant=reader.text(entry, "not_relevant", at))


def _case(value: Any, path: str, framework: LoopbaanFramework) -> Case:
    case = reader.obj(value, path)
    started = reader.opt_date(case, "started", path, dates=EVENT_DATES)
    ended = reader.opt_date(case, "ended", path, dates=EVENT_DATES)
    if started is not None and ended is not None and ended < started:
        raise DocumentError(reader.join(path, "ended"), "must not be before started")
    tasks = _keyed(case, "tasks", path, {t.key for t in framework.tasks}, "unknown task")
    areas = _keyed(
        case,
        "knowledge_areas",
        path,
        {a.key for a in framework.knowledge_areas},
        "unknown knowledge area",
    )
    competences = _keyed(
        case, "competences", path, {c.key for c in framework.competences}, "unknown competence"
    )
    attitude = _keyed(
        case, "attitude", path, {a.key for a in framework.attitudes}, "unknown attitude"
    )
    return Case(
        title=reader.text(case, "title", path),
        started=started,
        ended=ended,
        rationale=reader.text(case, "rationale", path),
        # A null task reads as an absent one, as null reads as absent elsewhere in the format.
        tasks=tuple(
            _task(int(key), parent, at) for key, at, parent in tasks if parent[key] is not None
        ),
        knowledge_areas=tuple(
            AreaText(int(key), reader.text(parent, key, at)) for key, at, parent in areas
        ),
        competences=tuple(
            CompetenceText(key, reader.text(parent, key, at)) for key, at, parent in competences
        ),
        attitude=tuple(
            AttitudeAnswer(key, reader.text(parent, key, at)) for key, at, parent in attitude
        ),
    )


def _declaration(data: dict[str, Any]) -> Declaration:
    path = "declaration"
    declaration = reader.opt_obj(data, path, "") or {}
    return Declaration(
        code_of_conduct=reader.boolean(declaration, "code_of_conduct", path),
        complaints_regulation=reader.boolean(declaration, "complaints_regulation", path),
        truthful=reader.boolean(declaration, "truthful", path),
    )


def parse_loopbaan(data: dict[str, Any]) -> LoopbaanSnapshot:
    """The snapshot of a Loopbaanprofessional document; raises DocumentError naming the path."""
    version = reader.opt_text(data, "framework_version", "")
    framework = _framework(version)
    return LoopbaanSnapshot(
        education=_education(data, framework),
        experience=_experience(data),
        cv=reader.evidence(data, "cv", ""),
        motivation=reader.text(data, "motivation", ""),
        cases=tuple(_case(value, at, framework) for at, value in reader.items(data, "cases", "")),
        diversity=reader.text(data, "diversity", ""),
        development_plan=reader.text(data, "development_plan", ""),
        declaration=_declaration(data),
        framework_version=version,
    )


def _dump_report(report: EducationReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "date": None if report.date is None else report.date.isoformat(),
        "level": report.level,
        "provider_recognised": report.provider_recognised,
        "evidence": report.evidence,
    }


def _dump_diploma(diploma: Diploma | None) -> dict[str, Any] | None:
    if diploma is None:
        return None
    return {
        "level": diploma.level,
        "field_mens_en_organisatie": diploma.field_mens_en_organisatie,
        "signed": diploma.signed,
        "nvao_accredited": diploma.nvao_accredited,
        "croho": diploma.croho,
        "evidence": diploma.evidence,
    }


def _dump_education(education: Education) -> dict[str, Any]:
    return {
        "route": education.route,
        "diploma": _dump_diploma(education.diploma),
        "evc_report": _dump_report(education.evc_report),
        "assessment_report": _dump_report(education.assessment_report),
        "courses": [
            {
                "title": course.title,
                "hours": course.hours,
                "quality_mark": course.quality_mark,
                "signed": course.signed,
                "evidence": course.evidence,
            }
            for course in education.courses
        ],
    }


def _dump_task(task: CaseTask) -> dict[str, str | None]:
    if task.text is not None:
        return {"text": task.text}
    return {"not_relevant": task.not_relevant}


def _dump_case(case: Case) -> dict[str, Any]:
    return {
        "title": case.title,
        "started": None if case.started is None else case.started.isoformat(),
        "ended": None if case.ended is None else case.ended.isoformat(),
        "rationale": case.rationale,
        "tasks": {str(task.number): _dump_task(task) for task in case.tasks},
        "knowledge_areas": {str(area.number): area.text for area in case.knowledge_areas},
        "competences": {c.key: c.text for c in case.competences},
        "attitude": {a.key: a.text for a in case.attitude},
    }


def dump_loopbaan(snapshot: LoopbaanSnapshot) -> dict[str, Any]:
    """The ``noloc-portfolio/1`` document of a snapshot, in the shape of exchange.md."""
    document: dict[str, Any] = {"format": FORMAT, "framework": LOOPBAAN}
    if snapshot.framework_version is not None:
        document["framework_version"] = snapshot.framework_version
    experience = snapshot.experience
    declaration = snapshot.declaration
    document.update(
        {
            "education": _dump_education(snapshot.education),
            "experience": {
                "years_active": experience.years_active,
                "hours": experience.hours,
                "statement": experience.statement.to_json(),
                "currently_working_statement": experience.currently_working_statement.to_json(),
            },
            "cv": snapshot.cv,
            "motivation": snapshot.motivation,
            "cases": [_dump_case(case) for case in snapshot.cases],
            "diversity": snapshot.diversity,
            "development_plan": snapshot.development_plan,
            "declaration": {
                "code_of_conduct": declaration.code_of_conduct,
                "complaints_regulation": declaration.complaints_regulation,
                "truthful": declaration.truthful,
            },
        }
    )
    return document
