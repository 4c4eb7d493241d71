"""Register Jobcoach documents <-> models: the Jobcoach half of :mod:`portfolios.exchange.storage`.

``storage`` validates and stores files and runs the transaction; this module names the evidence
of a Jobcoach snapshot, checks every value against its column before anything is written, creates
the rows, and lists the stored files (and facilitator confirmations) an export needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from noloc_portal.documents.validation import EVIDENCE_KINDS, REPORT_KINDS
from noloc_portal.pdf.rendering import render_statement
from portfolios.evaluation.common import DocumentError
from portfolios.jobcoach.framework import FIELD_KINDS, JOBCOACH
from portfolios.jobcoach.models import (
    ConfirmationState,
    JobcoachDetails,
    PEActivity,
    ReflectionMeeting,
)
from portfolios.jobcoach.rules import JobcoachSnapshot
from portfolios.jobcoach.snapshot import jobcoach_details
from portfolios.models import Portfolio
from portfolios.registry import framework_version
from portfolios.snapshots import bundle_name


def jobcoach_evidence(snapshot: JobcoachSnapshot) -> list[tuple[str, str | None, tuple]]:
    """Every evidence name of a Jobcoach document with its JSON path, in document order."""
    found = [
        ("a1.cv", snapshot.a1.cv, EVIDENCE_KINDS),
        ("a1.statement.evidence", snapshot.a1.statement.evidence, EVIDENCE_KINDS),
    ]
    found += [
        (f"reflection_meetings[{i}].statement.evidence", m.statement.evidence, EVIDENCE_KINDS)
        for i, m in enumerate(snapshot.reflection_meetings)
    ]
    # The PE-activity form accepts DOCX as well (see forms.py), so a bundle may hold one.
    found += [
        (f"pe_activities[{i}].evidence", a.evidence, REPORT_KINDS)
        for i, a in enumerate(snapshot.pe_activities)
    ]
    return found


def jobcoach_evidence_sections(snapshot: JobcoachSnapshot) -> list[tuple[str, str, str]]:
    """The evidence of a Jobcoach document by checklist section, labelled for the assessor."""
    found = [
        ("a1", _("Cv"), snapshot.a1.cv),
        ("a1", _("Werkgeversverklaring of opdrachtbevestiging"), snapshot.a1.statement.evidence),
    ]
    for number, meeting in enumerate(snapshot.reflection_meetings, start=1):
        day = date_format(meeting.date, "j F Y") if meeting.date else "-"
        label = _("Verklaring bijeenkomst %(n)d (%(date)s)") % {"n": number, "date": day}
        found.append(("a31", label, meeting.statement.evidence))
    for number, activity in enumerate(snapshot.pe_activities, start=1):
        label = _("Bewijs PE-activiteit %(n)d: %(title)s") % {
            "n": number,
            "title": activity.title or "-",
        }
        found.append(("b", label, activity.evidence))
    return [(section, label, name) for section, label, name in found if name]


def _details_values(snapshot: JobcoachSnapshot, fits: Callable) -> dict[str, Any]:
    report = snapshot.reflection_report
    plan = snapshot.development_plan
    values = {
        "recertification_date": snapshot.recertification_date,
        "a1_statement_signed": snapshot.a1.statement.signed,
        "a2_report": snapshot.a2_report,
        "plan_present": plan.present,
        "plan_past": plan.past,
        "plan_future": plan.future,
    }
    if report is not None:
        values |= {
            "report_situation": report.situation,
            "report_motivation": report.motivation,
            "report_insights": report.insights,
            "report_consequences": report.consequences,
        }
    fits(
        JobcoachDetails,
        values,
        {
            "a2_report": "a2.report",
            "plan_present": "development_plan.present",
            "plan_past": "development_plan.past",
            "plan_future": "development_plan.future",
            "report_situation": "reflection_report.situation",
            "report_motivation": "reflection_report.motivation",
            "report_insights": "reflection_report.insights",
            "report_consequences": "reflection_report.consequences",
        },
    )
    return values


def _meeting_values(snapshot: JobcoachSnapshot, fits: Callable) -> list[dict[str, Any]]:
    rows = []
    for i, meeting in enumerate(snapshot.reflection_meetings):
        values = {
            "date": meeting.date,
            "kind": meeting.kind,
            "facilitator": meeting.facilitator,
            "facilitator_registration": meeting.facilitator_registration,
            "own_situation": meeting.own_situation,
            "statement_signed": meeting.statement.signed,
        }
        path = f"reflection_meetings[{i}]"
        fits(ReflectionMeeting, values, {name: f"{path}.{name}" for name in values})
        rows.append(values)
    return rows


_ACTIVITY_FIELDS = ("type", "title", *FIELD_KINDS)


def _activity_values(snapshot: JobcoachSnapshot, fits: Callable) -> list[dict[str, Any]]:
    rows = []
    for i, activity in enumerate(snapshot.pe_activities):
        values = {name: getattr(activity, name) for name in _ACTIVITY_FIELDS}
        fits(PEActivity, values, {name: f"pe_activities[{i}].{name}" for name in values})
        rows.append(values)
    return rows


def jobcoach_creator(snapshot: JobcoachSnapshot, owner, fits: Callable):
    """The framework version and a function creating the rows of a Jobcoach document, after
    every value was checked (nothing is written here)."""
    report = snapshot.reflection_report
    meetings = snapshot.reflection_meetings
    if report is not None and report.meeting is not None and report.meeting >= len(meetings):
        raise DocumentError(
            "reflection_report.meeting", f"there is no reflection meeting {report.meeting}"
        )
    version = (
        snapshot.framework_version
        or framework_version(JOBCOACH, on=snapshot.recertification_date).version
    )
    fits(Portfolio, {"framework_version": version}, {"framework_version": "framework_version"})
    details_values = _details_values(snapshot, fits)
    meeting_rows = _meeting_values(snapshot, fits)
    activity_rows = _activity_values(snapshot, fits)

    def create(document_of) -> Portfolio:
        portfolio = Portfolio.objects.create(
            owner=owner,
            framework=JOBCOACH,
            framework_version=version,
            cv=document_of(snapshot.a1.cv),
            declares_code_of_conduct=snapshot.declaration.code_of_conduct,
            declares_complaints_regulation=snapshot.declaration.complaints_regulation,
        )
        created_meetings = ReflectionMeeting.objects.bulk_create(
            ReflectionMeeting(
                portfolio=portfolio,
                statement=document_of(meeting.statement.evidence),
                **values,
            )
            for meeting, values in zip(meetings, meeting_rows, strict=True)
        )
        PEActivity.objects.bulk_create(
            PEActivity(portfolio=portfolio, evidence=document_of(activity.evidence), **values)
            for activity, values in zip(snapshot.pe_activities, activity_rows, strict=True)
        )
        JobcoachDetails.objects.create(
            portfolio=portfolio,
            a1_statement=document_of(snapshot.a1.statement.evidence),
            report_meeting=(
                created_meetings[report.meeting]
                if report is not None and report.meeting is not None
                else None
            ),
            **details_values,
        )
        return portfolio

    return version, create


def jobcoach_sources(portfolio: Portfolio) -> dict[str, Any]:
    """The stored file (or facilitator confirmation) behind every evidence name of a portfolio."""
    sources: dict[str, Any] = {}
    for stored in (portfolio.cv, jobcoach_details(portfolio).a1_statement):
        if stored is not None:
            sources[bundle_name(stored)] = stored
    for meeting in portfolio.reflection_meetings.all():
        if meeting.statement is not None:
            sources[bundle_name(meeting.statement)] = meeting.statement
        for confirmation in meeting.confirmations.all():
            if confirmation.state in (ConfirmationState.CONFIRMED, ConfirmationState.CORRECTED):
                sources.setdefault(f"bevestiging-{confirmation.token.hex[:8]}", confirmation)
    for activity in portfolio.pe_activities.all():
        if activity.evidence is not None:
            sources[bundle_name(activity.evidence)] = activity.evidence
    return sources


def confirmation_pdf(confirmation) -> bytes:
    meeting = confirmation.meeting
    day = confirmation.confirmed_date or meeting.date
    responded = confirmation.responded_at
    rows = [
        (_("Datum"), date_format(day, "j F Y") if day else "-"),
        (_("Begeleider"), confirmation.confirmed_facilitator or meeting.facilitator),
        (_("E-mailadres begeleider"), confirmation.email),
        (
            _("Eigen situatie ingebracht"),
            _("ja") if confirmation.confirmed_own_situation else _("nee"),
        ),
        (
            _("Bevestigd op"),
            date_format(timezone.localtime(responded), "j F Y, H:i") if responded else "-",
        ),
        (_("Toelichting"), confirmation.facilitator_note or "-"),
    ]
    return render_statement(
        title=_("Bevestiging van een reflectiebijeenkomst door de begeleider"), rows=rows
    )
