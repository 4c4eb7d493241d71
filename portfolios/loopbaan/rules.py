"""Register Loopbaanprofessional, initial certification: the snapshot and its rules (LP-A … LP-E).

Pure functions over frozen dataclasses: no ORM, no request, no clock. Rule values come from
``portfolios.loopbaan.framework``; messages are Dutch source texts through gettext, translated
when a portfolio is evaluated.
Messages number cases and courses from 1; paths number them from 0, as JSON does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import pgettext

from portfolios.evaluation.common import (
    Evaluation,
    RuleResult,
    Statement,
    Status,
    enumeration,
    is_blank,
    written_day,
    years_before,
)
from portfolios.evaluation.translated import gettext, ngettext, translated_once
from portfolios.loopbaan.framework import (
    EducationRoute,
    LoopbaanFramework,
    RouteDocument,
    loopbaan_framework,
)

# ---------------------------------------------------------------------------------------------
# The snapshot: everything the LP rules read, as exchange.md lays it out.


@dataclass(frozen=True)
class Diploma:
    level: str = ""
    field_mens_en_organisatie: bool = False
    signed: bool = False
    nvao_accredited: bool = False
    croho: str = ""
    evidence: str | None = None


@dataclass(frozen=True)
class EducationReport:
    """An EVC report (route 3) or an assessment report (route 4)."""

    date: dt.date | None = None
    level: int | None = None
    provider_recognised: bool = False
    evidence: str | None = None


@dataclass(frozen=True)
class Course:
    title: str = ""
    hours: float | None = None
    quality_mark: bool = False
    signed: bool = False
    evidence: str | None = None


@dataclass(frozen=True)
class Education:
    route: int | None = None
    diploma: Diploma | None = None
    evc_report: EducationReport | None = None
    assessment_report: EducationReport | None = None
    courses: tuple[Course, ...] = ()

    def report(self, document: RouteDocument) -> EducationReport | None:
        if document is RouteDocument.EVC_REPORT:
            return self.evc_report
        if document is RouteDocument.ASSESSMENT_REPORT:
            return self.assessment_report
        raise ValueError(f"{document} is not a report")


@dataclass(frozen=True)
class Experience:
    years_active: float | None = None
    hours: float | None = None
    statement: Statement = field(default_factory=Statement)
    currently_working_statement: Statement = field(default_factory=Statement)


@dataclass(frozen=True)
class CaseTask:
    """One task of one case: described (``text``) or not relevant (``not_relevant`` motivation).

    A task the case does not mention has no ``CaseTask`` at all, so "absent" stays distinct from
    "given but blank".
    """

    number: int
    text: str | None = None
    not_relevant: str | None = None

    def __post_init__(self) -> None:
        if (self.text is None) == (self.not_relevant is None):
            raise ValueError("a case task has either a text or a not-relevant motivation")


@dataclass(frozen=True)
class AreaText:
    number: int
    text: str


@dataclass(frozen=True)
class CompetenceText:
    key: str
    text: str


@dataclass(frozen=True)
class AttitudeAnswer:
    key: str
    text: str


@dataclass(frozen=True)
class Case:
    title: str = ""
    started: dt.date | None = None
    ended: dt.date | None = None
    rationale: str = ""
    tasks: tuple[CaseTask, ...] = ()
    knowledge_areas: tuple[AreaText, ...] = ()
    competences: tuple[CompetenceText, ...] = ()
    attitude: tuple[AttitudeAnswer, ...] = ()

    def task(self, number: int) -> CaseTask | None:
        return next((task for task in self.tasks if task.number == number), None)

    def area_text(self, number: int) -> str | None:
        return next((area.text for area in self.knowledge_areas if area.number == number), None)

    def competence_text(self, key: str) -> str | None:
        return next((c.text for c in self.competences if c.key == key), None)

    def attitude_text(self, key: str) -> str | None:
        return next((a.text for a in self.attitude if a.key == key), None)


@dataclass(frozen=True)
class Declaration:
    code_of_conduct: bool = False
    complaints_regulation: bool = False
    truthful: bool = False


@dataclass(frozen=True)
class LoopbaanSnapshot:
    education: Education = field(default_factory=Education)
    experience: Experience = field(default_factory=Experience)
    cv: str | None = None
    motivation: str = ""
    cases: tuple[Case, ...] = ()
    diversity: str = ""
    development_plan: str = ""
    declaration: Declaration = field(default_factory=Declaration)
    framework_version: str | None = None


# ---------------------------------------------------------------------------------------------
# Coverage: tasks, knowledge areas and competences against the cases (LP-C1, LP-C2, LP-C3).


class CellState(StrEnum):
    DESCRIBED = "described"
    NOT_RELEVANT = "not_relevant"
    # Absent, blank, or marked not relevant without a motivation.
    MISSING = "missing"


@dataclass(frozen=True)
class CoverageRow:
    """One task, knowledge area or competence: its state in each case, in case order."""

    key: str
    cells: tuple[CellState, ...]

    @property
    def covered(self) -> bool:
        return CellState.DESCRIBED in self.cells

    def to_json(self) -> dict[str, Any]:
        return {"cases": [str(cell) for cell in self.cells], "covered": self.covered}


@dataclass(frozen=True)
class Coverage:
    """The matrix the web page renders; rows follow the framework's order.

    JSON shape (``Evaluation.extra["coverage"]``)::

        {"tasks": {"0": {"cases": ["described", "not_relevant"], "covered": true}, ...},
         "knowledge_areas": {"1": {"cases": ["described", "missing"], "covered": true}, ...},
         "competences": {"methodisch_werken": {"cases": [...], "covered": false}, ...}}

    ``cases`` has one state per case, in document order; ``not_relevant`` occurs for tasks
    only. ``covered`` is true when at least one case describes the row.
    """

    tasks: tuple[CoverageRow, ...]
    knowledge_areas: tuple[CoverageRow, ...]
    competences: tuple[CoverageRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "tasks": {row.key: row.to_json() for row in self.tasks},
            "knowledge_areas": {row.key: row.to_json() for row in self.knowledge_areas},
            "competences": {row.key: row.to_json() for row in self.competences},
        }


def _task_state(task: CaseTask | None) -> CellState:
    if task is None:
        return CellState.MISSING
    if task.text is not None:
        return CellState.MISSING if is_blank(task.text) else CellState.DESCRIBED
    # LP-C1-NR: "not relevant" only counts with a written motivation.
    return CellState.MISSING if is_blank(task.not_relevant) else CellState.NOT_RELEVANT


def _text_state(text: str | None) -> CellState:
    return CellState.MISSING if is_blank(text) else CellState.DESCRIBED


def coverage(snapshot: LoopbaanSnapshot, framework: LoopbaanFramework) -> Coverage:
    """Which case covers which task, knowledge area and competence."""
    cases = snapshot.cases
    return Coverage(
        tasks=tuple(
            CoverageRow(task.key, tuple(_task_state(case.task(task.number)) for case in cases))
            for task in framework.tasks
        ),
        knowledge_areas=tuple(
            CoverageRow(area.key, tuple(_text_state(case.area_text(area.number)) for case in cases))
            for area in framework.knowledge_areas
        ),
        competences=tuple(
            CoverageRow(c.key, tuple(_text_state(case.competence_text(c.key)) for case in cases))
            for c in framework.competences
        ),
    )


# ---------------------------------------------------------------------------------------------
# Wording shared by the rules. Messages are Dutch source texts through gettext, translated when
# a portfolio is evaluated.


def _document_name(document: RouteDocument) -> str:
    return {
        RouteDocument.DIPLOMA: gettext("het diploma"),
        RouteDocument.EVC_REPORT: gettext("de EVC-rapportage"),
        RouteDocument.ASSESSMENT_REPORT: gettext("het assessmentrapport"),
    }[document]


def _not_recognised(document: RouteDocument) -> str:
    if document is RouteDocument.EVC_REPORT:
        return gettext("de EVC-rapportage komt niet van een erkende EVC-aanbieder")
    return gettext(
        "het assessment is niet afgenomen door een geaccrediteerd bureau of een zelfstandig "
        "gevestigde NIP-psycholoog"
    )


def _or() -> str:
    return pgettext("enumeration", "of")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _amount(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return str(value).replace(".", ",")


def _titled(label: str, title: str) -> str:
    return label if is_blank(title) else f"{label} (‘{title.strip()}’)"


def _case_label(index: int, case: Case) -> str:
    return _titled(gettext("Casus %(number)s") % {"number": index + 1}, case.title)


def _task_label(framework: LoopbaanFramework, number: int) -> str:
    return gettext("taak %(number)s (%(name)s)") % {
        "number": number,
        "name": framework.task(number).name,
    }


def _area_label(framework: LoopbaanFramework, number: int) -> str:
    return gettext("kennisgebied %(number)s (%(name)s)") % {
        "number": number,
        "name": framework.knowledge_area(number).name,
    }


def _route_label(route: EducationRoute) -> str:
    return gettext("Route %(number)s (%(name)s)") % {"number": route.number, "name": route.name}


def _route_numbers(routes: Sequence[EducationRoute], conjunction: str | None = None) -> str:
    return enumeration([str(route.number) for route in routes], conjunction)


def _met(rule_id: str, message: str, path: str) -> RuleResult:
    return RuleResult(rule_id, Status.MET, message, path)


def _not_met(rule_id: str, message: str, path: str) -> RuleResult:
    return RuleResult(rule_id, Status.NOT_MET, message, path)


@dataclass(frozen=True)
class _Context:
    snapshot: LoopbaanSnapshot
    framework: LoopbaanFramework
    as_of: dt.date
    coverage: Coverage

    @property
    def route(self) -> EducationRoute | None:
        number = self.snapshot.education.route
        if number is None:
            return None
        try:
            return self.framework.route(number)
        except KeyError:
            return None

    def choose_route_first(self, rule_id: str, detail: str) -> RuleResult:
        # LP-A-HOURS, LP-A-REPORT-AGE: without a route nothing can be judged yet, and `met`
        # would show a green tick for a check that did not happen.
        return _not_met(
            rule_id,
            gettext("Kies eerst een opleidingsroute (LP-A). %(detail)s") % {"detail": detail},
            "education.route",
        )


# ---------------------------------------------------------------------------------------------
# LP-A Education


def _diploma_failures(route: EducationRoute, diploma: Diploma, ctx: _Context) -> list[str]:
    failures = []
    if diploma.level.strip().lower() not in ctx.framework.diploma_levels:
        failures.append(gettext("het is geen hbo- of wo-diploma"))
    if route.needs_field_mens_en_organisatie:
        if not diploma.field_mens_en_organisatie:
            failures.append(gettext("de opleiding ligt niet op het gebied van mens en organisatie"))
        if is_blank(diploma.croho):
            failures.append(gettext("de CROHO-code ontbreekt"))
    if not diploma.signed:
        failures.append(gettext("het diploma is niet ondertekend door de onderwijsinstelling"))
    if not diploma.nvao_accredited:
        failures.append(gettext("de onderwijsinstelling is niet NVAO-geaccrediteerd"))
    # The diploma itself is what route 1 and 2 deliver, so it must be attached.
    if diploma.evidence is None:
        failures.append(gettext("het diploma is niet bijgevoegd"))
    return failures


def _report_failures(route: EducationRoute, report: EducationReport) -> list[str]:
    failures = []
    name = _document_name(route.document)
    low, high = route.report_min_level, route.report_max_level
    if report.level is None:
        failures.append(gettext("het niveau van %(document)s ontbreekt") % {"document": name})
    elif low is not None and low == high and report.level != low:
        failures.append(
            gettext("%(document)s is niet gericht op niveau %(level)s")
            % {"document": name, "level": low}
        )
    elif (low is not None and report.level < low) or (high is not None and report.level > high):
        failures.append(
            gettext("%(document)s toont niet minstens niveau %(level)s")
            % {"document": name, "level": low}
        )
    if not report.provider_recognised:
        failures.append(_not_recognised(route.document))
    if report.evidence is None:
        failures.append(gettext("%(document)s is niet bijgevoegd") % {"document": name})
    return failures


def _lp_a(ctx: _Context) -> RuleResult:
    route = ctx.route
    education = ctx.snapshot.education
    if route is None:
        return _not_met(
            "LP-A",
            gettext("Kies een opleidingsroute (%(routes)s).")
            % {"routes": _route_numbers(ctx.framework.routes, _or())},
            "education.route",
        )
    path = f"education.{route.document}"
    name = _document_name(route.document)
    label = _route_label(route)
    if route.document is RouteDocument.DIPLOMA:
        document = education.diploma
        failures = None if document is None else _diploma_failures(route, document, ctx)
    else:
        document = education.report(route.document)
        # The report's age is LP-A-REPORT-AGE's business, not judged twice here.
        failures = None if document is None else _report_failures(route, document)
    if failures is None:
        return _not_met(
            "LP-A",
            gettext("%(route)s: %(document)s ontbreekt.") % {"route": label, "document": name},
            path,
        )
    if failures:
        return _not_met("LP-A", f"{label}: {enumeration(failures)}.", path)
    return _met(
        "LP-A",
        gettext("%(route)s: %(document)s voldoet aan de voorwaarden.")
        % {"route": label, "document": name},
        path,
    )


def course_failures(course: Course) -> list[str]:
    """Why a course adds no hours to LP-A-HOURS (empty when it counts)."""
    failures = []
    if not course.quality_mark:
        failures.append(gettext("geen keurmerk"))
    if not course.signed:
        failures.append(gettext("niet ondertekend door de opleider"))
    if course.hours is None or course.hours <= 0:
        failures.append(gettext("geen studie-uren vermeld"))
    # The 98 hours are read from the certificates (domain LP-A), so the certificate is needed.
    if course.evidence is None:
        failures.append(gettext("certificaat niet bijgevoegd"))
    return failures


@dataclass(frozen=True)
class CourseHours:
    """LP-A-HOURS' count: the hours that count, and per rejected course (by index) why not."""

    total: float
    rejected: tuple[tuple[int, tuple[str, ...]], ...]


