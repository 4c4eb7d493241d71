"""Register Jobcoach writes: starting a portfolio, reflection meetings (A3.1), PE activities
(B), facilitator confirmations (workflow.md) and quality-circle attendance added to the portfolio
(KK-12). Each change runs in :func:`portfolios.services.locked_for_edit`."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kwaliteitskringen.models import MeetingForm
from kwaliteitskringen.selectors import attended_meetings_of
from noloc_portal.documents.services import store_bytes
from noloc_portal.documents.validation import REPORT_KINDS
from noloc_portal.pdf.rendering import render_statement
from noloc_portal.prepared import PreparedQuery
from portfolios.hooks import ActivityOffer, activity_offers
from portfolios.jobcoach.framework import FIELD_KINDS, JOBCOACH, jobcoach_framework
from portfolios.jobcoach.models import (
    ConfirmationState,
    FacilitatorConfirmation,
    JobcoachDetails,
    PEActivity,
    ReflectionMeeting,
)
from portfolios.models import Portfolio
from portfolios.registry import framework_version
from portfolios.services import (
    EvidenceRows,
    PortfolioFrozen,
    TransitionError,
    locked_for_edit,
    record,
    today,
)

logger = logging.getLogger(__name__)

CONFIRMATION_VALID_FOR = timedelta(days=30)


def start_jobcoach_portfolio(*, owner, recertification_date: date | None) -> Portfolio:
    """A new draft under the framework version in force on the recertification date."""
    version = framework_version(JOBCOACH, on=recertification_date or today())
    with transaction.atomic():
        portfolio = Portfolio.objects.create(
            owner=owner, framework=JOBCOACH, framework_version=version.version
        )
        JobcoachDetails.objects.create(
            portfolio=portfolio, recertification_date=recertification_date
        )
        record(portfolio=portfolio, by=owner, action="created", version=version.version)
    return portfolio


# --- A3.1 reflection meetings --------------------------------------------------------------------

MEETING_FIELDS = (
    "kind",
    "date",
    "facilitator",
    "facilitator_registration",
    "own_situation",
    "statement_signed",
)


MEETINGS = EvidenceRows(
    model=ReflectionMeeting,
    related_name="reflection_meetings",
    fields=MEETING_FIELDS,
    file_field="statement",
    name="meeting",
    section="a31",
    gone=gettext_lazy("Deze bijeenkomst staat niet meer in je portfolio."),
)


def add_meeting(*, portfolio: Portfolio, by, values, statement=None) -> ReflectionMeeting:
    """A reflection meeting as typed, with the facilitator's statement if one was uploaded."""
    return MEETINGS.add(portfolio=portfolio, by=by, values=values, upload=statement)


def update_meeting(
    *, portfolio: Portfolio, by, meeting_id: int, values, statement=None
) -> ReflectionMeeting:
    return MEETINGS.update(
        portfolio=portfolio, by=by, row_id=meeting_id, values=values, upload=statement
    )


def remove_meeting(*, portfolio: Portfolio, by, meeting_id: int) -> bool:
    """Delete a reflection meeting with its confirmations; False when it was already gone."""
    return MEETINGS.remove(portfolio=portfolio, by=by, row_id=meeting_id)


# --- B: PE activities ----------------------------------------------------------------------------

ACTIVITY_FIELDS = ("title", *FIELD_KINDS)


ACTIVITIES = EvidenceRows(
    model=PEActivity,
    related_name="pe_activities",
    fields=ACTIVITY_FIELDS,
    file_field="evidence",
    name="activity",
    section="b",
    gone=gettext_lazy("Deze activiteit staat niet meer in je portfolio."),
    file_kinds=REPORT_KINDS,
)


def add_activity(*, portfolio: Portfolio, by, type: str, values, evidence=None) -> PEActivity:
    """A PE activity of one of the framework's types; its points are the engine's."""
    if jobcoach_framework(version=portfolio.framework_version).activity_type(type) is None:
        raise TransitionError(_("Onbekende soort activiteit."))
    return ACTIVITIES.add(portfolio=portfolio, by=by, values=values, upload=evidence, type=type)


def update_activity(
    *, portfolio: Portfolio, by, activity_id: int, values, evidence=None
) -> PEActivity:
    """Change an activity as typed. One taken over from a statement keeps what the statement
    says (JC-B-SOURCE): the owner removes it instead."""
    if PEActivity.objects.filter(portfolio=portfolio, pk=activity_id).exclude(source="").exists():
        raise TransitionError(TAKEN_OVER_IS_FIXED)
    return ACTIVITIES.update(
        portfolio=portfolio, by=by, row_id=activity_id, values=values, upload=evidence
    )


