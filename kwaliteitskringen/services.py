"""Every state change of a circle's records (workflow.md, quality circle), one function each.

Each function takes keyword-only arguments and the acting user, locks the row whose state
changes, refuses a transition from the wrong state with a Dutch ``TransitionError`` and returns
the same result when the transition was already made (double click).
"""

from __future__ import annotations

import logging
import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kwaliteitskringen import clock, selectors
from kwaliteitskringen import rules as kk_rules
from kwaliteitskringen.models import (
    COUNTING_STATES,
    CURRENT_STATES,
    OPEN_APPLICATION_STATES,
    AnnualReport,
    Application,
    ApplicationState,
    Attendance,
    Circle,
    CircleEvent,
    ClaimState,
    Contribution,
    CostShare,
    FoundingRequest,
    FoundingState,
    Interest,
    InterestInvitation,
    InterestState,
    Meeting,
    MeetingForm,
    MeetingRegistration,
    MeetingState,
    Membership,
    MembershipState,
    Programme,
    ProgrammeItem,
    ProgrammeState,
    RegionalChair,
    RenewalRound,
    ReportState,
    SignalDismissal,
    Subgroup,
    SubgroupMembership,
    SubsidyClaim,
)
from kwaliteitskringen.permissions import (
    can_edit_meeting_report,
    can_manage_circle,
    can_manage_meeting,
    can_manage_meetings,
    can_manage_subgroup,
    can_propose_programme_item,
    can_record_finances,
    can_register_for_meeting,
    is_member,
)
from noloc_portal.documents.models import Document
from noloc_portal.mail import mail_after_commit

logger = logging.getLogger(__name__)


class TransitionError(Exception):
    """A transition refused: wrong state, not allowed, or a rule not met. Message is Dutch."""