def counted_course_hours(courses: Sequence[Course]) -> CourseHours:
    """The sum LP-A-HOURS judges; the web page shows the same running total."""
    total = 0.0
    rejected = []
    for index, course in enumerate(courses):
        failures = course_failures(course)
        if failures:
            rejected.append((index, tuple(failures)))
        else:
            total += course.hours or 0
    return CourseHours(total=total, rejected=tuple(rejected))


def _lp_a_hours(ctx: _Context) -> RuleResult:
    rule_id = "LP-A-HOURS"
    framework = ctx.framework
    minimum = framework.course_hours_minimum
    route = ctx.route
    if route is not None and not route.needs_course_hours:
        return _met(
            rule_id,
            gettext("Niet van toepassing: route %(number)s vraagt geen aanvullende cursusuren.")
            % {"number": route.number},
            "education.courses",
        )
    courses = ctx.snapshot.education.courses
    counted = counted_course_hours(courses)
    total = _amount(counted.total)
    rejected = [
        (
            index,
            _titled(gettext("cursus %(number)s") % {"number": index + 1}, courses[index].title)
            + f": {enumeration(list(failures))}",
        )
        for index, failures in counted.rejected
    ]
    rejected_text = (
        " "
        + gettext("Telt niet mee: %(courses)s.")
        % {"courses": "; ".join(text for _, text in rejected)}
        if rejected
        else ""
    )
    if route is None:
        needing = [r for r in framework.routes if r.needs_course_hours]
        return ctx.choose_route_first(
            rule_id,
            gettext(
                "De routes %(routes)s vragen minimaal %(minimum)s uur aan cursussen; nu telt "
                "%(total)s uur mee."
            )
            % {"routes": _route_numbers(needing), "minimum": minimum, "total": total}
            + rejected_text,
        )
    if counted.total >= minimum:
        return _met(
            rule_id,
            gettext("%(total)s uur aan cursussen telt mee (minimaal %(minimum)s).")
            % {"total": total, "minimum": minimum}
            + rejected_text,
            "education.courses",
        )
    path = f"education.courses[{rejected[0][0]}]" if rejected else "education.courses"
    return _not_met(
        rule_id,
        gettext(
            "Er telt %(total)s uur aan cursussen mee; route %(number)s vraagt minimaal "
            "%(minimum)s uur."
        )
        % {"total": total, "number": route.number, "minimum": minimum}
        + rejected_text,
        path,
    )


