"""Jobcoach recertification documents (exchange.md) <-> :class:`JobcoachSnapshot`.

:func:`parse_document` has already checked ``format`` and ``framework``. The activity-type table
of the framework version decides which fields an activity reads and writes, so
``parse_jobcoach(dump_jobcoach(snapshot)) == snapshot``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from noloc_portal.validators import EVENT_DATES
from portfolios.evaluation.common import DocumentError, is_blank
from portfolios.exchange import reader
from portfolios.exchange.document import FORMAT
from portfolios.jobcoach.framework import (
    FIELD_KINDS,
    JOBCOACH,
    JobcoachFramework,
    jobcoach_framework,
)
from portfolios.jobcoach.rules import (
    CurrentWork,
    Declaration,
    DevelopmentPlan,
    JobcoachSnapshot,
    PEActivity,
    ReflectionMeeting,
    ReflectionReport,
)

# The API schema's example (exchange.md).
EXAMPLE_DOCUMENT = {
    "format": FORMAT,
    "framework": JOBCOACH,
    "recertification_date": "2027-03-31",
    "a1": {"cv": "cv.pdf", "statement": {"signed": True, "evidence": "verklaring.pdf"}},
    "a2": {"report": "…"},
    "reflection_meetings": [
        {
            "date": "2025-05-12",
            "kind": "intervision",
            "facilitator": "A. de Vries",
            "facilitator_registration": "",
            "own_situation": True,
            "statement": {"signed": True, "evidence": "intervisie-1.pdf"},
        }
    ],
    "reflection_report": {
        "meeting": 0,
        "situation": "…",
        "motivation": "…",
        "insights": "…",
        "consequences": "…",
    },
    "development_plan": {"present": "…", "past": "…", "future": "…"},
    "pe_activities": [
        {"type": "course", "title": "…", "date": "2024-02-01", "sbu": 24, "evidence": "cert.pdf"}
    ],
    "declaration": {"code_of_conduct": True, "complaints_regulation": True},
}


def parse_jobcoach(data: dict[str, Any]) -> JobcoachSnapshot:
    """The snapshot of a Jobcoach document; raises DocumentError naming the JSON path."""
    recertification_date = reader.opt_date(data, "recertification_date", "")
    version = reader.opt_text(data, "framework_version", "")
    if version is not None and is_blank(version):
        version = None
    framework = _framework(on=recertification_date, version=version)
    a1 = reader.opt_obj(data, "a1", "") or {}
    a2 = reader.opt_obj(data, "a2", "") or {}
    plan = reader.opt_obj(data, "development_plan", "") or {}
    declaration = reader.opt_obj(data, "declaration", "") or {}
    return JobcoachSnapshot(
        recertification_date=recertification_date,
        framework_version=version,
        a1=CurrentWork(
            cv=reader.evidence(a1, "cv", "a1"),
            statement=reader.statement(a1, "statement", "a1"),
        ),
        a2_report=reader.text(a2, "report", "a2"),
        reflection_meetings=tuple(
            _meeting(reader.obj(element, path), path, framework=framework)
            for path, element in reader.items(data, "reflection_meetings", "")
        ),
        reflection_report=_reflection_report(data),
        development_plan=DevelopmentPlan(
            present=reader.text(plan, "present", "development_plan"),
            past=reader.text(plan, "past", "development_plan"),
            future=reader.text(plan, "future", "development_plan"),
        ),
        pe_activities=tuple(
            _activity(reader.obj(element, path), path, framework=framework)
            for path, element in reader.items(data, "pe_activities", "")
        ),
        declaration=Declaration(
            code_of_conduct=reader.boolean(declaration, "code_of_conduct", "declaration"),
            complaints_regulation=reader.boolean(
                declaration, "complaints_regulation", "declaration"
            ),
        ),
    )


def dump_jobcoach(snapshot: JobcoachSnapshot) -> dict[str, Any]:
    """The exchange.md document of a snapshot (inverse of :func:`parse_jobcoach`)."""
    framework = jobcoach_framework(
        on=snapshot.recertification_date, version=snapshot.framework_version
    )
    document: dict[str, Any] = {"format": FORMAT, "framework": JOBCOACH}
    if snapshot.framework_version is not None:
        document["framework_version"] = snapshot.framework_version
    report = snapshot.reflection_report
    plan = snapshot.development_plan
    document |= {
        "recertification_date": _iso(snapshot.recertification_date),
        "a1": {"cv": snapshot.a1.cv, "statement": snapshot.a1.statement.to_json()},
        "a2": {"report": snapshot.a2_report},
        "reflection_meetings": [
            {
                "date": _iso(meeting.date),
                "kind": meeting.kind,
                "facilitator": meeting.facilitator,
                "facilitator_registration": meeting.facilitator_registration,
                "own_situation": meeting.own_situation,
                "statement": meeting.statement.to_json(),
            }
            for meeting in snapshot.reflection_meetings
        ],
        "reflection_report": None
        if report is None
        else {
            "meeting": report.meeting,
            "situation": report.situation,
            "motivation": report.motivation,
            "insights": report.insights,
            "consequences": report.consequences,
        },
        "development_plan": {"present": plan.present, "past": plan.past, "future": plan.future},
        "pe_activities": [
            _dump_activity(activity, framework=framework) for activity in snapshot.pe_activities
        ],
        "declaration": {
            "code_of_conduct": snapshot.declaration.code_of_conduct,
            "complaints_regulation": snapshot.declaration.complaints_regulation,
        },
    }
    return document


def _framework(*, on: date | None, version: str | None) -> JobcoachFramework:
    # The activity-type table of the recorded version (else the one in force on the
    # recertification date, else the newest) decides which fields an activity carries.
    try:
        return jobcoach_framework(on=on, version=version)
    except LookupError:
        raise DocumentError(
            "framework_version", f"unknown version {version!r} of {JOBCOACH}"
        ) from None


def _meeting(
    meeting: dict[str, Any], path: str, *, framework: JobcoachFramework
) -> ReflectionMeeting:
    kinds = tuple(kind.code for kind in framework.meeting_kinds)
    return ReflectionMeeting(
        date=reader.opt_date(meeting, "date", path, dates=EVENT_DATES),
        kind=reader.choice(meeting, "kind", path, kinds),
        facilitator=reader.text(meeting, "facilitator", path),
        facilitator_registration=reader.text(meeting, "facilitator_registration", path),
        own_situation=reader.boolean(meeting, "own_situation", path),
        statement=reader.statement(meeting, "statement", path),
    )


def _reflection_report(data: dict[str, Any]) -> ReflectionReport | None:
    report = reader.opt_obj(data, "reflection_report", "")
    if report is None:
        return None
    path = "reflection_report"
    meeting = reader.opt_number(report, "meeting", path, integer=True)
    return ReflectionReport(
        meeting=None if meeting is None else int(meeting),
        situation=reader.text(report, "situation", path),
        motivation=reader.text(report, "motivation", path),
        insights=reader.text(report, "insights", path),
        consequences=reader.text(report, "consequences", path),
    )


def _activity(activity: dict[str, Any], path: str, *, framework: JobcoachFramework) -> PEActivity:
    code = activity.get("type")
    if code is None:
        raise DocumentError(reader.join(path, "type"), "is required")
    if not isinstance(code, str):
        raise DocumentError(reader.join(path, "type"), "must be a string")
    kind = framework.activity_type(code)
    if kind is None:
        raise DocumentError(reader.join(path, "type"), f"unknown activity type {code!r}")
    # Only the fields the type uses are read: any other field is ignored like an unknown one.
    values: dict[str, Any] = {}
    for name in kind.fields:
        value = _field(activity, name, path, required=name in kind.required_fields)
        # An absent optional field keeps the snapshot default (open end, 0 half days, "").
        if value is not None:
            values[name] = value
    if "end" in values and values["end"] < values["start"]:
        raise DocumentError(reader.join(path, "end"), "must not be before start")
    return PEActivity(
        type=code,
        title=reader.text(activity, "title", path),
        evidence=reader.evidence(activity, "evidence", path),
        **values,
    )


def _field(activity: dict[str, Any], name: str, path: str, *, required: bool) -> Any:
    kind = FIELD_KINDS[name]
    if kind == "date":
        read_date = reader.req_date if required else reader.opt_date
        return read_date(activity, name, path, dates=EVENT_DATES)
    if kind == "text":
        return reader.text(activity, name, path)
    read_number = reader.req_number if required else reader.opt_number
    return read_number(activity, name, path, integer=kind == "integer")


def _dump_activity(activity: PEActivity, *, framework: JobcoachFramework) -> dict[str, Any]:
    kind = framework.activity_type(activity.type)
    if kind is None:
        raise ValueError(f"unknown activity type {activity.type!r}")
    data: dict[str, Any] = {"type": activity.type, "title": activity.title}
    for name in kind.fields:
        value = getattr(activity, name)
        data[name] = _iso(value) if isinstance(value, date) else value
    data["evidence"] = activity.evidence
    return data


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