def record(*, circle: Circle, by, action: str, **detail) -> CircleEvent:
    return CircleEvent.objects.create(
        circle=circle, actor=by if getattr(by, "pk", None) else None, action=action, detail=detail
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise TransitionError(_("Je hebt geen rechten voor deze handeling bij deze kring."))


def _notify(*, to, template: str, context: dict) -> None:
    """Send a Dutch e-mail to a user after the transaction commits."""
    _mail(address=to.email, template=template, context=context)


def _mail(*, address: str, template: str, context: dict) -> None:
    """Send a Dutch e-mail to an address (not necessarily a user) after the transaction commits."""
    mail_after_commit(address=address, template=f"kwaliteitskringen/{template}", context=context)


def regional_chairs(*regions: str) -> list:
    """The chairs of ``regions`` (KK-8), each person once."""
    from kwaliteitskringen.regions import in_regions

    chairs = RegionalChair.objects.filter(in_regions(regions)).select_related("user")
    return list({chair.user_id: chair.user for chair in chairs if chair.user.is_active}.values())


def _copy_region(*, circle: Circle, template: str, context: dict, also: str = "") -> None:
    """The regional chair is copied on what the circles of the region send to Noloc (KK-8):
    a founded or split circle, a submitted annual report, a submitted subsidy claim. ``also``:
    a second region to copy (a circle split off into another region)."""
    for chair in regional_chairs(circle.region, *([also] if also else [])):
        _notify(
            to=chair,
            template=template,
            context={
                **context,
                "circle": circle,
                "chair": chair,
                "url": _site(reverse("kwaliteitskringen:region_circle", args=[circle.pk])),
            },
        )


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- circles -------------------------------------------------------------------------------


def create_circle(
    *,
    name: str,
    region: str,
    coordinator,
    started_on: date,
    by,
    capacity: int = 16,
    description: str = "",
    objective: str = "",
    split_from: Circle | None = None,
) -> Circle:
    """KK-1, KK-6: a new circle; a split keeps a link to the circle it came from."""
    if Circle.objects.filter(name__iexact=name).exists():
        raise TransitionError(_("Er bestaat al een kring met de naam %(name)s.") % {"name": name})
    circle = Circle.objects.create(
        name=name,
        region=region,
        coordinator=coordinator,
        started_on=started_on,
        capacity=capacity,
        description=description,
        objective=objective,
        split_from=split_from,
    )
    record(circle=circle, by=by, action="created", split_from=split_from and split_from.pk)
    return circle


def update_circle(*, circle: Circle, by, **fields) -> Circle:
    """Settings of the circle: status, capacity, texts, secretary and treasurer (KK-8)."""
    allowed = {
        "status",
        "capacity",
        "description",
        "objective",
        "secretary",
        "treasurer",
        "region",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    with transaction.atomic():
        circle = Circle.objects.select_for_update().get(pk=circle.pk)
        _require(can_manage_circle(by, circle))
        for name, value in fields.items():
            setattr(circle, name, value)
        circle.save()
        record(
            circle=circle,
            by=by,
            action="updated",
            fields=sorted(fields),
        )
    return circle


def split_circle(
    *,
    circle: Circle,
    name: str,
    region: str,
    memberships: list[Membership],
    applications: list[Application],
    by,
    as_of: date | None = None,
) -> Circle:
    """KK-6: start a new circle and move the chosen members and waiting-list applicants to it.

    The old memberships stay as history (state ``moved``); the applicants keep their
    application date, so their order on the new waiting list is fair.
    """
    as_of = as_of or clock.today()
    with transaction.atomic():
        circle = Circle.objects.select_for_update().get(pk=circle.pk)
        _require(can_manage_circle(by, circle))
        new = create_circle(
            name=name,
            region=region,
            coordinator=circle.coordinator,
            started_on=as_of,
            capacity=circle.capacity,
            objective=circle.objective,
            split_from=circle,
            by=by,
        )
        moved = 0
        for membership in Membership.objects.select_for_update().filter(
            pk__in=[m.pk for m in memberships], circle=circle, year=as_of.year
        ):
            if membership.state not in CURRENT_STATES:
                continue
            membership.state = MembershipState.MOVED
            membership.end_reason = _("Overgestapt naar %(name)s") % {"name": new.name}
            membership.ended_at = timezone.now()
            membership.ended_by = by
            membership.save()
            Membership.objects.create(circle=new, member=membership.member, year=as_of.year)
            moved += 1
        waitlisted = Application.objects.select_for_update().filter(
            pk__in=[a.pk for a in applications],
            circle=circle,
            state__in=[ApplicationState.SUBMITTED, ApplicationState.WAITLISTED],
        )
        moved_applications = waitlisted.update(circle=new)
        record(
            circle=circle,
            by=by,
            action="split",
            new_circle=new.pk,
            members=moved,
            applications=moved_applications,
        )
        _copy_region(
            circle=new,
            template="region_circle_split",
            context={"old": circle, "members": moved, "applications": moved_applications},
            also=circle.region,
        )
    return new


# --- applications (KK-4 … KK-6) -------------------------------------------------------------


def apply_to_circle(
    *, circle: Circle, applicant, cv: Document, expectations: str, as_of: date | None = None
) -> Application:
    """KK-4: apply with CV and expectations. A second click returns the open application."""
    as_of = as_of or clock.today()
    with transaction.atomic():
        circle = Circle.objects.select_for_update().get(pk=circle.pk)
        existing = Application.objects.filter(
            circle=circle, applicant=applicant, state__in=OPEN_APPLICATION_STATES
        ).first()
        if existing:
            return existing
        if Membership.objects.filter(
            circle=circle, member=applicant, year=as_of.year, state__in=CURRENT_STATES
        ).exists():
            raise TransitionError(_("Je bent al deelnemer van deze kring."))
        if not circle.takes_applicants:
            raise TransitionError(
                _("Deze kring is vol en neemt op dit moment geen aanmeldingen aan.")
            )
        if not expectations.strip():
            raise TransitionError(_("Beschrijf je verwachtingen van de kring."))
        application = Application.objects.create(
            circle=circle,
            applicant=applicant,
            cv=cv,
            expectations=expectations.strip(),
            submitted_at=timezone.now(),
        )
        record(circle=circle, by=applicant, action="application_submitted", id=application.pk)
        _notify(
            to=circle.coordinator,
            template="application_received",
            context={
                "application": application,
                "url": _site(reverse("kwaliteitskringen:manage_applications", args=[circle.pk])),
            },
        )
    return application


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("circle")
        .get(pk=application.pk)
    )


def _decided(application: Application, *, state: str, by, reason: str = "") -> None:
    application.state = state
    application.decided_at = timezone.now()
    application.decided_by = by
    if reason:
        application.decision_reason = reason


def accept_for_trial(*, application: Application, by, as_of: date | None = None) -> Application:
    """KK-5: the applicant may attend two consecutive meetings on trial, if there is room.

    From the waiting list (``waitlisted → trial``) only the first in line may be invited (KK-6).
    """
    as_of = as_of or clock.today()
    with transaction.atomic():
        application = _lock_application(application)
        circle = application.circle
        _require(can_manage_circle(by, circle))
        if application.state == ApplicationState.TRIAL:
            return application
        if application.state not in (ApplicationState.SUBMITTED, ApplicationState.WAITLISTED):
            raise TransitionError(
                _("Deze aanmelding is %(state)s; meedraaien op proef kan niet meer.")
                % {"state": application.get_state_display().lower()}
            )
        if application.state == ApplicationState.WAITLISTED:
            first = selectors.waiting_list(circle).first()
            if first and first.pk != application.pk:
                raise TransitionError(
                    _(
                        "%(name)s staat eerder op de wachtlijst. Nodig eerst die aanmelder uit "
                        "of rond die aanmelding af (KK-6)."
                    )
                    % {"name": first.applicant}
                )
        if selectors.occupied_places(circle, as_of.year) >= circle.capacity:
            raise TransitionError(
                _(
                    "De kring is vol (%(capacity)s plaatsen). Plaats de aanmelder op de wachtlijst "
                    "of splits de kring."
                )
                % {"capacity": circle.capacity}
            )
        _decided(application, state=ApplicationState.TRIAL, by=by)
        application.trial_started_on = as_of
        application.save()
        record(circle=circle, by=by, action="application_trial", id=application.pk)
        _notify(
            to=application.applicant,
            template="application_decision",
            context={"application": application, "url": _application_url(application)},
        )
    return application


def waitlist_application(*, application: Application, by) -> Application:
    """KK-6: put the applicant on the waiting list, ordered by application date."""
    with transaction.atomic():
        application = _lock_application(application)
        _require(can_manage_circle(by, application.circle))
        if application.state == ApplicationState.WAITLISTED:
            return application
        if application.state != ApplicationState.SUBMITTED:
            raise TransitionError(
                _("Alleen een nieuwe aanmelding kan op de wachtlijst; deze is %(state)s.")
                % {"state": application.get_state_display().lower()}
            )
        _decided(application, state=ApplicationState.WAITLISTED, by=by)
        application.save()
        record(circle=application.circle, by=by, action="application_waitlisted", id=application.pk)
        _notify(
            to=application.applicant,
            template="application_decision",
            context={"application": application, "url": _application_url(application)},
        )
    return application


def decline_application(*, application: Application, reason: str, by) -> Application:
    """KK-4: decline, e.g. not yet enough experience. A reason is required."""
    reason = reason.strip()
    with transaction.atomic():
        application = _lock_application(application)
        _require(can_manage_circle(by, application.circle))
        if application.state == ApplicationState.DECLINED:
            return application
        if not application.is_open:
            raise TransitionError(
                _("Deze aanmelding is %(state)s en kan niet meer worden afgewezen.")
                % {"state": application.get_state_display().lower()}
            )
        if not reason:
            raise TransitionError(_("Geef een reden voor de afwijzing."))
        _decided(application, state=ApplicationState.DECLINED, by=by, reason=reason)
        application.closed_at = timezone.now()
        application.save()
        record(circle=application.circle, by=by, action="application_declined", id=application.pk)
        _notify(
            to=application.applicant,
            template="application_decision",
            context={"application": application, "url": _application_url(application)},
        )
    return application


def record_trial_fee(*, application: Application, amount: Decimal, by) -> Application:
    """KK-5: the applicant on trial paid the contribution for room and catering."""
    with transaction.atomic():
        application = _lock_application(application)
        circle = application.circle
        _require(can_manage_circle(by, circle) or can_record_finances(by, circle))
        if application.state != ApplicationState.TRIAL:
            raise TransitionError(_("Een bijdrage vastleggen kan alleen tijdens het meedraaien."))
        if amount is None or amount < 0:
            raise TransitionError(_("Vul een bedrag van 0 euro of meer in."))
        application.trial_fee = amount
        application.trial_fee_recorded_at = timezone.now()
        application.save(update_fields=["trial_fee", "trial_fee_recorded_at"])
        record(circle=circle, by=by, action="trial_fee", id=application.pk, amount=str(amount))
    return application


def join_circle(*, application: Application, by, as_of: date | None = None) -> Membership:
    """KK-5: after two consecutive meetings on trial (fee recorded) the applicant joins."""
    as_of = as_of or clock.today()
    with transaction.atomic():
        application = _lock_application(application)
        circle = application.circle
        _require(application.applicant_id == by.pk or can_manage_circle(by, circle))
        if application.state == ApplicationState.JOINED:
            return Membership.objects.get(
                circle=circle, member=application.applicant, year=as_of.year
            )
        if application.state != ApplicationState.TRIAL:
            raise TransitionError(
                _("Toetreden kan alleen na het meedraaien op proef; deze aanmelding is %(state)s.")
                % {"state": application.get_state_display().lower()}
            )
        rule = kk_rules.rules_for(as_of.year)
        progress = selectors.trial_progress(application, trial_meetings=rule.trial_meetings)
        if not progress.consecutive_done:
            raise TransitionError(
                _(
                    "Toetreden kan na %(count)s opeenvolgende bijeenkomsten waarbij je aanwezig "
                    "was (KK-5)."
                )
                % {"count": rule.trial_meetings}
            )
        if not progress.fee_recorded:
            raise TransitionError(
                _("De bijdrage voor zaalhuur en catering is nog niet vastgelegd (KK-5).")
            )
        application.state = ApplicationState.JOINED
        application.closed_at = timezone.now()
        application.save()
        membership, _created = Membership.objects.get_or_create(
            circle=circle, member=application.applicant, year=as_of.year
        )
        if membership.state not in CURRENT_STATES:
            membership.state = MembershipState.ACTIVE
            membership.end_reason = ""
            membership.ended_at = None
            membership.save()
        record(circle=circle, by=by, action="joined", id=application.pk)
    return membership


def withdraw_application(*, application: Application, by) -> Application:
    """The applicant withdraws (also after the trial: KK-5 leaves the choice to them)."""
    with transaction.atomic():
        application = _lock_application(application)
        _require(application.applicant_id == by.pk or can_manage_circle(by, application.circle))
        if application.state == ApplicationState.WITHDRAWN:
            return application
        if not application.is_open:
            raise TransitionError(
                _("Deze aanmelding is %(state)s en kan niet meer worden ingetrokken.")
                % {"state": application.get_state_display().lower()}
            )
        application.state = ApplicationState.WITHDRAWN
        application.closed_at = timezone.now()
        application.save()
        record(circle=application.circle, by=by, action="application_withdrawn", id=application.pk)
    return application


def _application_url(application: Application) -> str:
    return _site(reverse("kwaliteitskringen:application", args=[application.pk]))


# --- yearly membership (KK-2, KK-3) ---------------------------------------------------------


def add_member(*, circle: Circle, member, year: int, by) -> Membership:
    """Sign a participant up for ``year`` directly (founding members, corrections)."""
    with transaction.atomic():
        Circle.objects.select_for_update().get(pk=circle.pk)
        _require(can_manage_circle(by, circle))
        membership, created = Membership.objects.get_or_create(
            circle=circle, member=member, year=year
        )
        if not created and membership.state not in CURRENT_STATES:
            membership.state = MembershipState.ACTIVE
            membership.end_reason = ""
            membership.ended_at = None
            membership.save()
        record(circle=circle, by=by, action="member_added", member=member.pk, year=year)
    return membership


def remove_member(*, membership: Membership, reason: str, by) -> Membership:
    """KK-3: the coordinator decides to end a participation; a reason is required."""
    reason = reason.strip()
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("circle")
            .get(pk=membership.pk)
        )
        _require(can_manage_circle(by, membership.circle))
        if membership.state == MembershipState.REMOVED:
            return membership
        if membership.state not in CURRENT_STATES:
            raise TransitionError(
                _("Dit lidmaatschap is %(state)s en kan niet worden beëindigd.")
                % {"state": membership.get_state_display().lower()}
            )
        if not reason:
            raise TransitionError(_("Geef een reden voor het beëindigen van de deelname."))
        membership.state = MembershipState.REMOVED
        membership.end_reason = reason
        membership.ended_at = timezone.now()
        membership.ended_by = by
        membership.save()
        record(
            circle=membership.circle, by=by, action="member_removed", member=membership.member_id
        )
    return membership