def _lp_a_report_age(ctx: _Context) -> RuleResult:
    rule_id = "LP-A-REPORT-AGE"
    route = ctx.route
    max_age = ctx.framework.report_max_age_years
    if route is None:
        return ctx.choose_route_first(
            rule_id,
            gettext("Een EVC- of assessmentrapport mag maximaal %(years)s jaar oud zijn.")
            % {"years": max_age},
        )
    if not route.needs_report:
        return _met(
            rule_id,
            gettext("Niet van toepassing: route %(number)s vraagt geen EVC- of assessmentrapport.")
            % {"number": route.number},
            "education",
        )
    name = _document_name(route.document)
    path = f"education.{route.document}"
    report = ctx.snapshot.education.report(route.document)
    if report is None:
        return _not_met(
            rule_id, gettext("%(document)s ontbreekt.") % {"document": _capitalise(name)}, path
        )
    if report.date is None:
        return _not_met(
            rule_id,
            gettext("De datum van %(document)s ontbreekt.") % {"document": name},
            f"{path}.date",
        )
    values = {
        "document": _capitalise(name),
        "day": written_day(report.date),
        "years": max_age,
        "as_of": written_day(ctx.as_of),
    }
    oldest = years_before(ctx.as_of, max_age)
    if report.date < oldest:
        return _not_met(
            rule_id,
            gettext(
                "%(document)s is van %(day)s en daarmee ouder dan %(years)s jaar "
                "(peildatum %(as_of)s)."
            )
            % values,
            f"{path}.date",
        )
    # A report dated after the evaluation date cannot have been issued yet.
    if report.date > ctx.as_of:
        return _not_met(
            rule_id,
            gettext("%(document)s is gedateerd op %(day)s, na de peildatum %(as_of)s.") % values,
            f"{path}.date",
        )
    return _met(
        rule_id,
        gettext("%(document)s is van %(day)s en niet ouder dan %(years)s jaar.") % values,
        f"{path}.date",
    )