def remove_activity(*, portfolio: Portfolio, by, activity_id: int) -> bool:
    """Delete a PE activity; False when it was already gone."""
    return ACTIVITIES.remove(portfolio=portfolio, by=by, row_id=activity_id)


TAKEN_OVER_IS_FIXED = gettext_lazy(
    "Deze activiteit is overgenomen uit een verklaring en volgt wat daarin staat. Klopt er iets "
    "niet, verwijder de activiteit dan en vraag de coördinator certificeren om een nieuwe "
    "verklaring."
)


# --- JC-B-SOURCE: activities the apps offer (portfolios.hooks.activity_offers) -----------------


def activity_offers_for(
    *, portfolio: Portfolio, held: Collection[str] | None = None
) -> list[ActivityOffer]:
    """What the apps offer the owner to take over that this portfolio's framework version knows
    and that the portfolio does not hold yet (a source is taken over once). ``held``: the
    sources of its activities, when the caller knows them."""
    framework = jobcoach_framework(version=portfolio.framework_version)
    if held is None:
        held = {activity.source for activity in portfolio.pe_activities.all() if activity.source}
    return [
        offer
        for offer in activity_offers(owner=portfolio.owner)
        if offer.source not in held and framework.activity_type(offer.activity_type) is not None
    ]


def take_over_offer(*, portfolio: Portfolio, source: str, by) -> PEActivity:
    """JC-B-SOURCE: the offer named ``source`` becomes a PE activity with its statement as the
    evidence. Taken over once: a second time (a double click, another tab) is refused, and the
    unique source per portfolio holds even against a race."""
    with locked_for_edit(portfolio, by=by, section=ACTIVITIES.section) as edit:
        locked = edit.portfolio
        if locked.pe_activities.filter(source=source).exists():
            raise TransitionError(_("Deze verklaring staat al in je portfolio."))
        offer = next(
            (item for item in activity_offers_for(portfolio=locked) if item.source == source),
            None,
        )
        if offer is None:
            raise TransitionError(_("Deze verklaring is niet (meer) voor je beschikbaar."))
        if not offer.ready:
            raise TransitionError(
                _("De PDF van deze verklaring wordt nog gemaakt. Probeer het zo nog eens.")
            )
        name, data = offer.evidence()
        evidence = edit.keep(
            store_bytes(data=data, name=name, content_type="application/pdf", owner=locked.owner)
        )
        kind = jobcoach_framework(version=locked.framework_version).activity_type(
            offer.activity_type
        )
        values = {name: value for name, value in offer.values.items() if name in kind.fields}
        activity = PEActivity.objects.create(
            portfolio=locked,
            type=offer.activity_type,
            title=offer.title[:300],
            evidence=evidence,
            source=source,
            **values,
        )
        edit.record("activity_taken_over", activity=activity.pk, source=source)
    return activity


# --- Facilitator confirmation (workflow.md) ---------------------------------------------------


def request_confirmation(
    *, meeting: ReflectionMeeting, email: str, by, now: datetime | None = None
) -> FacilitatorConfirmation:
    """Send the facilitator a single-use link; a pending earlier link is voided (resend)."""
    now = now or timezone.now()
    with locked_for_edit(meeting.portfolio, by=by, section=MEETINGS.section) as edit:
        if not edit.portfolio.reflection_meetings.filter(pk=meeting.pk).exists():
            raise TransitionError(_("Deze bijeenkomst staat niet meer in je portfolio."))
        meeting.confirmations.filter(state=ConfirmationState.PENDING).update(
            state=ConfirmationState.REVOKED
        )
        confirmation = FacilitatorConfirmation.objects.create(
            meeting=meeting, email=email, expires_at=now + CONFIRMATION_VALID_FOR
        )
        edit.record("confirmation_requested", meeting=meeting.pk, email=email)
        transaction.on_commit(lambda: _mail_confirmation(confirmation.pk))
    return confirmation


def _mail_confirmation(confirmation_id: int) -> None:
    confirmation = FacilitatorConfirmation.objects.select_related("meeting__portfolio__owner").get(
        pk=confirmation_id
    )
    link = settings.SITE_URL + reverse("portfolios:confirm", args=[confirmation.token])
    context = {
        "confirmation": confirmation,
        "meeting": confirmation.meeting,
        "link": link,
        "owner": confirmation.meeting.portfolio.owner,
    }
    send_mail(
        subject=_("Wil je een reflectiebijeenkomst bevestigen?"),
        message=render_to_string("portfolios/jobcoach/email/confirmation_request.txt", context),
        from_email=None,
        recipient_list=[confirmation.email],
    )