def set_name_consent(*, membership: Membership, consent: bool, by) -> Membership:
    """The member decides whether the circle's published annual reports name them.

    Only the member themself; it applies to all their memberships of the circle. Side effects:
    records the choice, and every submitted or published report of the circle that lists them
    as a host gets a new PDF (after commit), so a withdrawal reaches the file as well.
    """
    from noloc_portal.pdf.services import queue_report

    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("circle")
            .get(pk=membership.pk)
        )
        _require(membership.member_id == by.pk)
        circle = membership.circle
        changed = Membership.objects.filter(circle=circle, member_id=by.pk).exclude(
            name_in_annual_report=consent
        )
        if not changed.update(name_in_annual_report=consent):
            return membership
        membership.name_in_annual_report = consent
        record(
            circle=circle,
            by=by,
            action="name_consent_given" if consent else "name_consent_withdrawn",
            member=by.pk,
        )
        reports = AnnualReport.objects.filter(
            circle=circle, state__in=[ReportState.SUBMITTED, ReportState.PUBLISHED]
        )
        for report in reports:
            if any(activity.get("host_id") == by.pk for activity in report.activities):
                queue_report(kind=selectors.ANNUAL_REPORT_KIND, target=report, by=by)
    return membership


def open_renewal_round(*, circle: Circle, year: int, by) -> RenewalRound:
    """KK-2: participants sign up per calendar year; open the sign-up for ``year``."""
    with transaction.atomic():
        Circle.objects.select_for_update().get(pk=circle.pk)
        _require(can_manage_circle(by, circle))
        renewal, created = RenewalRound.objects.get_or_create(
            circle=circle, year=year, defaults={"opened_by": by}
        )
        if created:
            record(circle=circle, by=by, action="renewal_opened", year=year)
    return renewal


def renew_membership(*, circle: Circle, member, year: int, by) -> Membership:
    """KK-2: sign up for ``year`` (member, or the coordinator on their behalf)."""
    with transaction.atomic():
        renewal = RenewalRound.objects.select_for_update().filter(circle=circle, year=year).first()
        _require(member.pk == by.pk or can_manage_circle(by, circle))
        if renewal is None or not renewal.is_open:
            raise TransitionError(
                _("De inschrijving voor %(year)s is niet geopend.") % {"year": year}
            )
        current = (
            Membership.objects.select_for_update()
            .filter(circle=circle, member=member, year=year - 1)
            .first()
        )
        if current is None or current.state not in CURRENT_STATES:
            raise TransitionError(
                _("Alleen deelnemers van %(year)s kunnen zich opnieuw inschrijven.")
                % {"year": year - 1}
            )
        current.state = MembershipState.RENEWED
        current.save(update_fields=["state"])
        membership, _created = Membership.objects.get_or_create(
            circle=circle,
            member=member,
            year=year,
            defaults={"name_in_annual_report": current.name_in_annual_report},
        )
        record(circle=circle, by=by, action="renewed", member=member.pk, year=year)
    return membership


def close_renewal_round(*, renewal: RenewalRound, by, as_of: date | None = None) -> RenewalRound:
    """End the sign-up: who did not renew lapses. Only once the new year has begun, so nobody
    loses access to the current year's meetings early."""
    as_of = as_of or clock.today()
    with transaction.atomic():
        renewal = (
            RenewalRound.objects.select_for_update(of=("self",))
            .select_related("circle")
            .get(pk=renewal.pk)
        )
        _require(can_manage_circle(by, renewal.circle))
        if not renewal.is_open:
            return renewal
        if as_of.year < renewal.year:
            raise TransitionError(
                _("De inschrijving voor %(year)s kan vanaf 1 januari %(year)s worden gesloten.")
                % {"year": renewal.year}
            )
        lapsed = Membership.objects.filter(
            circle=renewal.circle, year=renewal.year - 1, state=MembershipState.ACTIVE
        ).update(state=MembershipState.LAPSED, ended_at=timezone.now())
        renewal.closed_at = timezone.now()
        renewal.save(update_fields=["closed_at"])
        record(
            circle=renewal.circle, by=by, action="renewal_closed", year=renewal.year, lapsed=lapsed
        )
    return renewal


def record_contribution(
    *, circle: Circle, participant, on: date, description: str, by, meeting: Meeting | None = None
) -> Contribution:
    """KK-3: an active contribution of a participant, in any form."""
    _require(can_manage_meetings(by, circle))
    if not description.strip():
        raise TransitionError(_("Omschrijf de bijdrage."))
    contribution, created = Contribution.objects.get_or_create(
        circle=circle,
        participant=participant,
        date=on,
        description=description.strip(),
        defaults={"recorded_by": by, "meeting": meeting},
    )
    if created:
        record(circle=circle, by=by, action="contribution", participant=participant.pk)
    return contribution


def record_cost_share(
    *, circle: Circle, member, year: int, amount: Decimal, description: str, by
) -> CostShare:
    """KK-9: a member's payment towards costs above the subsidy (treasurer)."""
    _require(can_record_finances(by, circle))
    if amount is None or amount <= 0:
        raise TransitionError(_("Vul een bedrag groter dan 0 euro in."))
    share = CostShare.objects.create(
        circle=circle,
        member=member,
        year=year,
        amount=amount,
        description=description.strip(),
        recorded_by=by,
    )
    record(circle=circle, by=by, action="cost_share", member=member.pk, amount=str(amount))
    return share


def dismiss_signal(*, circle: Circle, key: str, note: str, by) -> SignalDismissal:
    """The portal flags, the coordinator decides: dismiss a signal with a note."""
    _require(can_manage_circle(by, circle))
    if not note.strip():
        raise TransitionError(_("Schrijf kort op waarom dit signaal geen actie vraagt."))
    try:
        with transaction.atomic():
            dismissal, created = SignalDismissal.objects.get_or_create(
                circle=circle, key=key[:100], defaults={"note": note.strip(), "dismissed_by": by}
            )
    except IntegrityError:
        dismissal, created = SignalDismissal.objects.get(circle=circle, key=key[:100]), False
    if created:
        record(circle=circle, by=by, action="signal_dismissed", key=key)
    return dismissal


# --- meetings (KK-7, KK-11) -----------------------------------------------------------------

MEETING_FIELDS = {
    "date",
    "start_time",
    "place",
    "form",
    "theme",
    "host",
    "facilitator",
    "note_taker",
    "agenda",
    "joint_with",
}


def _check_joint(circle: Circle, joint_with: Circle | None) -> None:
    if joint_with is not None and joint_with.pk == circle.pk:
        raise TransitionError(_("Een gezamenlijke bijeenkomst is met een andere kring."))