# ---------------------------------------------------------------------------------------------
# LP-B Work experience, CV and motivation


def _minimum_rule(
    rule_id: str,
    value: float | None,
    minimum: int,
    *,
    missing: str,
    short: str,
    met: str,
    path: str,
) -> RuleResult:
    """``missing``, ``short`` and ``met`` are messages with ``%(value)s`` and ``%(minimum)s``."""
    values = {"value": "" if value is None else _amount(value), "minimum": minimum}
    if value is None:
        return _not_met(rule_id, missing % values, path)
    if value < minimum:
        return _not_met(rule_id, short % values, path)
    return _met(rule_id, met % values, path)


def _lp_b1_years(ctx: _Context) -> RuleResult:
    return _minimum_rule(
        "LP-B1-YEARS",
        ctx.snapshot.experience.years_active,
        ctx.framework.experience_min_years,
        missing=gettext("Vul het aantal jaar actief in het vakgebied in (minimaal %(minimum)s)."),
        short=gettext(
            "%(value)s jaar actief in het vakgebied; nodig is minimaal %(minimum)s jaar."
        ),
        met=gettext("%(value)s jaar actief in het vakgebied (minimaal %(minimum)s)."),
        path="experience.years_active",
    )


def _lp_b1_hours(ctx: _Context) -> RuleResult:
    return _minimum_rule(
        "LP-B1-HOURS",
        ctx.snapshot.experience.hours,
        ctx.framework.experience_min_hours,
        missing=gettext(
            "Vul het aantal uur beroepsgerichte werkervaring als uitvoerend "
            "loopbaanprofessional in (minimaal %(minimum)s)."
        ),
        short=gettext(
            "%(value)s uur beroepsgerichte werkervaring als uitvoerend loopbaanprofessional; "
            "nodig is minimaal %(minimum)s uur."
        ),
        met=gettext(
            "%(value)s uur beroepsgerichte werkervaring als uitvoerend loopbaanprofessional "
            "(minimaal %(minimum)s)."
        ),
        path="experience.hours",
    )


