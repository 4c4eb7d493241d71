"""What the portal holds about one person, as plain JSON-ready records (the download's files).

Each function reads only rows that are about ``user`` or that ``user`` wrote; another person
appears at most as a role ("assessor", "kringcoördinator"), never by name or e-mail address.
Portfolios and their evidence are not here: the download carries them as exchange bundles
(:mod:`noloc_portal.privacy.export`).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from assessments.models import Advice, Assignment, Decision, Interview, Registration
from kwaliteitskringen.models import (
    AnnualReport,
    Application,
    Attendance,
    Circle,
    Contribution,
    CostShare,
    FoundingRequest,
    Interest,
    Meeting,
    MeetingRegistration,
    Membership,
    RegionalChair,
    SubgroupMembership,
)
from noloc_portal.accounts.models import User
from noloc_portal.audit.models import SecurityEvent
from noloc_portal.documents.models import Document
from noloc_portal.privacy.models import AccountRemovalRequest
from portfolios.models import Portfolio

LOGIN_ACTIONS = ("login", "logout", "login_failed")


def cv_name(document: Document) -> str:
    """Where the download puts an uploaded CV: a short unique prefix and the file's own name,
    without any folder it may claim."""
    name = PurePosixPath(document.original_name.replace("\\", "/")).name or "cv"
    return f"kwaliteitskringen/cv/{document.uuid.hex[:8]}-{name}"


def _portfolio_ref(portfolio: Portfolio) -> dict[str, Any]:
    return {
        "portfolio_id": portfolio.pk,
        "kader": portfolio.framework,
        "kader_naam": str(portfolio.get_framework_display()),
    }


def account_record(user: User) -> dict[str, Any]:
    return {
        "naam": user.full_name,
        "e_mailadres": user.email,
        "noloc_lidnummer": user.membership_number,
        "lidnummer_gecontroleerd": user.membership_verified,
        "plaats": user.place,
        "plaats_in_openbaar_register": user.show_place_in_register,
        "actief": user.is_active,
        "toegang_tot_beheer": user.is_staff,
        "aangemaakt_op": user.date_joined,
        "laatst_ingelogd_op": user.last_login,
        "rollen": [
            {"rol": grant.role, "naam": str(grant.get_role_display()), "sinds": grant.granted_at}
            for grant in user.role_grants.order_by("granted_at", "pk")
        ],
        "verzoeken_om_verwijdering": [
            {
                "aangevraagd_op": request.requested_at,
                "reden": request.reason,
                "status": request.state,
                "ingetrokken_op": request.withdrawn_at,
                "afgehandeld_op": request.handled_at,
                "toelichting": request.note,
            }
            for request in AccountRemovalRequest.objects.filter(user=user).order_by("requested_at")
        ],
    }


def login_history(user: User) -> list[dict[str, Any]]:
    """Logins, logouts and failed logins under the person's e-mail address."""
    events = SecurityEvent.objects.filter(
        Q(actor=user, action__in=("login", "logout"))
        | Q(action="login_failed", actor_label__iexact=user.email)
    ).order_by("at", "pk")
    return [{"tijdstip": e.at, "handeling": e.action, "ip_adres": e.ip} for e in events.iterator()]


def security_events(user: User) -> list[dict[str, Any]]:
    """The security log's other lines by the person, or about their account.

    A line about something else (a portfolio the person assessed, a row staff changed in the
    admin) is named by its kind and number only: its label may name another person.
    """
    user_type = ContentType.objects.get_for_model(User)
    about_account = Q(target_type=user_type, target_id=str(user.pk))
    events = (
        SecurityEvent.objects.filter(Q(actor=user) | about_account)
        .exclude(action__in=LOGIN_ACTIONS)
        .select_related("target_type")
        .order_by("at", "pk")
    )
    lines = []
    for e in events.iterator(chunk_size=500):
        own_account = e.target_type_id == user_type.pk and e.target_id == str(user.pk)
        lines.append(
            {
                "tijdstip": e.at,
                "handeling": e.action,
                "door_mijzelf": e.actor_id == user.pk,
                "over": "mijn account"
                if own_account
                else (f"{e.target_type.model} {e.target_id}" if e.target_type else None),
                "ip_adres": e.ip if e.actor_id == user.pk else None,
            }
        )
    return lines