def schedule_meeting(*, circle: Circle, by, **fields) -> Meeting:
    """KK-7, KK-11: plan a meeting of the circle, possibly jointly with another circle (whose
    members are then expected too)."""
    _require(can_manage_meetings(by, circle))
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise ValueError(f"unknown meeting fields: {sorted(unknown)}")
    _check_joint(circle, fields.get("joint_with"))
    meeting = Meeting.objects.create(circle=circle, **fields)
    record(circle=circle, by=by, action="meeting_scheduled", meeting=meeting.pk)
    _announce_meeting(meeting, by=by)
    if meeting.joint_with_id:
        record(
            circle=meeting.joint_with,
            by=by,
            action="joint_meeting_scheduled",
            meeting=meeting.pk,
            host_circle=circle.pk,
        )
    return meeting


def update_meeting(*, meeting: Meeting, by, **fields) -> Meeting:
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise ValueError(f"unknown meeting fields: {sorted(unknown)}")
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("circle", "subgroup__circle")
            .get(pk=meeting.pk)
        )
        _require(can_manage_meeting(by, meeting))
        if meeting.state == MeetingState.CANCELLED:
            raise TransitionError(_("Een geannuleerde bijeenkomst kan niet worden gewijzigd."))
        if meeting.subgroup_id and fields.get("joint_with"):
            raise TransitionError(
                _("Een bijeenkomst van een subgroep kan niet gezamenlijk met een andere kring.")
            )
        _check_joint(meeting.circle, fields.get("joint_with"))
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.save()
        record(circle=meeting.circle, by=by, action="meeting_updated", meeting=meeting.pk)
    return meeting


def cancel_meeting(*, meeting: Meeting, reason: str, by) -> Meeting:
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("circle", "subgroup__circle")
            .get(pk=meeting.pk)
        )
        _require(can_manage_meeting(by, meeting))
        if meeting.state == MeetingState.CANCELLED:
            return meeting
        if meeting.state != MeetingState.PLANNED:
            raise TransitionError(_("Een gehouden bijeenkomst kan niet meer worden geannuleerd."))
        meeting.state = MeetingState.CANCELLED
        meeting.cancel_reason = reason.strip()
        meeting.save(update_fields=["state", "cancel_reason"])
        record(circle=meeting.circle, by=by, action="meeting_cancelled", meeting=meeting.pk)
    return meeting


def register_for_meeting(
    *, meeting: Meeting, participant, as_of: date | None = None
) -> MeetingRegistration:
    """KK-11: a member (or applicant on trial) registers for a planned meeting; for a joint
    meeting the members of both circles, for a subgroup meeting the subgroup's members."""
    as_of = as_of or clock.today()
    if not can_register_for_meeting(participant, meeting):
        if meeting.subgroup_id:
            raise TransitionError(_("Alleen leden van de subgroep kunnen zich aanmelden."))
        raise TransitionError(_("Alleen deelnemers van de kring kunnen zich aanmelden."))
    if meeting.state != MeetingState.PLANNED or meeting.date < as_of:
        raise TransitionError(_("Aanmelden kan alleen voor een geplande bijeenkomst."))
    registration, created = MeetingRegistration.objects.get_or_create(
        meeting=meeting, participant=participant
    )
    if created:
        record(circle=meeting.circle, by=participant, action="registered", meeting=meeting.pk)
    return registration


def unregister_from_meeting(*, meeting: Meeting, participant, as_of: date | None = None) -> None:
    as_of = as_of or clock.today()
    if meeting.state != MeetingState.PLANNED or meeting.date < as_of:
        raise TransitionError(_("Afmelden kan alleen voor een geplande bijeenkomst."))
    deleted, _rows = MeetingRegistration.objects.filter(
        meeting=meeting, participant=participant
    ).delete()
    if deleted:
        record(circle=meeting.circle, by=participant, action="unregistered", meeting=meeting.pk)


def _announce_meeting(meeting: Meeting, *, by) -> None:
    """The members expected at a newly planned meeting hear of it (not the one who planned it)."""
    url = _site(reverse("kwaliteitskringen:meeting", args=[meeting.pk]))
    for person, _on_trial in expected_attendees(meeting):
        if person.pk != getattr(by, "pk", None):
            _notify(
                to=person,
                template="meeting_planned",
                context={"meeting": meeting, "participant": person, "url": url},
            )


def expected_attendees(meeting: Meeting) -> list[tuple[object, bool]]:
    """Who belongs on the attendance list: the year's participants and applicants on trial
    (as ``(user, on_trial)``), plus anyone already on the list. A subgroup meeting expects the
    subgroup's members; a joint meeting the participants of both circles, each person once."""
    if meeting.subgroup_id:
        members = [
            m.member
            for m in SubgroupMembership.objects.filter(
                subgroup_id=meeting.subgroup_id, left_at__isnull=True
            )
            .select_related("member")
            .order_by("member__full_name", "member__email")
        ]
        seen = {user.pk for user in members}
        listed = [
            (a.participant, a.on_trial)
            for a in meeting.attendances.select_related("participant")
            if a.participant_id not in seen
        ]
        return [(user, False) for user in members] + listed
    members = []
    seen = set()
    circles = [meeting.circle_id] + ([meeting.joint_with_id] if meeting.joint_with_id else [])
    for membership in (
        Membership.objects.filter(
            circle_id__in=circles, year=meeting.date.year, state__in=COUNTING_STATES
        )
        .select_related("member")
        .order_by("member__full_name", "member__email", "pk")
    ):
        if membership.member_id not in seen:
            seen.add(membership.member_id)
            members.append(membership.member)
    trial = [
        a.applicant
        for a in Application.objects.filter(
            circle=meeting.circle, state=ApplicationState.TRIAL
        ).select_related("applicant")
        if a.applicant_id not in seen
    ]
    seen |= {user.pk for user in trial}
    listed = [
        (a.participant, a.on_trial)
        for a in meeting.attendances.select_related("participant")
        if a.participant_id not in seen
    ]
    return [(user, False) for user in members] + [(user, True) for user in trial] + listed


def record_attendance(
    *, meeting: Meeting, present: set[int], by, as_of: date | None = None
) -> Meeting:
    """KK-11: the attendance list. Everyone expected gets a row, so an absence is a record
    (KK-3); the meeting is held from then on and its report starts from the template."""
    as_of = as_of or clock.today()
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("circle", "host", "subgroup__circle", "joint_with")
            .get(pk=meeting.pk)
        )
        _require(can_manage_meeting(by, meeting))
        if meeting.state == MeetingState.CANCELLED:
            raise TransitionError(_("Deze bijeenkomst is geannuleerd."))
        if meeting.date > as_of:
            raise TransitionError(
                _("De aanwezigheid kan pas vanaf de dag van de bijeenkomst worden vastgelegd.")
            )
        expected = expected_attendees(meeting)
        unknown = set(present) - {user.pk for user, _trial in expected}
        if unknown:
            raise TransitionError(_("Er staat iemand op de lijst die geen deelnemer is."))
        for user, on_trial in expected:
            Attendance.objects.update_or_create(
                meeting=meeting,
                participant=user,
                defaults={"present": user.pk in present, "on_trial": on_trial, "recorded_by": by},
            )
        meeting.state = MeetingState.HELD
        if not meeting.report.strip():
            meeting.report = report_template(meeting)
        meeting.save(update_fields=["state", "report"])
        record(
            circle=meeting.circle,
            by=by,
            action="attendance",
            meeting=meeting.pk,
            present=len(present),
        )
    return meeting


def report_template(meeting: Meeting) -> str:
    """KK-11: the skeleton of a meeting report, to be filled in right after the meeting."""
    return render_to_string("kwaliteitskringen/meeting_report_template.txt", {"meeting": meeting})


def save_meeting_report(*, meeting: Meeting, report: str, by) -> Meeting:
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("circle", "subgroup__circle")
            .get(pk=meeting.pk)
        )
        _require(can_edit_meeting_report(by, meeting))
        if meeting.state != MeetingState.HELD:
            raise TransitionError(
                _("Een verslag hoort bij een gehouden bijeenkomst: leg eerst de aanwezigheid vast.")
            )
        meeting.report = report
        meeting.report_updated_at = timezone.now()
        meeting.save(update_fields=["report", "report_updated_at"])
        record(circle=meeting.circle, by=by, action="report_saved", meeting=meeting.pk)
    return meeting


