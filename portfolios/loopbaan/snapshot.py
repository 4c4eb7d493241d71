"""Register Loopbaanprofessional: models -> engine snapshot."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from noloc_portal.prepared import PreparedQuery
from portfolios.evaluation.common import Statement
from portfolios.loopbaan.framework import LOOPBAAN, loopbaan_framework
from portfolios.loopbaan.models import (
    Case,
    CaseTask,
    CaseText,
    CaseTextKind,
    Course,
    LoopbaanDetails,
)
from portfolios.loopbaan.rules import (
    AreaText,
    AttitudeAnswer,
    CompetenceText,
    Diploma,
    Education,
    EducationReport,
    Experience,
    LoopbaanSnapshot,
)
from portfolios.loopbaan.rules import Case as CaseSnapshot
from portfolios.loopbaan.rules import CaseTask as CaseTaskSnapshot
from portfolios.loopbaan.rules import Course as CourseSnapshot
from portfolios.loopbaan.rules import Declaration as LoopbaanDeclaration
from portfolios.models import Portfolio
from portfolios.remembered import Rows
from portfolios.snapshots import as_number, bundle_name, keep_as_prefetched, keep_per_parent

LOOPBAAN_DOCUMENTS = (
    "diploma",
    "evc_report",
    "assessment_report",
    "experience_statement",
    "working_statement",
)


def prefetch_loopbaan(queryset):
    """``queryset`` with everything :func:`loopbaan_snapshot` reads, in constant queries."""
    return queryset.select_related(
        "cv", "loopbaan", *(f"loopbaan__{name}" for name in LOOPBAAN_DOCUMENTS)
    ).prefetch_related(
        Prefetch("courses", queryset=Course.objects.select_related("certificate")),
        "cases__tasks",
        "cases__texts",
    )


# What prefetch_loopbaan reads, for one portfolio, as prepared queries (load_loopbaan).
_PORTFOLIO = PreparedQuery(
    lambda pk: Portfolio.objects.filter(pk=pk, framework=LOOPBAAN).select_related(
        "owner", "cv", "loopbaan", *(f"loopbaan__{name}" for name in LOOPBAAN_DOCUMENTS)
    ),
    pk=int,
)
_COURSES = PreparedQuery(
    lambda portfolio: Course.objects.filter(portfolio_id=portfolio).select_related("certificate"),
    portfolio=int,
)
_CASES = PreparedQuery(lambda portfolio: Case.objects.filter(portfolio_id=portfolio), portfolio=int)
_TASKS = PreparedQuery(
    lambda portfolio: CaseTask.objects.filter(case__portfolio_id=portfolio), portfolio=int
)
_TEXTS = PreparedQuery(
    lambda portfolio: CaseText.objects.filter(case__portfolio_id=portfolio), portfolio=int
)


def load_loopbaan(pk: int, *, rows: bool = True) -> Portfolio | None:
    """The LP portfolio ``pk`` (its owner, details and files joined) with the rows
    :func:`loopbaan_snapshot` reads, as :func:`prefetch_loopbaan` gives them, in queries compiled
    once per process: every page of an LP portfolio builds its snapshot. ``rows=False``: the
    portfolio's own row only; :func:`load_loopbaan_rows` adds the others when they are needed."""
    found = _PORTFOLIO(pk=pk)
    if not found:
        return None
    portfolio = found[0]
    if rows:
        load_loopbaan_rows(portfolio)
    return portfolio


def load_loopbaan_rows(portfolio: Portfolio) -> Portfolio:
    """The courses, and the cases with their tasks and texts, of a portfolio read by
    :func:`load_loopbaan` without them (four queries), kept as prefetched on it."""
    pk = portfolio.pk
    keep_as_prefetched(portfolio, "courses", _COURSES(portfolio=pk))
    cases = _CASES(portfolio=pk)
    keep_as_prefetched(portfolio, "cases", cases)
    if cases:
        keep_per_parent(cases, "tasks", _TASKS(portfolio=pk))
        keep_per_parent(cases, "texts", _TEXTS(portfolio=pk))
    return portfolio


# Every row loopbaan_snapshot reads, so that a verdict (and what the overview writes from it)
# is remembered under their versions (portfolios.remembered).
LOOPBAAN_ROWS = (
    Rows(Portfolio, documents=("cv",)),
    Rows(LoopbaanDetails, documents=LOOPBAAN_DOCUMENTS),
    Rows(Course, documents=("certificate",)),
    Rows(Case),
    Rows(CaseTask, via="case"),
    Rows(CaseText, via="case"),
)