def _all_present(
    rule_id: str, checks: Sequence[tuple[bool, str, str]], *, met: str, missing: str, path: str
) -> RuleResult:
    """``checks`` are ``(ok, description, path)``; the result names every failed check."""
    failed = [(text, at) for ok, text, at in checks if not ok]
    if failed:
        return _not_met(rule_id, f"{missing}: {enumeration([t for t, _ in failed])}.", failed[0][1])
    return _met(rule_id, met, path)


def _lp_b1_statements(ctx: _Context) -> RuleResult:
    experience = ctx.snapshot.experience
    return _all_present(
        "LP-B1-STATEMENTS",
        [
            (
                experience.statement.signed,
                gettext("de verklaring over je werkervaring"),
                "experience.statement",
            ),
            (
                experience.currently_working_statement.signed,
                gettext("de verklaring dat je nu werkt als uitvoerend loopbaanprofessional"),
                "experience.currently_working_statement",
            ),
        ],
        met=gettext(
            "Beide verklaringen over je werkervaring zijn volledig ingevuld en ondertekend."
        ),
        missing=gettext("Nog niet volledig ingevuld en ondertekend"),
        path="experience",
    )


def _lp_b2(ctx: _Context) -> RuleResult:
    snapshot = ctx.snapshot
    return _all_present(
        "LP-B2",
        [
            (snapshot.cv is not None, gettext("je cv"), "cv"),
            (not is_blank(snapshot.motivation), gettext("je motivatie"), "motivation"),
        ],
        met=gettext("Je cv en je motivatie zijn aanwezig."),
        missing=gettext("Nog toevoegen"),
        path="cv",
    )


# ---------------------------------------------------------------------------------------------
# LP-C Case descriptions