def send_due_reminders(*, as_of: date | None = None) -> int:
    """KK-11 (beat): remind registered participants N days before (rule value). Each
    registration is reminded once; a missed day is caught up while the meeting is ahead."""
    as_of = as_of or clock.today()
    sent = 0
    candidates = MeetingRegistration.objects.filter(
        reminder_sent_at__isnull=True,
        meeting__state=MeetingState.PLANNED,
        meeting__date__gte=as_of,
    ).values_list("pk", "meeting__date")
    for pk, meeting_date in candidates:
        rule = kk_rules.rules_for(meeting_date.year)
        if (meeting_date - as_of).days > rule.reminder_days_before:
            continue
        with transaction.atomic():
            registration = (
                MeetingRegistration.objects.select_for_update(of=("self",))
                .select_related("meeting__circle", "meeting__host", "participant")
                .get(pk=pk)
            )
            if registration.reminder_sent_at:
                continue
            registration.reminder_sent_at = timezone.now()
            registration.save(update_fields=["reminder_sent_at"])
            meeting = registration.meeting
            _notify(
                to=registration.participant,
                template="meeting_reminder",
                context={
                    "meeting": meeting,
                    "participant": registration.participant,
                    "url": _site(reverse("kwaliteitskringen:meeting", args=[meeting.pk])),
                },
            )
            sent += 1
    return sent


# --- annual report (KK-10) ------------------------------------------------------------------


def _refresh_figures(report: AnnualReport) -> None:
    figures = selectors.annual_report_figures(report.circle, report.year)
    report.member_count = figures["member_count"]
    report.meeting_count = figures["meeting_count"]
    report.activities = figures["activities"]
    report.figures_updated_at = timezone.now()


def prepare_annual_report(
    *, circle: Circle, year: int, by, as_of: date | None = None
) -> AnnualReport:
    """Create the draft of ``year`` (or refresh its figures while it is a draft)."""
    as_of = as_of or clock.today()
    _require(can_manage_circle(by, circle))
    if year > as_of.year:
        raise TransitionError(_("Een jaarverslag gaat over een jaar dat al begonnen is."))
    with transaction.atomic():
        report, created = AnnualReport.objects.select_for_update().get_or_create(
            circle=circle, year=year, defaults={"objective": circle.objective}
        )
        if report.state == ReportState.DRAFT:
            _refresh_figures(report)
            report.save()
        if created:
            record(circle=circle, by=by, action="report_created", year=year)
    return report


def update_annual_report(
    *, report: AnnualReport, objective: str, narrative: str, by
) -> AnnualReport:
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update(of=("self",))
            .select_related("circle")
            .get(pk=report.pk)
        )
        _require(can_manage_circle(by, report.circle))
        if report.state != ReportState.DRAFT:
            raise TransitionError(
                _("Het jaarverslag is %(state)s en kan niet meer worden gewijzigd.")
                % {"state": report.get_state_display().lower()}
            )
        report.objective = objective
        report.narrative = narrative
        _refresh_figures(report)
        report.save()
        record(circle=report.circle, by=by, action="report_updated", year=report.year)
    return report


def render_annual_report(*, report: AnnualReport, by):
    """Queue the PDF (WeasyPrint, in the background); a pending job is reused."""
    from noloc_portal.pdf.services import queue_report

    _require(can_manage_circle(by, report.circle))
    return queue_report(kind=selectors.ANNUAL_REPORT_KIND, target=report, by=by)


def submit_annual_report(*, report: AnnualReport, by, as_of: date | None = None) -> AnnualReport:
    """draft → submitted: the figures are frozen and the final PDF is rendered."""
    from noloc_portal.pdf.services import queue_report

    as_of = as_of or clock.today()
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update(of=("self",))
            .select_related("circle")
            .get(pk=report.pk)
        )
        _require(can_manage_circle(by, report.circle))
        if report.state in (ReportState.SUBMITTED, ReportState.PUBLISHED):
            return report
        if not report.narrative.strip() or not report.objective.strip():
            raise TransitionError(
                _("Vul de doelstelling en de toelichting op de activiteiten in voor je indient.")
            )
        _refresh_figures(report)
        report.state = ReportState.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = by
        report.save()
        record(circle=report.circle, by=by, action="report_submitted", year=report.year)
        queue_report(kind=selectors.ANNUAL_REPORT_KIND, target=report, by=by)
        _copy_region(
            circle=report.circle, template="region_report_submitted", context={"report": report}
        )
    return report


def publish_annual_report(*, report: AnnualReport, by) -> AnnualReport:
    """submitted → published (secretariat): the report appears on the public page."""
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update(of=("self",))
            .select_related("circle")
            .get(pk=report.pk)
        )
        if not by.is_staff:
            raise TransitionError(_("Alleen het secretariaat publiceert jaarverslagen."))
        if report.state == ReportState.PUBLISHED:
            return report
        if report.state != ReportState.SUBMITTED:
            raise TransitionError(_("Alleen een ingediend jaarverslag kan worden gepubliceerd."))
        report.state = ReportState.PUBLISHED
        report.published_at = timezone.now()
        report.published_by = by
        report.save()
        record(circle=report.circle, by=by, action="report_published", year=report.year)
    return report


# --- subsidy (KK-9) -------------------------------------------------------------------------


def prepare_subsidy_claim(
    *, circle: Circle, year: int, by, as_of: date | None = None
) -> SubsidyClaim:
    as_of = as_of or clock.today()
    _require(can_manage_circle(by, circle) or can_record_finances(by, circle))
    if year != as_of.year:
        raise TransitionError(
            _("Een declaratie wordt ingediend in het lopende jaar (%(year)s).")
            % {"year": as_of.year}
        )
    _conditions, money = selectors.subsidy_conditions(circle, year)
    claim, created = SubsidyClaim.objects.get_or_create(
        circle=circle, year=year, defaults={"amount": money["amount"]}
    )
    if created:
        record(circle=circle, by=by, action="claim_created", year=year)
    return claim


def submit_subsidy_claim(*, claim: SubsidyClaim, by, as_of: date | None = None) -> SubsidyClaim:
    """draft → submitted, before the end of the claim's calendar year (KK-9). The conditions
    are checked and stored with the claim; the secretariat decides."""
    as_of = as_of or clock.today()
    with transaction.atomic():
        claim = (
            SubsidyClaim.objects.select_for_update(of=("self",))
            .select_related("circle")
            .get(pk=claim.pk)
        )
        _require(can_manage_circle(by, claim.circle))
        if claim.state != ClaimState.DRAFT:
            if claim.state == ClaimState.SUBMITTED:
                return claim
            raise TransitionError(
                _("Deze declaratie is %(state)s.") % {"state": claim.get_state_display().lower()}
            )
        if kk_rules.claim_deadline_passed(year=claim.year, as_of=as_of):
            raise TransitionError(
                _("De declaratie over %(year)s moest uiterlijk %(deadline)s binnen zijn (KK-9).")
                % {
                    "year": claim.year,
                    "deadline": f"{kk_rules.claim_deadline(claim.year):%d-%m-%Y}",
                }
            )
        conditions, money = selectors.subsidy_conditions(claim.circle, claim.year)
        claim.amount = money["amount"]
        claim.conditions = [
            {"code": c.code, "label": str(c.label), "met": c.met, "detail": str(c.detail)}
            for c in conditions
        ]
        claim.state = ClaimState.SUBMITTED
        claim.submitted_at = timezone.now()
        claim.submitted_by = by
        claim.save()
        record(circle=claim.circle, by=by, action="claim_submitted", year=claim.year)
        _copy_region(
            circle=claim.circle, template="region_claim_submitted", context={"claim": claim}
        )
    return claim


