"""The audit trail of a portfolio as the certification coordinator reads it: a Dutch label per
recorded action and the details that matter, with the people named (workflow.md: every
transition is recorded, who and when)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from assessments.models import AdviceOutcome, DecisionOutcome
from noloc_portal.accounts.models import User
from portfolios.models import AuditEvent

ACTION_LABELS = {
    "created": _("Portfolio aangemaakt"),
    "imported": _("Portfolio geïmporteerd"),
    "section_saved": _("Onderdeel opgeslagen"),
    "submitted": _("Ingediend"),
    "resubmitted": _("Aanvulling ingediend"),
    "withdrawn": _("Ingetrokken"),
    "assessor_assigned": _("Assessor toegewezen"),
    "declared": _("Geen belangenverstrengeling verklaard"),
    "declined": _("Assessor heeft afgezien"),
    "judged": _("Beoordeling afgerond"),
    "interview_scheduled": _("Toetsingsgesprek gepland"),
    "interview_recorded": _("Toetsingsgesprek vastgelegd"),
    "advised": _("Advies uitgebracht"),
    "supplement_requested": _("Aanvulling gevraagd"),
    "supplement_deadline_passed": _("Termijn voor aanvulling verstreken"),
    "decided": _("Besluit vastgelegd"),
    "meeting_added": _("Reflectiebijeenkomst toegevoegd"),
    "meeting_changed": _("Reflectiebijeenkomst gewijzigd"),
    "meeting_removed": _("Reflectiebijeenkomst verwijderd"),
    "activity_added": _("PE-activiteit toegevoegd"),
    "activity_changed": _("PE-activiteit gewijzigd"),
    "activity_removed": _("PE-activiteit verwijderd"),
    "course_added": _("Cursus toegevoegd"),
    "course_changed": _("Cursus gewijzigd"),
    "course_removed": _("Cursus verwijderd"),
    "case_added": _("Casus toegevoegd"),
    "case_changed": _("Casus gewijzigd"),
    "case_removed": _("Casus verwijderd"),
    "circle_meeting_added": _("Kringbijeenkomst overgenomen"),
    "confirmation_requested": _("Bevestiging gevraagd aan begeleider"),
    "confirmation_revoked": _("Bevestigingslink ingetrokken"),
    "confirmations_revoked": _("Openstaande bevestigingslinks ingetrokken"),
    "confirmation_confirmed": _("Bijeenkomst bevestigd door begeleider"),
    "confirmation_corrected": _("Bijeenkomst gecorrigeerd door begeleider"),
}

OUTCOME_LABELS = {**dict(AdviceOutcome.choices), **dict(DecisionOutcome.choices)}


@dataclass(frozen=True)
class TrailEntry:
    event: AuditEvent
    label: str
    details: list[tuple[str, str]]


def label_of(action: str) -> str:
    """The Dutch label of an action; an action without one shows as recorded."""
    return str(ACTION_LABELS.get(action, action))


def _date(value) -> str:
    try:
        return date.fromisoformat(str(value)).strftime("%d-%m-%Y")
    except ValueError:
        return str(value)


def _details(event: AuditEvent, people: dict[int, User]) -> list[tuple[str, str]]:
    detail = event.detail if isinstance(event.detail, dict) else {}
    shown = []
    if "round" in detail:
        shown.append((str(_("ronde")), str(detail["round"])))
    if "submission" in detail:
        shown.append((str(_("indiening")), str(detail["submission"])))
    if "assessor" in detail:
        person = people.get(detail["assessor"])
        shown.append((str(_("assessor")), str(person) if person else str(detail["assessor"])))
    if "outcome" in detail:
        outcome = OUTCOME_LABELS.get(detail["outcome"], detail["outcome"])
        shown.append((str(_("uitkomst")), str(outcome)))
    if "section" in detail:
        shown.append((str(_("onderdeel")), str(detail["section"])))
    if isinstance(detail.get("sections"), list):
        shown.append((str(_("onderdelen")), ", ".join(map(str, detail["sections"]))))
    for key, name in (
        ("decided_on", _("datum besluit")),
        ("valid_from", _("geldig vanaf")),
        ("valid_until", _("geldig tot en met")),
        ("deadline", _("uiterste datum")),
    ):
        if key in detail:
            shown.append((str(name), _date(detail[key])))
    if detail.get("email"):
        shown.append((str(_("e-mailadres")), str(detail["email"])))
    if detail.get("reason"):
        shown.append((str(_("reden")), str(detail["reason"])))
    return shown


def trail_entries(events: Iterable[AuditEvent]) -> list[TrailEntry]:
    """Label and details of each event; the assessors named in them are read in one query."""
    events = list(events)
    ids = {
        event.detail["assessor"]
        for event in events
        if isinstance(event.detail, dict) and isinstance(event.detail.get("assessor"), int)
    }
    people = {user.pk: user for user in User.objects.filter(pk__in=ids)} if ids else {}
    return [
        TrailEntry(event=event, label=label_of(event.action), details=_details(event, people))
        for event in events
    ]