def portfolio_overview(user: User) -> list[dict[str, Any]]:
    """Every portfolio of the person with its submissions and history; the content itself is in
    the bundle named here."""
    portfolios = Portfolio.objects.filter(owner=user).prefetch_related("submissions", "events")
    return [
        {
            **_portfolio_ref(portfolio),
            "bundel": f"portfolios/portfolio-{portfolio.pk}.zip",
            "versie_kader": portfolio.framework_version,
            "status": portfolio.state,
            "aangemaakt_op": portfolio.created_at,
            "laatst_gewijzigd": portfolio.updated_at,
            "ingediend_op": portfolio.submitted_at,
            "indieningen": [
                {"volgnummer": s.number, "ingediend_op": s.submitted_at}
                for s in sorted(portfolio.submissions.all(), key=lambda s: s.number)
            ],
            "geschiedenis": [
                {
                    "tijdstip": event.at,
                    "handeling": event.action,
                    "door_mijzelf": event.actor_id == user.pk,
                    "details": event.detail,
                }
                for event in sorted(portfolio.events.all(), key=lambda e: (e.at, e.pk))
            ],
        }
        for portfolio in portfolios.order_by("created_at", "pk")
    ]


def assessment_of_portfolios(user: User) -> list[dict[str, Any]]:
    """The rounds, advice and decision on each of the person's portfolios (AS-5, AS-6)."""
    portfolios = (
        Portfolio.objects.filter(owner=user, rounds__isnull=False)
        .distinct()
        .select_related("decision")
        .prefetch_related("rounds__advice", "rounds__interview")
        .order_by("created_at", "pk")
    )
    result = []
    for portfolio in portfolios:
        rounds = []
        for round_ in sorted(portfolio.rounds.all(), key=lambda r: r.number):
            advice = getattr(round_, "advice", None)
            interview = getattr(round_, "interview", None)
            rounds.append(
                {
                    "ronde": round_.number,
                    "geopend_op": round_.opened_at,
                    "aanleiding": round_.reason,
                    "toetsingsgesprek": None
                    if interview is None
                    else {
                        "status": interview.state,
                        "datum_en_tijd": interview.starts_at,
                        "plaats": interview.location,
                        "gehouden_op": interview.held_on,
                    },
                    "advies": None
                    if advice is None
                    else {
                        "uitkomst": advice.outcome,
                        "onderbouwing": advice.motivation,
                        "ontwikkeladvies": advice.development_advice,
                        "te_aanvullen_onderdelen": advice.supplement_sections,
                        "uiterste_datum_aanvulling": advice.supplement_deadline,
                        "uitgebracht_op": advice.advised_at,
                    },
                }
            )
        decision = getattr(portfolio, "decision", None)
        result.append(
            {
                **_portfolio_ref(portfolio),
                "rondes": rounds,
                "besluit": None
                if decision is None
                else {
                    "uitkomst": decision.outcome,
                    "datum_besluit": decision.decided_on,
                    "toelichting": decision.notes,
                },
            }
        )
    return result


def registrations(user: User) -> list[dict[str, Any]]:
    rows = Registration.objects.filter(owner=user).select_related("decision__portfolio")
    return [
        {
            "registratie_id": registration.pk,
            "register": registration.register,
            "geldig_vanaf": registration.valid_from,
            "geldig_tot_en_met": registration.valid_until,
            "vorige_registratie_id": registration.previous_id,
            "besluit": None
            if registration.decision is None
            else {
                **_portfolio_ref(registration.decision.portfolio),
                "uitkomst": registration.decision.outcome,
                "datum_besluit": registration.decision.decided_on,
            },
            "aangemaakt_op": registration.created_at,
        }
        for registration in rows.order_by("valid_from", "pk")
    ]