def _decide_claim(*, claim: SubsidyClaim, state: str, reason: str, by) -> SubsidyClaim:
    with transaction.atomic():
        claim = (
            SubsidyClaim.objects.select_for_update(of=("self",))
            .select_related("circle")
            .get(pk=claim.pk)
        )
        if not by.is_staff:
            raise TransitionError(_("Alleen het secretariaat beslist over een declaratie."))
        if claim.state == state:
            return claim
        if claim.state != ClaimState.SUBMITTED:
            raise TransitionError(
                _("Alleen over een ingediende declaratie kan worden beslist; deze is %(state)s.")
                % {"state": claim.get_state_display().lower()}
            )
        claim.state = state
        claim.decision_reason = reason.strip()
        claim.decided_at = timezone.now()
        claim.decided_by = by
        claim.save()
        record(circle=claim.circle, by=by, action=f"claim_{state}", year=claim.year)
    return claim


def approve_subsidy_claim(*, claim: SubsidyClaim, by, reason: str = "") -> SubsidyClaim:
    return _decide_claim(claim=claim, state=ClaimState.APPROVED, reason=reason, by=by)


def reject_subsidy_claim(*, claim: SubsidyClaim, reason: str, by) -> SubsidyClaim:
    if not reason.strip():
        raise TransitionError(_("Geef een reden voor de afwijzing van de declaratie."))
    return _decide_claim(claim=claim, state=ClaimState.REJECTED, reason=reason, by=by)


# --- founding a circle (KK-1, KK-6) ---------------------------------------------------------


def _secretariat_only(by) -> None:
    if not (by.is_authenticated and by.is_staff):
        raise TransitionError(_("Alleen het secretariaat beslist hierover."))


def _lock_founding(founding: FoundingRequest) -> FoundingRequest:
    return (
        FoundingRequest.objects.select_for_update(of=("self",))
        .select_related("founder")
        .get(pk=founding.pk)
    )


def _founding_url(founding: FoundingRequest) -> str:
    return _site(reverse("kwaliteitskringen:founding_request", args=[founding.pk]))


def submit_founding_request(
    *, founder, name: str, region: str, meeting_place: str, rhythm: str, motivation: str
) -> FoundingRequest:
    """A member asks to start a circle. One request at a time: a second click returns the
    request that is still open."""
    name, region = name.strip(), region.strip()
    with transaction.atomic():
        existing = (
            FoundingRequest.objects.select_for_update()
            .filter(founder=founder, state=FoundingState.SUBMITTED)
            .first()
        )
        if existing:
            return existing
        if not all(v.strip() for v in (name, region, meeting_place, rhythm, motivation)):
            raise TransitionError(
                _("Vul de naam, de regio, de plaats, het ritme en je motivatie in.")
            )
        if Circle.objects.filter(name__iexact=name).exists():
            raise TransitionError(
                _("Er bestaat al een kring met de naam %(name)s.") % {"name": name}
            )
        founding = FoundingRequest.objects.create(
            founder=founder,
            name=name,
            region=region,
            meeting_place=meeting_place.strip(),
            rhythm=rhythm.strip(),
            motivation=motivation.strip(),
        )
        logger.info("founding request %s submitted by user %s", founding.pk, founder.pk)
        _notify(
            to=founder,
            template="founding_received",
            context={"founding": founding, "url": _founding_url(founding)},
        )
    return founding


def approve_founding_request(
    *, founding: FoundingRequest, by, as_of: date | None = None
) -> FoundingRequest:
    """submitted → approved (secretariat): the circle exists from today, open for applications,
    with the founder as its coordinator and first participant. The founder, the region's chair
    and the people interested in the region hear of it by e-mail."""
    from noloc_portal.accounts.models import Role, RoleGrant

    as_of = as_of or clock.today()
    with transaction.atomic():
        founding = _lock_founding(founding)
        _secretariat_only(by)
        if founding.state == FoundingState.APPROVED:
            return founding
        if founding.state != FoundingState.SUBMITTED:
            raise TransitionError(
                _("Dit oprichtingsverzoek is %(state)s; goedkeuren kan niet meer.")
                % {"state": founding.get_state_display().lower()}
            )
        founder = founding.founder
        circle = create_circle(
            name=founding.name,
            region=founding.region,
            coordinator=founder,
            started_on=as_of,
            description=_("Komt bijeen in %(place)s, %(rhythm)s.")
            % {"place": founding.meeting_place, "rhythm": founding.rhythm},
            by=by,
        )
        RoleGrant.objects.get_or_create(user=founder, role=Role.CIRCLE_COORDINATOR)
        Membership.objects.get_or_create(circle=circle, member=founder, year=as_of.year)
        founding.state = FoundingState.APPROVED
        founding.decided_at = timezone.now()
        founding.decided_by = by
        founding.circle = circle
        founding.save()
        record(circle=circle, by=by, action="founded", founding_request=founding.pk)
        _notify(
            to=founder,
            template="founding_decision",
            context={
                "founding": founding,
                "url": _founding_url(founding),
                "manage_url": _site(reverse("kwaliteitskringen:manage_members", args=[circle.pk])),
            },
        )
        _copy_region(
            circle=circle, template="region_circle_founded", context={"founding": founding}
        )
        interested = Interest.objects.select_for_update().filter(
            region__iexact=circle.region, state=InterestState.ACTIVE
        )
        for interest in interested:
            _invite(interest=interest, circle=circle, by=by)
    return founding


def decline_founding_request(*, founding: FoundingRequest, reason: str, by) -> FoundingRequest:
    """submitted → declined (secretariat), with a reason the founder reads."""
    reason = reason.strip()
    with transaction.atomic():
        founding = _lock_founding(founding)
        _secretariat_only(by)
        if founding.state == FoundingState.DECLINED:
            return founding
        if founding.state != FoundingState.SUBMITTED:
            raise TransitionError(
                _("Dit oprichtingsverzoek is %(state)s; afwijzen kan niet meer.")
                % {"state": founding.get_state_display().lower()}
            )
        if not reason:
            raise TransitionError(_("Geef een reden voor de afwijzing."))
        founding.state = FoundingState.DECLINED
        founding.decision_reason = reason
        founding.decided_at = timezone.now()
        founding.decided_by = by
        founding.save()
        logger.info("founding request %s declined by user %s", founding.pk, by.pk)
        _notify(
            to=founding.founder,
            template="founding_decision",
            context={"founding": founding, "url": _founding_url(founding)},
        )
    return founding


def withdraw_founding_request(*, founding: FoundingRequest, by) -> FoundingRequest:
    """submitted → withdrawn, by the founder."""
    with transaction.atomic():
        founding = _lock_founding(founding)
        if founding.founder_id != by.pk:
            raise TransitionError(_("Alleen de initiatiefnemer kan het verzoek intrekken."))
        if founding.state == FoundingState.WITHDRAWN:
            return founding
        if founding.state != FoundingState.SUBMITTED:
            raise TransitionError(
                _("Dit oprichtingsverzoek is %(state)s en kan niet meer worden ingetrokken.")
                % {"state": founding.get_state_display().lower()}
            )
        founding.state = FoundingState.WITHDRAWN
        founding.decided_at = timezone.now()
        founding.save(update_fields=["state", "decided_at"])
    return founding


# --- interest where no circle has room -------------------------------------------------------

# An interest lasts a year from its registration or last renewal; a reminder with the renewal
# link goes out this many days before it ends.
INTEREST_VALID_DAYS = 365
INTEREST_REMINDER_DAYS = 30


def _interest_links(interest: Interest) -> dict:
    return {
        "manage_url": _site(reverse("kwaliteitskringen:interest_manage", args=[interest.token])),
        "list_url": _site(reverse("kwaliteitskringen:public_list")),
    }


def _lock_interest(interest: Interest) -> Interest:
    return Interest.objects.select_for_update().get(pk=interest.pk)


def _extend(interest: Interest, as_of: date) -> None:
    interest.state = InterestState.ACTIVE
    interest.expires_on = as_of + timedelta(days=INTEREST_VALID_DAYS)
    interest.renewed_at = timezone.now()
    interest.reminded_at = None
    interest.ended_at = None