def _no_cases(rule_id: str) -> RuleResult:
    # LP-C1-NR, LP-C4, LP-C-RECENT: "each case" holds vacuously without cases, but a green
    # tick on an empty portfolio would mislead, so they are not met until a case exists.
    return _not_met(rule_id, gettext("Er is nog geen casus beschreven."), "cases")


def _lp_c_count(ctx: _Context) -> RuleResult:
    count = len(ctx.snapshot.cases)
    required = ctx.framework.case_count
    if count == required:
        return _met(
            "LP-C-COUNT",
            ngettext(
                "Er is %(count)s casus beschreven.", "Er zijn %(count)s casussen beschreven.", count
            )
            % {"count": count},
            "cases",
        )
    if count == 0:
        return _not_met(
            "LP-C-COUNT",
            gettext("Er is nog geen casus beschreven; er zijn er %(required)s nodig.")
            % {"required": required},
            "cases",
        )
    return _not_met(
        "LP-C-COUNT",
        ngettext(
            "Er is %(count)s casus beschreven; er zijn er precies %(required)s nodig.",
            "Er zijn %(count)s casussen beschreven; er zijn er precies %(required)s nodig.",
            count,
        )
        % {"count": count, "required": required},
        "cases",
    )


def _lp_c_recent(ctx: _Context) -> RuleResult:
    rule_id = "LP-C-RECENT"
    cases = ctx.snapshot.cases
    if not cases:
        return _no_cases(rule_id)
    years = ctx.framework.case_recency_years
    oldest = years_before(ctx.as_of, years)
    failures: list[tuple[int, str]] = []
    for index, case in enumerate(cases):
        label = _case_label(index, case)
        if case.ended is None:
            failures.append((index, gettext("%(case)s: de einddatum ontbreekt") % {"case": label}))
        elif case.ended < oldest:
            failures.append(
                (
                    index,
                    gettext("%(case)s: afgerond op %(day)s")
                    % {"case": label, "day": written_day(case.ended)},
                )
            )
        elif case.ended > ctx.as_of:
            # LP-C asks for completed trajectories, so an end date after as-of does not count.
            failures.append(
                (
                    index,
                    gettext("%(case)s: de einddatum %(day)s ligt na de peildatum")
                    % {"case": label, "day": written_day(case.ended)},
                )
            )
    window = {"start": written_day(oldest), "end": written_day(ctx.as_of)}
    if failures:
        return _not_met(
            rule_id,
            gettext("Elke casus moet tussen %(start)s en %(end)s zijn afgerond. %(cases)s.")
            % {**window, "cases": "; ".join(t for _, t in failures)},
            f"cases[{failures[0][0]}].ended",
        )
    return _met(
        rule_id,
        gettext("Alle casussen zijn tussen %(start)s en %(end)s afgerond.") % window,
        "cases",
    )


def _in_no_case(case_count: int) -> str:
    if case_count == 2:
        return gettext("in geen van beide casussen")
    return gettext("in geen enkele casus")


def _lp_c1_all(ctx: _Context) -> RuleResult:
    framework = ctx.framework
    missing = [int(row.key) for row in ctx.coverage.tasks if not row.covered]
    tasks = {"first": framework.tasks[0].number, "last": framework.tasks[-1].number}
    if not missing:
        return _met(
            "LP-C1-ALL",
            gettext("Alle taken (%(first)s t/m %(last)s) zijn in minstens één casus beschreven.")
            % tasks,
            "cases",
        )
    if not ctx.snapshot.cases:
        return _not_met(
            "LP-C1-ALL",
            gettext(
                "Er is nog geen casus beschreven; elke taak (%(first)s t/m %(last)s) moet in "
                "minstens één casus beschreven zijn."
            )
            % tasks,
            "cases",
        )
    labels = [_task_label(framework, number) for number in missing]
    return _not_met(
        "LP-C1-ALL",
        ngettext(
            "%(tasks)s is %(where)s beschreven.",
            "%(tasks)s zijn %(where)s beschreven.",
            len(labels),
        )
        % {
            "tasks": _capitalise(enumeration(labels)),
            "where": _in_no_case(len(ctx.snapshot.cases)),
        },
        "cases",
    )


def _task_problem(
    row: CoverageRow, index: int, entry: CaseTask | None, case_count: int
) -> str | None:
    """What breaks LP-C1-NR for one task in one case, or None."""
    state = row.cells[index]
    if state is CellState.DESCRIBED:
        return None
    if state is CellState.NOT_RELEVANT:
        others = row.cells[:index] + row.cells[index + 1 :]
        if CellState.DESCRIBED in others:
            return None
        if case_count == 2:
            return gettext("is niet relevant genoemd, maar ook in de andere casus niet beschreven")
        return gettext("is niet relevant genoemd, maar ook in een andere casus niet beschreven")
    if entry is None:
        return gettext("ontbreekt")
    if entry.text is not None:
        return gettext("heeft een lege beschrijving")
    return gettext("is niet relevant genoemd zonder motivering")


