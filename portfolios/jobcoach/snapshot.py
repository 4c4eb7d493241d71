"""Register Jobcoach: models -> engine snapshot."""

from __future__ import annotations

from django.db.models import Q

from noloc_portal.prepared import PreparedQuery
from portfolios.evaluation.common import Statement
from portfolios.jobcoach import models
from portfolios.jobcoach.framework import JOBCOACH
from portfolios.jobcoach.models import ConfirmationState, JobcoachDetails
from portfolios.jobcoach.rules import (
    CurrentWork,
    Declaration,
    DevelopmentPlan,
    JobcoachSnapshot,
    PEActivity,
    ReflectionMeeting,
    ReflectionReport,
)
from portfolios.models import Portfolio
from portfolios.remembered import Rows
from portfolios.snapshots import as_number, bundle_name, keep_as_prefetched, keep_per_parent


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


def prefetch_jobcoach(queryset):
    """``queryset`` with everything :func:`jobcoach_snapshot` reads, in constant queries."""
    return queryset.select_related("cv", "jobcoach", "jobcoach__a1_statement").prefetch_related(
        "reflection_meetings__statement",
        "reflection_meetings__confirmations",
        "pe_activities__evidence",
    )


# What prefetch_jobcoach reads, for one portfolio, as prepared queries (load_jobcoach). The
# documents come joined to their rows instead of in queries of their own.
_PORTFOLIO = PreparedQuery(
    lambda pk: Portfolio.objects.filter(pk=pk, framework=JOBCOACH).select_related(
        "owner", "cv", "jobcoach", "jobcoach__a1_statement"
    ),
    pk=int,
)
_MEETINGS = PreparedQuery(
    lambda portfolio: models.ReflectionMeeting.objects.filter(
        portfolio_id=portfolio
    ).select_related("statement"),
    portfolio=int,
)
_CONFIRMATIONS = PreparedQuery(
    lambda portfolio: models.FacilitatorConfirmation.objects.filter(
        meeting__portfolio_id=portfolio
    ),
    portfolio=int,
)
# The columns of an activity and its evidence that no page of a portfolio shows (the time stamps,
# the evidence's checksum and type): a portfolio may hold a thousand activities, and reading a
# time stamp is the dearest column. The exports read the portfolio with prefetch_jobcoach, every
# column.
UNSHOWN_ACTIVITY_COLUMNS = (
    "created_at",
    "evidence__uploaded_at",
    "evidence__sha256",
    "evidence__content_type",
)
_ACTIVITIES = PreparedQuery(
    lambda portfolio: (
        models.PEActivity.objects.filter(portfolio_id=portfolio)
        .select_related("evidence")
        .defer(*UNSHOWN_ACTIVITY_COLUMNS)
    ),
    portfolio=int,
)


def load_jobcoach(pk: int) -> Portfolio | None:
    """The Jobcoach portfolio ``pk`` (its owner joined) with the rows :func:`jobcoach_snapshot`
    reads, as :func:`prefetch_jobcoach` gives them, in queries compiled once per process: the
    snapshot is built on every page of a portfolio."""
    found = _PORTFOLIO(pk=pk)
    if not found:
        return None
    portfolio = found[0]
    meetings = _MEETINGS(portfolio=pk)
    keep_as_prefetched(portfolio, "reflection_meetings", meetings)
    if meetings:
        keep_per_parent(meetings, "confirmations", _CONFIRMATIONS(portfolio=pk))
    keep_as_prefetched(portfolio, "pe_activities", _ACTIVITIES(portfolio=pk))
    return portfolio


# Every row jobcoach_snapshot reads, so that a verdict is remembered under their versions
# (portfolios.remembered).
JOBCOACH_ROWS = (
    Rows(Portfolio, documents=("cv",)),
    Rows(JobcoachDetails, documents=("a1_statement",)),
    Rows(models.ReflectionMeeting, documents=("statement",)),
    Rows(models.FacilitatorConfirmation, via="meeting"),
    Rows(models.PEActivity, documents=("evidence",)),
)


def jobcoach_document_holders(document) -> Q:
    """The Jobcoach portfolios that hold ``document`` (every file the snapshot names)."""
    return (
        Q(cv=document)
        | Q(jobcoach__a1_statement=document)
        | Q(reflection_meetings__statement=document)
        | Q(pe_activities__evidence=document)
    )


def jobcoach_details(portfolio: Portfolio) -> JobcoachDetails:
    """The Jobcoach row of a portfolio; an unsaved empty one when it has none (yet)."""
    try:
        return portfolio.jobcoach
    except JobcoachDetails.DoesNotExist:
        return JobcoachDetails(portfolio=portfolio)


def jobcoach_summary(portfolio: Portfolio) -> dict:
    """What lists and the API show of a Jobcoach portfolio (``Portfolio.summary_values``)."""
    return {"recertification_date": jobcoach_details(portfolio).recertification_date}


def jobcoach_snapshot(portfolio: Portfolio) -> JobcoachSnapshot:
    details = jobcoach_details(portfolio)
    meetings = list(portfolio.reflection_meetings.all())
    report_index = next(
        (i for i, m in enumerate(meetings) if m.pk == details.report_meeting_id), None
    )
    has_report = report_index is not None or any(
        (
            details.report_situation,
            details.report_motivation,
            details.report_insights,
            details.report_consequences,
        )
    )
    return JobcoachSnapshot(
        recertification_date=details.recertification_date,
        framework_version=portfolio.framework_version,
        a1=CurrentWork(
            cv=bundle_name(portfolio.cv),
            statement=Statement(
                signed=details.a1_statement_signed and details.a1_statement_id is not None,
                evidence=bundle_name(details.a1_statement),
            ),
        ),
        a2_report=details.a2_report,
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
            situation=details.report_situation,
            motivation=details.report_motivation,
            insights=details.report_insights,
            consequences=details.report_consequences,
        )
        if has_report
        else None,
        development_plan=DevelopmentPlan(
            present=details.plan_present, past=details.plan_past, future=details.plan_future
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
                source=a.source,
            )
            for a in portfolio.pe_activities.all()
        ),
        declaration=Declaration(
            code_of_conduct=portfolio.declares_code_of_conduct,
            complaints_regulation=portfolio.declares_complaints_regulation,
        ),
    )