def revoke_confirmation(*, confirmation: FacilitatorConfirmation, by) -> FacilitatorConfirmation:
    with locked_for_edit(confirmation.meeting.portfolio, by=by, section=MEETINGS.section) as edit:
        locked = FacilitatorConfirmation.objects.select_for_update().get(pk=confirmation.pk)
        if locked.state == ConfirmationState.PENDING:
            locked.state = ConfirmationState.REVOKED
            locked.save(update_fields=["state"])
            edit.record("confirmation_revoked", meeting=locked.meeting_id, email=locked.email)
    return locked


def revoke_pending_confirmations(*, portfolio: Portfolio, by) -> int:
    """On submit (the registry's ``on_submit``, inside the submit's lock): the portfolio is
    frozen, so the links still waiting for a facilitator stop working."""
    revoked = FacilitatorConfirmation.objects.filter(
        meeting__portfolio=portfolio, state=ConfirmationState.PENDING
    ).update(state=ConfirmationState.REVOKED)
    if revoked:
        record(portfolio=portfolio, by=by, action="confirmations_revoked", count=revoked)
    return revoked


def open_confirmation(token, *, now: datetime | None = None) -> FacilitatorConfirmation | None:
    """The pending confirmation behind a link, or None when unknown, used, revoked or expired."""
    now = now or timezone.now()
    confirmation = (
        FacilitatorConfirmation.objects.select_related("meeting__portfolio__owner")
        .filter(token=token)
        .first()
    )
    if confirmation is None or confirmation.state != ConfirmationState.PENDING:
        return confirmation
    if confirmation.expires_at <= now:
        FacilitatorConfirmation.objects.filter(
            pk=confirmation.pk, state=ConfirmationState.PENDING
        ).update(state=ConfirmationState.EXPIRED)
        confirmation.refresh_from_db()
    return confirmation


def answer_confirmation(
    *,
    confirmation: FacilitatorConfirmation,
    meeting_date: date,
    facilitator: str,
    own_situation: bool,
    note: str = "",
    now: datetime | None = None,
) -> FacilitatorConfirmation:
    """The facilitator confirms (or corrects) date, name and whether a situation was brought in.

    Corrections overwrite the meeting's data: the facilitator's word is the evidence. The
    portfolio row is locked first, as for every edit, and must still be a draft: raises
    PortfolioFrozen once it was submitted, TransitionError for a link no longer valid.
    """
    now = now or timezone.now()
    with transaction.atomic():
        portfolio = Portfolio.objects.select_for_update().get(
            pk=ReflectionMeeting.objects.filter(pk=confirmation.meeting_id).values("portfolio")[:1]
        )
        locked = FacilitatorConfirmation.objects.select_for_update().get(pk=confirmation.pk)
        if locked.state in (ConfirmationState.CONFIRMED, ConfirmationState.CORRECTED):
            return locked
        if not portfolio.is_section_editable(MEETINGS.section):
            raise PortfolioFrozen(
                _("Dit portfolio is %(state)s; de bijeenkomst kan niet meer worden bevestigd.")
                % {"state": portfolio.get_state_display().lower()}
            )
        if locked.state != ConfirmationState.PENDING or locked.expires_at <= now:
            raise TransitionError(_("Deze link is niet meer geldig."))
        meeting = ReflectionMeeting.objects.get(pk=locked.meeting_id)
        corrected = (
            meeting.date != meeting_date
            or meeting.facilitator.strip() != facilitator.strip()
            or meeting.own_situation != own_situation
        )
        locked.state = ConfirmationState.CORRECTED if corrected else ConfirmationState.CONFIRMED
        locked.responded_at = now
        locked.confirmed_date = meeting_date
        locked.confirmed_facilitator = facilitator.strip()
        locked.confirmed_own_situation = own_situation
        locked.facilitator_note = note
        locked.save()
        meeting.date = meeting_date
        meeting.facilitator = facilitator.strip()
        meeting.own_situation = own_situation
        meeting.save(update_fields=["date", "facilitator", "own_situation"])
        # The facilitator has no account: the event names the address the link was sent to.
        record(
            portfolio=portfolio,
            by=None,
            action=f"confirmation_{locked.state}",
            meeting=meeting.pk,
            email=locked.email,
        )
        transaction.on_commit(lambda: _mail_confirmation_answered(locked.pk))
    return locked


def _mail_confirmation_answered(confirmation_id: int) -> None:
    """The owner hears that the facilitator confirmed or corrected the meeting."""
    confirmation = FacilitatorConfirmation.objects.select_related("meeting__portfolio__owner").get(
        pk=confirmation_id
    )
    meeting = confirmation.meeting
    owner = meeting.portfolio.owner
    link = settings.SITE_URL + reverse(
        "portfolios:meeting_edit", args=[meeting.portfolio_id, meeting.pk]
    )
    subject = (
        _("Je reflectiebijeenkomst is bevestigd, met een correctie")
        if confirmation.state == ConfirmationState.CORRECTED
        else _("Je reflectiebijeenkomst is bevestigd")
    )
    send_mail(
        subject=subject,
        message=render_to_string(
            "portfolios/jobcoach/email/confirmation_answered.txt",
            {"confirmation": confirmation, "meeting": meeting, "owner": owner, "link": link},
        ),
        from_email=None,
        recipient_list=[owner.email],
    )


