"""AS-7: the Register Jobcoach content of the assessor's dossier (PE register, meetings)."""

from __future__ import annotations

from datetime import date

from noloc_portal.pdf.registry import Report
from portfolios.dossier import dossier_report, frozen_snapshot
from portfolios.jobcoach.checklist import JOBCOACH_SECTIONS
from portfolios.jobcoach.framework import jobcoach_framework
from portfolios.models import Submission


def build_jobcoach_dossier(submission: Submission) -> Report:
    snapshot = frozen_snapshot(submission)
    evaluation = submission.evaluation
    framework = jobcoach_framework(version=snapshot.framework_version)
    pe = evaluation["pe"]
    activities = [
        {
            "activity": activity,
            "kind": framework.activity_type(activity.type),
            "score": pe["activities"][index],
        }
        for index, activity in enumerate(snapshot.pe_activities)
    ]
    categories = [
        {"category": category, **pe["categories"][str(category.number)]}
        for category in framework.categories
    ]
    return dossier_report(
        submission,
        template="portfolios/jobcoach/pdf/dossier.html",
        sections=JOBCOACH_SECTIONS,
        framework=framework,
        activities=activities,
        categories=categories,
        pe=pe,
        meetings=[
            {"meeting": meeting, "kind": framework.meeting_kind(meeting.kind)}
            for meeting in snapshot.reflection_meetings
        ],
        window_start=date.fromisoformat(pe["window"]["start"]),
        window_end=date.fromisoformat(pe["window"]["end"]),
    )