def _lp_c1_nr(ctx: _Context) -> RuleResult:
    rule_id = "LP-C1-NR"
    cases = ctx.snapshot.cases
    if not cases:
        return _no_cases(rule_id)
    first_path: str | None = None
    sentences = []
    for index, case in enumerate(cases):
        problems = []
        for row in ctx.coverage.tasks:
            number = int(row.key)
            problem = _task_problem(row, index, case.task(number), len(cases))
            if problem is not None:
                problems.append(f"{_task_label(ctx.framework, number)} {problem}")
                first_path = first_path or f"cases[{index}].tasks.{number}"
        if problems:
            sentences.append(f"{_case_label(index, case)}: {'; '.join(problems)}.")
    if first_path is not None:
        return _not_met(
            rule_id,
            gettext(
                "%(cases)s Beschrijf in elke casus elke taak, of motiveer waarom een taak daar "
                "niet relevant was; zo'n taak moet dan in de andere casus beschreven zijn."
            )
            % {"cases": " ".join(sentences)},
            first_path,
        )
    return _met(
        rule_id,
        gettext(
            "In elke casus is elke taak beschreven of met motivering als niet relevant "
            "aangemerkt, en elke niet-relevante taak is in een andere casus beschreven."
        ),
        "cases",
    )


def _lp_c2_four(ctx: _Context) -> RuleResult:
    framework = ctx.framework
    rows = ctx.coverage.knowledge_areas
    covered = sum(row.covered for row in rows)
    summary = gettext(
        "%(covered)s van de %(total)s kennisgebieden uitgewerkt (minimaal %(minimum)s, verdeeld "
        "over de casussen)"
    ) % {"covered": covered, "total": len(rows), "minimum": framework.minimum_areas}
    if covered >= framework.minimum_areas:
        return _met("LP-C2-FOUR", f"{_capitalise(summary)}.", "cases")
    missing = [_area_label(framework, int(row.key)) for row in rows if not row.covered]
    return _not_met(
        "LP-C2-FOUR",
        gettext("%(summary)s. Nog niet uitgewerkt: %(areas)s.")
        % {"summary": _capitalise(summary), "areas": enumeration(missing)},
        "cases",
    )


def _lp_c2_mandatory(ctx: _Context) -> RuleResult:
    framework = ctx.framework
    covered = {int(row.key) for row in ctx.coverage.knowledge_areas if row.covered}
    missing = [n for n in framework.mandatory_areas if n not in covered]

    def areas(numbers: Sequence[int]) -> str:
        return enumeration([f"{n} ({framework.knowledge_area(n).name})" for n in numbers])

    if not missing:
        mandatory = framework.mandatory_areas
        return _met(
            "LP-C2-MANDATORY",
            ngettext(
                "Het verplichte kennisgebied %(areas)s is uitgewerkt.",
                "De verplichte kennisgebieden %(areas)s zijn uitgewerkt.",
                len(mandatory),
            )
            % {"areas": areas(mandatory)},
            "cases",
        )
    return _not_met(
        "LP-C2-MANDATORY",
        ngettext(
            "Kennisgebied %(areas)s is verplicht, maar in geen enkele casus uitgewerkt.",
            "Kennisgebieden %(areas)s zijn verplicht, maar in geen enkele casus uitgewerkt.",
            len(missing),
        )
        % {"areas": areas(missing)},
        "cases",
    )


def _lp_c3_all(ctx: _Context) -> RuleResult:
    framework = ctx.framework
    missing = [
        framework.competence(row.key).name for row in ctx.coverage.competences if not row.covered
    ]
    count = {"count": len(framework.competences)}
    if not missing:
        return _met(
            "LP-C3-ALL",
            gettext("Alle %(count)s competenties zijn in de casussen uitgewerkt.") % count,
            "cases",
        )
    return _not_met(
        "LP-C3-ALL",
        gettext(
            "Nog in geen enkele casus uitgewerkt: %(missing)s. Alle %(count)s competenties zijn "
            "nodig, verdeeld over de casussen."
        )
        % {**count, "missing": enumeration(missing)},
        "cases",
    )