# --- KK-12: attendance at a quality-circle meeting feeds the portfolio ------------------------


def circle_meetings_offered(*, portfolio: Portfolio, used: Collection[int] | None = None):
    """The owner's attended circle meetings not yet in this portfolio, newest first, each with
    whether it may count as a reflection meeting (intervision with a named facilitator).
    ``used``: the circle meetings its activities and reflection meetings hold, when the caller
    knows them."""
    if used is None:
        used = {
            row.circle_meeting_id
            for rows in (portfolio.pe_activities.all(), portfolio.reflection_meetings.all())
            for row in rows
            if row.circle_meeting_id is not None
        }
    return [
        {
            "meeting": meeting,
            "as_reflection": meeting.form == MeetingForm.INTERVISION
            and bool(meeting.facilitator.strip()),
        }
        for meeting in _ATTENDED(owner=portfolio.owner_id)
        if meeting.pk not in used
    ]


# attended_meetings_of for the PE register of every Jobcoach portfolio, compiled once.
_ATTENDED = PreparedQuery(lambda owner: attended_meetings_of(owner), owner=int)


def _attendance_statement(*, meeting, owner):
    rows = [
        (_("Deelnemer"), owner.full_name),
        (_("Kwaliteitskring"), meeting.circle.name),
        (_("Datum"), date_format(meeting.date, "j F Y")),
        (_("Vorm"), meeting.get_form_display()),
        (_("Thema"), meeting.theme),
    ]
    if meeting.facilitator.strip():
        rows.append((_("Begeleider"), meeting.facilitator.strip()))
    data = render_statement(
        title=_("Presentieverklaring kwaliteitskring"),
        rows=rows,
        note=_("De kringcoördinator heeft deze aanwezigheid vastgelegd op de presentielijst."),
    )
    return store_bytes(
        data=data,
        name=f"presentie-{meeting.circle.name}-{meeting.date:%Y-%m-%d}.pdf".replace(" ", "-"),
        content_type="application/pdf",
        owner=owner,
    )


def add_circle_meeting(*, portfolio: Portfolio, meeting, as_reflection: bool, by):
    """KK-12: add an attended circle meeting as a PE category-2 activity or, for an intervision
    meeting with a named facilitator, as a JC-A3.1 reflection meeting. Never both, never twice
    (JC-B-OVERLAP); the coordinator's attendance record is the evidence."""

    section = MEETINGS.section if as_reflection else ACTIVITIES.section
    with locked_for_edit(portfolio, by=by, section=section) as edit:
        locked = edit.portfolio
        offered = {item["meeting"].pk: item for item in circle_meetings_offered(portfolio=locked)}
        if meeting.pk not in offered:
            if not attended_meetings_of(locked.owner).filter(pk=meeting.pk).exists():
                raise TransitionError(
                    _("Volgens de presentielijst van de kring was je niet bij deze bijeenkomst.")
                )
            raise TransitionError(_("Deze bijeenkomst staat al in je portfolio."))
        if as_reflection and not offered[meeting.pk]["as_reflection"]:
            raise TransitionError(
                _(
                    "Alleen een intervisiebijeenkomst met een begeleider telt als "
                    "reflectiebijeenkomst; voeg deze toe als PE-activiteit."
                )
            )
        evidence = edit.keep(_attendance_statement(meeting=meeting, owner=locked.owner))
        if as_reflection:
            created = ReflectionMeeting.objects.create(
                portfolio=locked,
                date=meeting.date,
                kind="intervision",
                facilitator=meeting.facilitator.strip(),
                statement_signed=True,
                statement=evidence,
                circle_meeting=meeting,
            )
        else:
            created = PEActivity.objects.create(
                portfolio=locked,
                type="intercollegial_meeting",
                title=f"{meeting.circle.name}: {meeting.theme}"[:300],
                date=meeting.date,
                facilitator=meeting.facilitator.strip(),
                evidence=evidence,
                circle_meeting=meeting,
            )
        edit.record("circle_meeting_added", meeting=meeting.pk, as_reflection=as_reflection)
    return created


def expire_confirmations(*, now: datetime | None = None) -> int:
    """Beat: pending facilitator links past their expiry become expired (workflow.md), so the
    professional sees it and can send a new one."""
    return FacilitatorConfirmation.objects.filter(
        state=ConfirmationState.PENDING, expires_at__lte=now or timezone.now()
    ).update(state=ConfirmationState.EXPIRED)