def assessor_work(user: User) -> dict[str, Any]:
    """What the person did as assessor or certification coordinator: declarations, judgements,
    advice, interview notes and decisions they wrote. The candidate is named only by the
    portfolio's number."""
    assignments = (
        Assignment.objects.filter(assessor=user)
        .select_related("round__portfolio")
        .prefetch_related("judgements")
        .order_by("assigned_at", "pk")
    )
    advices = (
        Advice.objects.filter(advised_by=user)
        .select_related("round__portfolio")
        .order_by("advised_at", "pk")
    )
    interviews = (
        Interview.objects.filter(recorded_by=user)
        .select_related("round__portfolio")
        .prefetch_related("criterion_notes")
        .order_by("starts_at", "pk")
    )
    decisions = (
        Decision.objects.filter(decided_by=user)
        .select_related("portfolio")
        .order_by("decided_on", "pk")
    )
    return {
        "toewijzingen": [
            {
                **_portfolio_ref(a.round.portfolio),
                "ronde": a.round.number,
                "status": a.state,
                "toegewezen_op": a.assigned_at,
                "geen_belangenverstrengeling_verklaard_op": a.declared_at,
                "afgewezen_op": a.declined_at,
                "reden_van_afwijzen": a.decline_reason,
                "beoordeling_afgerond_op": a.judged_at,
                "oordelen": [
                    {
                        "criterium": j.criterion,
                        "oordeel": j.verdict,
                        "toelichting": j.explanation,
                        "laatst_gewijzigd": j.updated_at,
                    }
                    for j in a.judgements.all()
                ],
            }
            for a in assignments
        ],
        "adviezen": [
            {
                **_portfolio_ref(advice.round.portfolio),
                "ronde": advice.round.number,
                "uitkomst": advice.outcome,
                "onderbouwing": advice.motivation,
                "ontwikkeladvies": advice.development_advice,
                "uitgebracht_op": advice.advised_at,
            }
            for advice in advices
        ],
        "toetsingsgesprekken": [
            {
                **_portfolio_ref(interview.round.portfolio),
                "ronde": interview.round.number,
                "gehouden_op": interview.held_on,
                "aantekeningen": interview.notes,
                "aantekeningen_per_criterium": [
                    {"criterium": note.criterion, "aantekeningen": note.notes}
                    for note in interview.criterion_notes.all()
                ],
            }
            for interview in interviews
        ],
        "vastgelegde_besluiten": [
            {
                **_portfolio_ref(decision.portfolio),
                "uitkomst": decision.outcome,
                "datum_besluit": decision.decided_on,
                "toelichting": decision.notes,
            }
            for decision in decisions
        ],
    }


def _meeting_ref(meeting: Meeting) -> dict[str, Any]:
    return {
        "kring": meeting.circle.name,
        "datum": meeting.date,
        "thema": meeting.theme,
        "vorm": meeting.form,
    }