def _lp_c4(ctx: _Context) -> RuleResult:
    rule_id = "LP-C4"
    cases = ctx.snapshot.cases
    if not cases:
        return _no_cases(rule_id)
    framework = ctx.framework
    failures: list[tuple[str, str]] = []
    for index, case in enumerate(cases):
        missing = [a for a in framework.attitudes if is_blank(case.attitude_text(a.key))]
        if missing:
            names = enumeration([a.name for a in missing])
            failures.append(
                (
                    f"cases[{index}].attitude.{missing[0].key}",
                    f"{_case_label(index, case)}: {names}",
                )
            )
    if failures:
        return _not_met(
            rule_id,
            gettext(
                "Beantwoord in elke casus de vragen over de professionele attitude. Nog niet "
                "beantwoord: %(cases)s."
            )
            % {"cases": "; ".join(t for _, t in failures)},
            failures[0][0],
        )
    return _met(
        rule_id,
        gettext("Elke casus beantwoordt de vragen over de professionele attitude."),
        "cases",
    )


def _filled(rule_id: str, value: str, *, met: str, not_met: str, path: str) -> RuleResult:
    return _not_met(rule_id, not_met, path) if is_blank(value) else _met(rule_id, met, path)


def _lp_c_diversity(ctx: _Context) -> RuleResult:
    # LP-C: the assessors judge how diverse the cases are; the portal only checks it is explained.
    return _filled(
        "LP-C-DIVERSITY",
        ctx.snapshot.diversity,
        met=gettext(
            "Je hebt toegelicht waarin de casussen verschillen; de assessoren beoordelen dit."
        ),
        not_met=gettext(
            "Licht toe waarin de casussen van elkaar verschillen, bijvoorbeeld in vraag, type "
            "cliënt of uitdaging voor jou als begeleider."
        ),
        path="diversity",
    )


# ---------------------------------------------------------------------------------------------
# LP-D Development plan, LP-E Declarations


def _lp_d(ctx: _Context) -> RuleResult:
    return _filled(
        "LP-D",
        ctx.snapshot.development_plan,
        met=gettext("Het ontwikkelplan is ingevuld."),
        not_met=gettext("Het ontwikkelplan voor de komende vier jaar ontbreekt."),
        path="development_plan",
    )


def _lp_e(ctx: _Context) -> RuleResult:
    declaration = ctx.snapshot.declaration
    return _all_present(
        "LP-E",
        [
            (
                declaration.code_of_conduct,
                gettext("dat je de gedragscode hebt gelezen en onderschrijft"),
                "declaration.code_of_conduct",
            ),
            (
                declaration.complaints_regulation,
                gettext("dat je het klachtenreglement kent"),
                "declaration.complaints_regulation",
            ),
            (
                declaration.truthful,
                gettext("dat je het portfolio naar waarheid hebt ingevuld"),
                "declaration.truthful",
            ),
        ],
        met=gettext("Je hebt alle drie de verklaringen afgelegd."),
        missing=gettext("Nog niet verklaard"),
        path="declaration",
    )


# The order of exchange.md; every rule appears in every evaluation.
_RULES: tuple[Callable[[_Context], RuleResult], ...] = (
    _lp_a,
    _lp_a_hours,
    _lp_a_report_age,
    _lp_b1_years,
    _lp_b1_hours,
    _lp_b1_statements,
    _lp_b2,
    _lp_c_count,
    _lp_c_recent,
    _lp_c1_all,
    _lp_c1_nr,
    _lp_c2_four,
    _lp_c2_mandatory,
    _lp_c3_all,
    _lp_c4,
    _lp_c_diversity,
    _lp_d,
    _lp_e,
)


@translated_once()
def evaluate_loopbaan(
    snapshot: LoopbaanSnapshot,
    *,
    as_of: dt.date,
    framework: LoopbaanFramework | None = None,
) -> Evaluation:
    """Judge an initial-certification portfolio on ``as_of`` against every LP rule.

    Without ``framework``, the version the snapshot names is used, else the one in force on
    ``as_of`` (the submission date is the anchor of LP-A and LP-C). Raises ``LookupError`` for a
    version that does not exist.
    """
    if framework is None:
        framework = loopbaan_framework(on=as_of, version=snapshot.framework_version)
    matrix = coverage(snapshot, framework)
    ctx = _Context(snapshot=snapshot, framework=framework, as_of=as_of, coverage=matrix)
    return Evaluation(
        framework=framework.code,
        framework_version=framework.version,
        as_of=as_of,
        rules=tuple(rule(ctx) for rule in _RULES),
        extra={"coverage": matrix.to_json()},
    )