def register_interest(
    *, email: str, region: str, consent: bool, as_of: date | None = None
) -> Interest:
    """Register interest in a circle in ``region``. The same e-mail address and region a second
    time renews the interest instead of adding one; the person gets the same confirmation by
    e-mail either way, so the page tells a visitor nothing about who registered before."""
    as_of = as_of or clock.today()
    email, region = email.strip().lower(), region.strip()
    if not consent:
        raise TransitionError(_("Geef toestemming om je te mailen over een kring in je regio."))
    if not email or not region:
        raise TransitionError(_("Vul je e-mailadres en je regio in."))
    with transaction.atomic():
        interest = (
            Interest.objects.select_for_update().filter(email=email, region__iexact=region).first()
        )
        if interest is None:
            try:
                with transaction.atomic():
                    interest = Interest.objects.create(
                        email=email,
                        region=region,
                        consent_at=timezone.now(),
                        expires_on=as_of + timedelta(days=INTEREST_VALID_DAYS),
                        token=secrets.token_urlsafe(32),
                    )
            except IntegrityError:  # registered at the same moment: renew that one
                interest = Interest.objects.select_for_update().get(email=email, region=region)
                _extend(interest, as_of)
                interest.save()
        else:
            _extend(interest, as_of)
            interest.consent_at = timezone.now()
            interest.save()
        _mail(
            address=interest.email,
            template="interest_registered",
            context={"interest": interest, **_interest_links(interest)},
        )
    return interest


def renew_interest(*, interest: Interest, as_of: date | None = None) -> Interest:
    """The person renews (link in the e-mail) for another year; also after it expired."""
    as_of = as_of or clock.today()
    with transaction.atomic():
        interest = _lock_interest(interest)
        if interest.is_active and interest.expires_on == as_of + timedelta(
            days=INTEREST_VALID_DAYS
        ):
            return interest  # already renewed today: a double click
        _extend(interest, as_of)
        interest.consent_at = timezone.now()
        interest.save()
    return interest


def withdraw_interest(*, interest: Interest) -> Interest:
    """The person no longer wants to be mailed (link in the e-mail)."""
    with transaction.atomic():
        interest = _lock_interest(interest)
        if interest.state != InterestState.WITHDRAWN:
            interest.state = InterestState.WITHDRAWN
            interest.ended_at = timezone.now()
            interest.save(update_fields=["state", "ended_at"])
    return interest


def _invite(*, interest: Interest, circle: Circle, by) -> InterestInvitation:
    invitation, created = InterestInvitation.objects.get_or_create(
        interest=interest, circle=circle, defaults={"sent_by": by}
    )
    if created:
        record(circle=circle, by=by, action="interest_invited", interest=interest.pk)
        _mail(
            address=interest.email,
            template="interest_invitation",
            context={
                "interest": interest,
                "circle": circle,
                "apply_url": _site(reverse("kwaliteitskringen:apply", args=[circle.pk])),
                **_interest_links(interest),
            },
        )
    return invitation


def invite_interest(*, interest: Interest, circle: Circle, by) -> InterestInvitation:
    """The secretariat invites an interested person to apply to a new or split circle. Once per
    circle: a second invitation to the same circle sends no second e-mail."""
    with transaction.atomic():
        interest = _lock_interest(interest)
        _secretariat_only(by)
        existing = InterestInvitation.objects.filter(interest=interest, circle=circle).first()
        if existing:
            return existing
        if not interest.is_active:
            raise TransitionError(
                _("Deze belangstelling is %(state)s; uitnodigen kan niet.")
                % {"state": interest.get_state_display().lower()}
            )
        if not circle.takes_applicants:
            raise TransitionError(
                _("%(circle)s is vol en neemt geen aanmeldingen aan.") % {"circle": circle}
            )
        return _invite(interest=interest, circle=circle, by=by)


def expire_interests(*, as_of: date | None = None) -> tuple[int, int]:
    """Beat, daily: remind who is about to lapse (with the renewal link) and end every interest
    that was not renewed within the year. Returns (reminded, expired)."""
    as_of = as_of or clock.today()
    reminded = 0
    due = Interest.objects.filter(
        state=InterestState.ACTIVE,
        reminded_at__isnull=True,
        expires_on__gte=as_of,
        expires_on__lte=as_of + timedelta(days=INTEREST_REMINDER_DAYS),
    ).values_list("pk", flat=True)
    for pk in due:
        with transaction.atomic():
            interest = Interest.objects.select_for_update().get(pk=pk)
            if interest.reminded_at or not interest.is_active:
                continue
            interest.reminded_at = timezone.now()
            interest.save(update_fields=["reminded_at"])
            _mail(
                address=interest.email,
                template="interest_expiring",
                context={"interest": interest, **_interest_links(interest)},
            )
            reminded += 1
    expired = Interest.objects.filter(state=InterestState.ACTIVE, expires_on__lt=as_of).update(
        state=InterestState.EXPIRED, ended_at=timezone.now()
    )
    return reminded, expired


# --- the regional chair (KK-8) ---------------------------------------------------------------


def appoint_regional_chair(*, user, region: str, by) -> RegionalChair:
    """Make ``user`` chair of ``region``; they get the role with its start page (and, like
    every role that sees member data, the second login step)."""
    from noloc_portal.accounts.models import Role, RoleGrant

    _secretariat_only(by)
    region = region.strip()
    if not region:
        raise TransitionError(_("Vul de regio in."))
    with transaction.atomic():
        chair = RegionalChair.objects.filter(user=user, region__iexact=region).first()
        if chair is None:
            chair = RegionalChair.objects.create(user=user, region=region)
            logger.info("user %s appointed chair of %s by user %s", user.pk, region, by.pk)
        RoleGrant.objects.get_or_create(user=user, role=Role.REGIONAL_CHAIR)
    return chair


def dismiss_regional_chair(*, chair: RegionalChair, by) -> None:
    """End a chair's term for a region; the role goes with their last region."""
    from noloc_portal.accounts.models import Role, RoleGrant

    _secretariat_only(by)
    with transaction.atomic():
        RegionalChair.objects.filter(pk=chair.pk).delete()
        if not RegionalChair.objects.filter(user_id=chair.user_id).exists():
            RoleGrant.objects.filter(user_id=chair.user_id, role=Role.REGIONAL_CHAIR).delete()
        logger.info("chair %s of %s dismissed by user %s", chair.user_id, chair.region, by.pk)


# --- the year's programme (KK-7) ------------------------------------------------------------


def draft_programme(*, circle: Circle, year: int, by, as_of: date | None = None) -> Programme:
    """Start the programme of a membership year (this year or the next) as a draft the
    members add to. A second click returns the same programme."""
    as_of = as_of or clock.today()
    with transaction.atomic():
        Circle.objects.select_for_update().get(pk=circle.pk)
        _require(can_manage_circle(by, circle))
        existing = Programme.objects.filter(circle=circle, year=year).first()
        if existing:
            return existing
        if year not in (as_of.year, as_of.year + 1):
            raise TransitionError(
                _("Een jaarprogramma maak je voor dit jaar of het volgende (%(a)s of %(b)s).")
                % {"a": as_of.year, "b": as_of.year + 1}
            )
        programme = Programme.objects.create(circle=circle, year=year, drafted_by=by)
        record(circle=circle, by=by, action="programme_drafted", year=year)
    return programme


def _lock_programme(programme: Programme) -> Programme:
    return (
        Programme.objects.select_for_update(of=("self",))
        .select_related("circle")
        .get(pk=programme.pk)
    )


def _refuse_unless_draft(programme: Programme) -> None:
    if programme.state != ProgrammeState.DRAFT:
        raise TransitionError(
            _("Het jaarprogramma %(year)s is al vastgesteld; plan een extra bijeenkomst apart.")
            % {"year": programme.year}
        )