def loopbaan_document_holders(document) -> Q:
    """The LP portfolios that hold ``document`` (every file the snapshot names)."""
    holders = Q(cv=document) | Q(courses__certificate=document)
    for name in LOOPBAAN_DOCUMENTS:
        holders |= Q(**{f"loopbaan__{name}": document})
    return holders


def loopbaan_details(portfolio: Portfolio) -> LoopbaanDetails:
    """The LP row of a portfolio; an unsaved empty one when it has none yet."""
    try:
        return portfolio.loopbaan
    except LoopbaanDetails.DoesNotExist:
        return LoopbaanDetails(portfolio=portfolio)


def _diploma(details: LoopbaanDetails) -> Diploma | None:
    diploma = Diploma(
        level=details.diploma_level,
        field_mens_en_organisatie=details.diploma_field_mens_en_organisatie,
        signed=details.diploma_signed,
        nvao_accredited=details.diploma_nvao_accredited,
        croho=details.diploma_croho,
        evidence=bundle_name(details.diploma),
    )
    # Nothing entered reads as "no diploma", as an absent one does in a document.
    return None if diploma == Diploma() else diploma


def _report(details: LoopbaanDetails, prefix: str, document) -> EducationReport | None:
    report = EducationReport(
        date=getattr(details, f"{prefix}_date"),
        level=getattr(details, f"{prefix}_level"),
        provider_recognised=getattr(details, f"{prefix}_provider_recognised"),
        evidence=bundle_name(document),
    )
    return None if report == EducationReport() else report


def _case(case, framework) -> CaseSnapshot:
    texts: dict[str, dict[str, str]] = {kind: {} for kind in CaseTextKind.values}
    for row in case.texts.all():
        texts[row.kind][row.key] = row.text
    areas, competences, attitude = (
        texts[CaseTextKind.KNOWLEDGE_AREA],
        texts[CaseTextKind.COMPETENCE],
        texts[CaseTextKind.ATTITUDE],
    )
    # Rows follow the framework's order; keys the framework does not know are left out.
    return CaseSnapshot(
        title=case.title,
        started=case.started,
        ended=case.ended,
        rationale=case.rationale,
        tasks=tuple(
            CaseTaskSnapshot(task.number, not_relevant=task.text)
            if task.not_relevant
            else CaseTaskSnapshot(task.number, text=task.text)
            for task in sorted(case.tasks.all(), key=lambda task: task.number)
        ),
        knowledge_areas=tuple(
            AreaText(area.number, areas[area.key])
            for area in framework.knowledge_areas
            if area.key in areas
        ),
        competences=tuple(
            CompetenceText(c.key, competences[c.key])
            for c in framework.competences
            if c.key in competences
        ),
        attitude=tuple(
            AttitudeAnswer(a.key, attitude[a.key]) for a in framework.attitudes if a.key in attitude
        ),
    )


def loopbaan_snapshot(portfolio: Portfolio) -> LoopbaanSnapshot:
    details = loopbaan_details(portfolio)
    framework = loopbaan_framework(version=portfolio.framework_version)
    return LoopbaanSnapshot(
        education=Education(
            route=details.route,
            diploma=_diploma(details),
            evc_report=_report(details, "evc", details.evc_report),
            assessment_report=_report(details, "assessment", details.assessment_report),
            courses=tuple(
                CourseSnapshot(
                    title=course.title,
                    hours=as_number(course.hours),
                    quality_mark=course.quality_mark,
                    signed=course.signed,
                    evidence=bundle_name(course.certificate),
                )
                for course in portfolio.courses.all()
            ),
        ),
        experience=Experience(
            years_active=as_number(details.experience_years),
            hours=as_number(details.experience_hours),
            # exchange.md: "signed" means complete and signed, by form or by upload.
            statement=Statement(
                signed=details.experience_statement_signed,
                evidence=bundle_name(details.experience_statement),
            ),
            currently_working_statement=Statement(
                signed=details.working_statement_signed,
                evidence=bundle_name(details.working_statement),
            ),
        ),
        cv=bundle_name(portfolio.cv),
        motivation=details.motivation,
        cases=tuple(_case(case, framework) for case in portfolio.cases.all()),
        diversity=details.diversity,
        development_plan=details.development_plan,
        declaration=LoopbaanDeclaration(
            code_of_conduct=portfolio.declares_code_of_conduct,
            complaints_regulation=portfolio.declares_complaints_regulation,
            truthful=details.declares_truthful,
        ),
        framework_version=portfolio.framework_version,
    )
