"""Models -> engine snapshot. The one bridge from the database to the rule engine."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch

from portfolios.evaluation.jobcoach import (
    CurrentWork,
    Declaration,
    DevelopmentPlan,
    JobcoachSnapshot,
    PEActivity,
    ReflectionMeeting,
    ReflectionReport,
    Statement,
)
from portfolios.evaluation.loopbaan import (
    AreaText,
    AttitudeAnswer,
    CompetenceText,
    Diploma,
    Education,
    EducationReport,
    Experience,
    LoopbaanSnapshot,
)
from portfolios.evaluation.loopbaan import Case as CaseSnapshot
from portfolios.evaluation.loopbaan import CaseTask as CaseTaskSnapshot
from portfolios.evaluation.loopbaan import Course as CourseSnapshot
from portfolios.evaluation.loopbaan import Declaration as LoopbaanDeclaration
from portfolios.evaluation.loopbaan import Statement as LoopbaanStatement
from portfolios.frameworks import JOBCOACH, LOOPBAAN
from portfolios.frameworks.loopbaan import loopbaan_framework
from portfolios.models import CaseTextKind, ConfirmationState, Course, LoopbaanDetails, Portfolio


def bundle_name(document) -> str | None:
    """The file name a document has inside an exported bundle (unique, readable)."""
    if document is None:
        return None
    return f"bestanden/{document.uuid.hex[:8]}-{document.original_name}"


def as_number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def meeting_statement_signed(meeting) -> bool:
    """Signed by upload (ticked + file) or by the facilitator's confirmation through the link."""
    confirmed = any(
        c.state in (ConfirmationState.CONFIRMED, ConfirmationState.CORRECTED)
        for c in meeting.confirmations.all()
    )
    return confirmed or (meeting.statement_signed and meeting.statement_id is not None)


def _meeting_evidence(meeting) -> str | None:
    for confirmation in meeting.confirmations.all():
        if confirmation.state in (ConfirmationState.CONFIRMED, ConfirmationState.CORRECTED):
            return f"bevestiging-{confirmation.token.hex[:8]}"
    return bundle_name(meeting.statement)


LOOPBAAN_DOCUMENTS = (
    "diploma",
    "evc_report",
    "assessment_report",
    "experience_statement",
    "working_statement",
)


def prefetch_for_snapshot(queryset, framework: str = JOBCOACH):
    """``queryset`` with everything the snapshot of ``framework`` reads, in constant queries."""
    if framework == LOOPBAAN:
        return queryset.select_related(
            "cv", "loopbaan", *(f"loopbaan__{name}" for name in LOOPBAAN_DOCUMENTS)
        ).prefetch_related(
            Prefetch("courses", queryset=Course.objects.select_related("certificate")),
            "cases__tasks",
            "cases__texts",
        )
    return queryset.select_related("cv", "a1_statement").prefetch_related(
        "reflection_meetings__statement",
        "reflection_meetings__confirmations",
        "pe_activities__evidence",
    )


def jobcoach_snapshot(portfolio: Portfolio) -> JobcoachSnapshot:
    meetings = list(portfolio.reflection_meetings.all())
    report_index = next(
        (i for i, m in enumerate(meetings) if m.pk == portfolio.report_meeting_id), None
    )
    has_report = report_index is not None or any(
        (
            portfolio.report_situation,
            portfolio.report_motivation,
            portfolio.report_insights,
            portfolio.report_consequences,
        )
    )
    return JobcoachSnapshot(
        recertification_date=portfolio.recertification_date,
        framework_version=portfolio.framework_version,
        a1=CurrentWork(
            cv=bundle_name(portfolio.cv),
            statement=Statement(
                signed=portfolio.a1_statement_signed and portfolio.a1_statement_id is not None,
                evidence=bundle_name(portfolio.a1_statement),
            ),
        ),
        a2_report=portfolio.a2_report,
        reflection_meetings=tuple(
            ReflectionMeeting(
                date=m.date,
                kind=m.kind,
                facilitator=m.facilitator,
                facilitator_registration=m.facilitator_registration,
                own_situation=m.own_situation,
                statement=Statement(
                    signed=meeting_statement_signed(m), evidence=_meeting_evidence(m)
                ),
            )
            for m in meetings
        ),
        reflection_report=ReflectionReport(
            meeting=report_index,
            situation=portfolio.report_situation,
            motivation=portfolio.report_motivation,
            insights=portfolio.report_insights,
            consequences=portfolio.report_consequences,
        )
        if has_report
        else None,
        development_plan=DevelopmentPlan(
            present=portfolio.plan_present, past=portfolio.plan_past, future=portfolio.plan_future
        ),
        pe_activities=tuple(
            PEActivity(
                type=a.type,
                title=a.title,
                date=a.date,
                start=a.start,
                end=a.end,
                sbu=as_number(a.sbu),
                hours=as_number(a.hours),
                half_days=a.half_days,
                days=a.days,
                words=a.words,
                candidates=a.candidates,
                isbn=a.isbn,
                facilitator=a.facilitator,
                evidence=bundle_name(a.evidence),
            )
            for a in portfolio.pe_activities.all()
        ),
        declaration=Declaration(
            code_of_conduct=portfolio.declares_code_of_conduct,
            complaints_regulation=portfolio.declares_complaints_regulation,
        ),
    )


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
            statement=LoopbaanStatement(
                signed=details.experience_statement_signed,
                evidence=bundle_name(details.experience_statement),
            ),
            currently_working_statement=LoopbaanStatement(
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


def snapshot_of(portfolio: Portfolio):
    if portfolio.framework == LOOPBAAN:
        return loopbaan_snapshot(portfolio)
    return jobcoach_snapshot(portfolio)