def propose_programme_item(
    *,
    programme: Programme,
    by,
    on: date,
    theme: str,
    form: str,
    host=None,
    place: str = "",
    note: str = "",
) -> ProgrammeItem:
    """KK-7: a member proposes a meeting for the draft programme: date, theme, form and host.
    The same proposal twice (double click) returns the first."""
    theme = theme.strip()
    with transaction.atomic():
        programme = _lock_programme(programme)
        circle = programme.circle
        _require(can_propose_programme_item(by, programme))
        existing = ProgrammeItem.objects.filter(
            programme=programme, date=on, theme=theme, proposed_by=by
        ).first()
        if existing:
            return existing
        _refuse_unless_draft(programme)
        if on.year != programme.year:
            raise TransitionError(
                _("Kies een datum in %(year)s, het jaar van dit programma.")
                % {"year": programme.year}
            )
        if not theme:
            raise TransitionError(_("Geef het onderdeel een thema."))
        if form not in MeetingForm.values:
            raise TransitionError(_("Kies een vorm."))
        if host is not None and not (
            is_member(host, circle, year=programme.year) or is_member(host, circle)
        ):
            raise TransitionError(
                _("%(name)s is geen deelnemer van de kring en kan geen avond verzorgen.")
                % {"name": host}
            )
        item = ProgrammeItem.objects.create(
            programme=programme,
            date=on,
            theme=theme,
            form=form,
            host=host,
            place=place.strip(),
            note=note.strip(),
            proposed_by=by,
        )
        record(
            circle=circle, by=by, action="programme_item_proposed", year=programme.year, id=item.pk
        )
    return item


def withdraw_programme_item(*, item: ProgrammeItem, by) -> None:
    """Take a proposal off the draft (its proposer or the coordinator). Gone already: done."""
    with transaction.atomic():
        programme = _lock_programme(item.programme)
        current = ProgrammeItem.objects.filter(pk=item.pk, programme=programme).first()
        if current is None:
            return
        _require(current.proposed_by_id == by.pk or can_manage_circle(by, programme.circle))
        _refuse_unless_draft(programme)
        current.delete()
        record(
            circle=programme.circle,
            by=by,
            action="programme_item_withdrawn",
            year=programme.year,
            id=item.pk,
        )


def agree_programme(*, programme: Programme, by, default_place: str = "") -> Programme:
    """draft → agreed: the circle agreed the programme. Each item becomes a planned meeting
    (the item keeps a link to it); ``default_place`` is used where an item names no place."""
    default_place = default_place.strip()
    with transaction.atomic():
        programme = _lock_programme(programme)
        circle = programme.circle
        _require(can_manage_circle(by, circle))
        if programme.state == ProgrammeState.AGREED:
            return programme
        items = list(programme.items.select_for_update().order_by("date", "pk"))
        if not items:
            raise TransitionError(_("Het programma heeft nog geen onderdelen om vast te stellen."))
        if not default_place and any(not item.place for item in items):
            raise TransitionError(
                _("Niet elk onderdeel heeft een plaats: vul een plaats in voor de overige.")
            )
        for item in items:
            item.meeting = Meeting.objects.create(
                circle=circle,
                date=item.date,
                place=item.place or default_place,
                form=item.form,
                theme=item.theme,
                host=item.host,
                agenda=item.note,
            )
            item.save(update_fields=["meeting"])
        programme.state = ProgrammeState.AGREED
        programme.agreed_at = timezone.now()
        programme.agreed_by = by
        programme.save(update_fields=["state", "agreed_at", "agreed_by"])
        record(
            circle=circle,
            by=by,
            action="programme_agreed",
            year=programme.year,
            meetings=[item.meeting_id for item in items],
        )
    return programme


# --- subgroups (KK-7) -----------------------------------------------------------------------


def form_subgroup(
    *, circle: Circle, name: str, by, purpose: str = "", members=(), convener=None
) -> Subgroup:
    """KK-7: members of a circle form a subgroup (e.g. for intervision). The founder joins and
    convenes it unless another member is named; every member must be in the circle now."""
    name = name.strip()
    with transaction.atomic():
        Circle.objects.select_for_update().get(pk=circle.pk)
        founder_is_member = is_member(by, circle)
        _require(founder_is_member or can_manage_circle(by, circle))
        existing = Subgroup.objects.filter(circle=circle, name__iexact=name).first()
        if existing:
            if existing.created_by_id == by.pk:
                return existing
            raise TransitionError(
                _("De kring heeft al een subgroep met de naam %(name)s.") % {"name": name}
            )
        if not name:
            raise TransitionError(_("Geef de subgroep een naam."))
        people = {user.pk: user for user in members}
        if founder_is_member:
            people.setdefault(by.pk, by)
        convener = convener or (by if founder_is_member else None)
        if convener is not None:
            people.setdefault(convener.pk, convener)
        outsiders = [user for user in people.values() if not is_member(user, circle)]
        if outsiders:
            raise TransitionError(
                _("Alleen deelnemers van de kring kunnen in een subgroep: %(names)s niet.")
                % {"names": ", ".join(str(user) for user in outsiders)}
            )
        subgroup = Subgroup.objects.create(
            circle=circle, name=name, purpose=purpose.strip(), convener=convener, created_by=by
        )
        SubgroupMembership.objects.bulk_create(
            [SubgroupMembership(subgroup=subgroup, member=user) for user in people.values()]
        )
        record(
            circle=circle,
            by=by,
            action="subgroup_formed",
            subgroup=subgroup.pk,
            members=sorted(people),
        )
    return subgroup


def _lock_subgroup(subgroup: Subgroup) -> Subgroup:
    return (
        Subgroup.objects.select_for_update(of=("self",))
        .select_related("circle")
        .get(pk=subgroup.pk)
    )


def join_subgroup(*, subgroup: Subgroup, member, by) -> SubgroupMembership:
    """A circle member joins (themself, or added by the convener or coordinator)."""
    with transaction.atomic():
        subgroup = _lock_subgroup(subgroup)
        _require(member.pk == by.pk or can_manage_subgroup(by, subgroup))
        if not is_member(member, subgroup.circle):
            raise TransitionError(_("Alleen deelnemers van de kring kunnen in een subgroep."))
        place, created = SubgroupMembership.objects.get_or_create(subgroup=subgroup, member=member)
        if not created and place.left_at is None:
            return place
        place.left_at = None
        place.save(update_fields=["left_at"])
        record(
            circle=subgroup.circle,
            by=by,
            action="subgroup_joined",
            subgroup=subgroup.pk,
            member=member.pk,
        )
    return place


def leave_subgroup(*, subgroup: Subgroup, member, by) -> SubgroupMembership | None:
    """A member leaves (or is taken off by the convener or coordinator); the row stays."""
    with transaction.atomic():
        subgroup = _lock_subgroup(subgroup)
        _require(member.pk == by.pk or can_manage_subgroup(by, subgroup))
        place = (
            SubgroupMembership.objects.select_for_update()
            .filter(subgroup=subgroup, member=member)
            .first()
        )
        if place is None or place.left_at is not None:
            return place
        place.left_at = timezone.now()
        place.save(update_fields=["left_at"])
        if subgroup.convener_id == member.pk:
            subgroup.convener = None
            subgroup.save(update_fields=["convener"])
        record(
            circle=subgroup.circle,
            by=by,
            action="subgroup_left",
            subgroup=subgroup.pk,
            member=member.pk,
        )
    return place


SUBGROUP_MEETING_FIELDS = MEETING_FIELDS - {"joint_with"}


def schedule_subgroup_meeting(*, subgroup: Subgroup, by, **fields) -> Meeting:
    """A meeting of the subgroup with its own agenda and attendance list (KK-7, KK-11)."""
    unknown = set(fields) - SUBGROUP_MEETING_FIELDS
    if unknown:
        raise ValueError(f"unknown subgroup meeting fields: {sorted(unknown)}")
    _require(can_manage_subgroup(by, subgroup))
    meeting = Meeting.objects.create(circle=subgroup.circle, subgroup=subgroup, **fields)
    record(
        circle=subgroup.circle,
        by=by,
        action="subgroup_meeting_scheduled",
        subgroup=subgroup.pk,
        meeting=meeting.pk,
    )
    _announce_meeting(meeting, by=by)
    return meeting