def circle_records(user: User) -> dict[str, Any]:
    """The person's quality-circle records (KK-2 … KK-11)."""
    roles = []
    for circle in Circle.objects.filter(
        Q(coordinator=user) | Q(secretary=user) | Q(treasurer=user)
    ).order_by("name"):
        for field, label in (
            ("coordinator_id", "kringcoördinator"),
            ("secretary_id", "secretaris"),
            ("treasurer_id", "penningmeester"),
        ):
            if getattr(circle, field) == user.pk:
                roles.append({"kring": circle.name, "rol": label})
    coordinated = Q(circle__coordinator=user) | Q(submitted_by=user)
    reports = AnnualReport.objects.filter(coordinated).select_related("circle")
    return {
        "rollen_in_kringen": roles,
        "regiovoorzitter_van": list(
            RegionalChair.objects.filter(user=user)
            .order_by("region")
            .values_list("region", flat=True)
        ),
        "lidmaatschappen": [
            {
                "kring": m.circle.name,
                "jaar": m.year,
                "status": m.state,
                "reden": m.end_reason,
                "ingeschreven_op": m.created_at,
                "beeindigd_op": m.ended_at,
                "naam_in_gepubliceerde_jaarverslagen": m.name_in_annual_report,
            }
            for m in Membership.objects.filter(member=user)
            .select_related("circle")
            .order_by("year", "pk")
        ],
        "subgroepen": [
            {
                "subgroep": s.subgroup.name,
                "kring": s.subgroup.circle.name,
                "lid_sinds": s.joined_at,
                "vertrokken_op": s.left_at,
            }
            for s in SubgroupMembership.objects.filter(member=user)
            .select_related("subgroup__circle")
            .order_by("joined_at", "pk")
        ],
        "aanmeldingen": [
            {
                "kring": a.circle.name,
                "status": a.state,
                "aangemeld_op": a.submitted_at,
                "verwachtingen": a.expectations,
                "cv": cv_name(a.cv),
                "toelichting_bij_besluit": a.decision_reason,
                "besluit_op": a.decided_at,
                "proefperiode_vanaf": a.trial_started_on,
                "bijdrage_proefperiode": a.trial_fee,
            }
            for a in Application.objects.filter(applicant=user)
            .select_related("circle", "cv")
            .order_by("submitted_at", "pk")
        ],
        "aanwezigheid": [
            {**_meeting_ref(a.meeting), "aanwezig": a.present, "op_proef": a.on_trial}
            for a in Attendance.objects.filter(participant=user)
            .select_related("meeting__circle")
            .order_by("meeting__date", "pk")
        ],
        "aanmeldingen_voor_bijeenkomsten": [
            {**_meeting_ref(r.meeting), "aangemeld_op": r.registered_at}
            for r in MeetingRegistration.objects.filter(participant=user)
            .select_related("meeting__circle")
            .order_by("meeting__date", "pk")
        ],
        "bijeenkomsten_als_gastheer_of_gastvrouw": [
            {**_meeting_ref(m), "status": m.state}
            for m in Meeting.objects.filter(host=user)
            .select_related("circle")
            .order_by("date", "pk")
        ],
        "bijeenkomsten_als_notulist": [
            {**_meeting_ref(m), "status": m.state}
            for m in Meeting.objects.filter(note_taker=user)
            .select_related("circle")
            .order_by("date", "pk")
        ],
        "actieve_bijdragen": [
            {"kring": c.circle.name, "datum": c.date, "omschrijving": c.description}
            for c in Contribution.objects.filter(participant=user)
            .select_related("circle")
            .order_by("date", "pk")
        ],
        "ledenbijdragen": [
            {
                "kring": c.circle.name,
                "jaar": c.year,
                "bedrag": c.amount,
                "omschrijving": c.description,
            }
            for c in CostShare.objects.filter(member=user)
            .select_related("circle")
            .order_by("year", "pk")
        ],
        "jaarverslagen": [
            {
                "kring": r.circle.name,
                "jaar": r.year,
                "status": r.state,
                "doelstelling": r.objective,
                "toelichting_op_de_activiteiten": r.narrative,
                "aantal_leden": r.member_count,
                "aantal_bijeenkomsten": r.meeting_count,
                "uitgevoerde_activiteiten": r.activities,
                "ingediend_op": r.submitted_at,
                "door_mij_ingediend": r.submitted_by_id == user.pk,
            }
            for r in reports.order_by("year", "circle__name")
        ],
        "oprichtingsverzoeken": [
            {
                "naam_van_de_kring": f.name,
                "regio": f.region,
                "beoogde_plaats": f.meeting_place,
                "beoogd_ritme": f.rhythm,
                "motivatie": f.motivation,
                "status": f.state,
                "ingediend_op": f.submitted_at,
                "toelichting_bij_besluit": f.decision_reason,
            }
            for f in FoundingRequest.objects.filter(founder=user).order_by("submitted_at", "pk")
        ],
        "belangstelling_voor_nieuwe_kring": [
            {
                "regio": i.region,
                "status": i.state,
                "toestemming_gegeven_op": i.consent_at,
                "verloopt_op": i.expires_on,
            }
            for i in Interest.objects.filter(email__iexact=user.email).order_by("created_at")
        ],
    }


def application_cvs(user: User):
    """The CVs sent with circle applications, with the name the download gives each."""
    seen = set()
    for application in Application.objects.filter(applicant=user).select_related("cv"):
        if application.cv_id in seen:
            continue
        seen.add(application.cv_id)
        yield cv_name(application.cv), application.cv


def documents(user: User) -> list[dict[str, Any]]:
    return [
        {
            "bestandsnaam": d.original_name,
            "bestandstype": d.content_type,
            "grootte": d.size,
            "sha256": d.sha256,
            "geupload_op": d.uploaded_at,
        }
        for d in Document.objects.filter(owner=user).order_by("uploaded_at", "pk")
    ]
