"""Portfolio transitions (workflow.md, portfolio; AS-1) and the facilitator confirmation."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from noloc_portal.pdf.rendering import render_statement
from noloc_portal.pdf.services import queue_report
from portfolios.evaluation import Evaluation, evaluate
from portfolios.exchange.document import dump_document
from portfolios.frameworks import JOBCOACH, LOOPBAAN, framework_version
from portfolios.frameworks.loopbaan import loopbaan_framework
from portfolios.models import (
    AuditEvent,
    Case,
    CaseTask,
    CaseText,
    CaseTextKind,
    ConfirmationState,
    FacilitatorConfirmation,
    LoopbaanDetails,
    Portfolio,
    PortfolioState,
    ReflectionMeeting,
    Submission,
)
from portfolios.reports import DOSSIER
from portfolios.snapshots import prefetch_for_snapshot, snapshot_of

logger = logging.getLogger(__name__)

CONFIRMATION_VALID_FOR = timedelta(days=30)


class TransitionError(Exception):
    """A transition refused: wrong state, not allowed, or rules not met. Message is Dutch."""


def record(*, portfolio: Portfolio, by, action: str, **detail) -> AuditEvent:
    return AuditEvent.objects.create(portfolio=portfolio, actor=by, action=action, detail=detail)


def today() -> date:
    return timezone.localdate()


def portfolio_snapshot(portfolio: Portfolio):
    """The engine's input for the portfolio as it is now in the database."""
    queryset = prefetch_for_snapshot(Portfolio.objects.filter(pk=portfolio.pk), portfolio.framework)
    return snapshot_of(queryset.get())


def evaluate_portfolio(portfolio: Portfolio, *, as_of: date | None = None) -> Evaluation:
    """The engine's verdict on the portfolio as it is now in the database."""
    return evaluate(portfolio_snapshot(portfolio), as_of=as_of or today())


def start_jobcoach_portfolio(*, owner, recertification_date: date | None) -> Portfolio:
    """A new draft under the framework version in force on the recertification date."""
    version = framework_version(JOBCOACH, on=recertification_date or today())
    portfolio = Portfolio.objects.create(
        owner=owner,
        framework=JOBCOACH,
        framework_version=version.version,
        recertification_date=recertification_date,
    )
    record(portfolio=portfolio, by=owner, action="created", version=version.version)
    return portfolio


def start_loopbaan_portfolio(*, owner) -> Portfolio:
    """A new Loopbaanprofessional draft under the framework version in force today."""
    version = framework_version(LOOPBAAN, on=today())
    with transaction.atomic():
        portfolio = Portfolio.objects.create(
            owner=owner, framework=LOOPBAAN, framework_version=version.version
        )
        LoopbaanDetails.objects.create(portfolio=portfolio)
        record(portfolio=portfolio, by=owner, action="created", version=version.version)
    return portfolio


def ensure_editable(portfolio: Portfolio, *, by) -> None:
    if portfolio.owner_id != by.pk:
        raise TransitionError(_("Alleen de eigenaar kan dit portfolio wijzigen."))
    if not portfolio.is_editable:
        raise TransitionError(
            _("Dit portfolio is %(state)s en kan niet meer worden gewijzigd.")
            % {"state": portfolio.get_state_display().lower()}
        )


def submit_portfolio(*, portfolio: Portfolio, by, now: datetime | None = None) -> Submission:
    """AS-1: lock the portfolio, freeze the snapshot and its evaluation, open a round.

    A second submit of the same portfolio (double click, second tab) returns the submission
    already made. Raises TransitionError when the evaluation is not submittable.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        if locked.owner_id != by.pk:
            raise TransitionError(_("Alleen de eigenaar kan dit portfolio indienen."))
        if locked.state == PortfolioState.SUBMITTED:
            return locked.submissions.order_by("-number").first()
        if locked.state != PortfolioState.DRAFT:
            raise TransitionError(_("Dit portfolio is al ingediend."))
        fresh = prefetch_for_snapshot(
            Portfolio.objects.filter(pk=locked.pk), locked.framework
        ).get()
        snapshot = snapshot_of(fresh)
        result = evaluate(snapshot, as_of=timezone.localdate(now))
        if not result.submittable:
            raise TransitionError(
                _("Het portfolio voldoet nog niet aan alle eisen; zie de checklist.")
            )
        submission = Submission.objects.create(
            portfolio=locked,
            number=locked.submissions.count() + 1,
            submitted_by=by,
            document=dump_document(snapshot),
            evaluation=result.to_json(),
        )
        locked.state = PortfolioState.SUBMITTED
        locked.submitted_at = now
        locked.save(update_fields=["state", "submitted_at", "updated_at"])
        from assessments.services import open_round

        open_round(portfolio=locked)
        record(portfolio=locked, by=by, action="submitted", submission=submission.number)
        # AS-7: the assessor's dossier of this submission, rendered in the background.
        queue_report(kind=DOSSIER, target=submission, by=by)
    portfolio.refresh_from_db()
    return submission


def withdraw_portfolio(*, portfolio: Portfolio, by) -> Portfolio:
    """draft|submitted -> withdrawn, by the owner, before an assessor is assigned."""
    with transaction.atomic():
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        if locked.owner_id != by.pk:
            raise TransitionError(_("Alleen de eigenaar kan dit portfolio intrekken."))
        if locked.state == PortfolioState.WITHDRAWN:
            return locked
        if locked.state not in (PortfolioState.DRAFT, PortfolioState.SUBMITTED):
            raise TransitionError(
                _("Een portfolio in beoordeling kan niet meer worden ingetrokken.")
            )
        locked.state = PortfolioState.WITHDRAWN
        locked.save(update_fields=["state", "updated_at"])
        record(portfolio=locked, by=by, action="withdrawn")
    return locked


# --- Facilitator confirmation (workflow.md) ---------------------------------------------------


def request_confirmation(
    *, meeting: ReflectionMeeting, email: str, by, now: datetime | None = None
) -> FacilitatorConfirmation:
    """Send the facilitator a single-use link; a pending earlier link is voided (resend)."""
    now = now or timezone.now()
    ensure_editable(meeting.portfolio, by=by)
    with transaction.atomic():
        ReflectionMeeting.objects.select_for_update().get(pk=meeting.pk)
        meeting.confirmations.filter(state=ConfirmationState.PENDING).update(
            state=ConfirmationState.REVOKED
        )
        confirmation = FacilitatorConfirmation.objects.create(
            meeting=meeting, email=email, expires_at=now + CONFIRMATION_VALID_FOR
        )
        record(
            portfolio=meeting.portfolio,
            by=by,
            action="confirmation_requested",
            meeting=meeting.pk,
            email=email,
        )
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
        message=render_to_string("portfolios/email/confirmation_request.txt", context),
        from_email=None,
        recipient_list=[confirmation.email],
    )


def revoke_confirmation(*, confirmation: FacilitatorConfirmation, by) -> FacilitatorConfirmation:
    ensure_editable(confirmation.meeting.portfolio, by=by)
    with transaction.atomic():
        locked = FacilitatorConfirmation.objects.select_for_update().get(pk=confirmation.pk)
        if locked.state == ConfirmationState.PENDING:
            locked.state = ConfirmationState.REVOKED
            locked.save(update_fields=["state"])
    return locked


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

    Corrections overwrite the meeting's data: the facilitator's word is the evidence.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = FacilitatorConfirmation.objects.select_for_update().get(pk=confirmation.pk)
        if locked.state in (ConfirmationState.CONFIRMED, ConfirmationState.CORRECTED):
            return locked
        if locked.state != ConfirmationState.PENDING or locked.expires_at <= now:
            raise TransitionError(_("Deze link is niet meer geldig."))
        meeting = ReflectionMeeting.objects.select_for_update().get(pk=locked.meeting_id)
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
        record(
            portfolio=meeting.portfolio,
            by=None,
            action=f"confirmation_{locked.state}",
            meeting=meeting.pk,
        )
    return locked


# --- KK-12: attendance at a quality-circle meeting feeds the portfolio ------------------------


def circle_meetings_offered(*, portfolio: Portfolio):
    """The owner's attended circle meetings not yet in this portfolio, newest first, each with
    whether it may count as a reflection meeting (intervision with a named facilitator)."""
    from kwaliteitskringen.models import MeetingForm
    from kwaliteitskringen.selectors import attended_meetings_of

    used = set(
        portfolio.pe_activities.exclude(circle_meeting=None).values_list(
            "circle_meeting_id", flat=True
        )
    ) | set(
        portfolio.reflection_meetings.exclude(circle_meeting=None).values_list(
            "circle_meeting_id", flat=True
        )
    )
    return [
        {
            "meeting": meeting,
            "as_reflection": meeting.form == MeetingForm.INTERVISION
            and bool(meeting.facilitator.strip()),
        }
        for meeting in attended_meetings_of(portfolio.owner)
        if meeting.pk not in used
    ]


def _attendance_statement(*, meeting, owner):
    from noloc_portal.documents.services import store_bytes

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
    from kwaliteitskringen.selectors import attended_meetings_of

    ensure_editable(portfolio, by=by)
    with transaction.atomic():
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        offered = {item["meeting"].pk: item for item in circle_meetings_offered(portfolio=locked)}
        if meeting.pk not in offered:
            if not attended_meetings_of(by).filter(pk=meeting.pk).exists():
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
        evidence = _attendance_statement(meeting=meeting, owner=locked.owner)
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
            from portfolios.models import PEActivity

            created = PEActivity.objects.create(
                portfolio=locked,
                type="intercollegial_meeting",
                title=f"{meeting.circle.name}: {meeting.theme}"[:300],
                date=meeting.date,
                facilitator=meeting.facilitator.strip(),
                evidence=evidence,
                circle_meeting=meeting,
            )
        record(
            portfolio=locked,
            by=by,
            action="circle_meeting_added",
            meeting=meeting.pk,
            as_reflection=as_reflection,
        )
    return created


# --- Loopbaanprofessional cases (LP-C) ---------------------------------------------------------


def add_case(*, portfolio: Portfolio, by) -> Case:
    """A new, empty case; LP-C asks for exactly two, so a third is refused."""
    ensure_editable(portfolio, by=by)
    with transaction.atomic():
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        if locked.framework != LOOPBAAN:
            raise TransitionError(_("Alleen een portfolio Loopbaanprofessional heeft casussen."))
        count = locked.cases.count()
        limit = loopbaan_framework(version=locked.framework_version).case_count
        if count >= limit:
            raise TransitionError(
                _("Je portfolio heeft al %(count)s casussen; meer zijn er niet nodig.")
                % {"count": limit}
            )
        case = Case.objects.create(portfolio=locked, number=count + 1)
        record(portfolio=locked, by=by, action="case_added", case=case.number)
    return case


def remove_case(*, case: Case, by) -> None:
    """Delete a case with its texts; the case after it moves up, so numbers stay 1 and 2."""
    ensure_editable(case.portfolio, by=by)
    with transaction.atomic():
        locked = Portfolio.objects.select_for_update().get(pk=case.portfolio_id)
        deleted, _rows = Case.objects.filter(pk=case.pk, portfolio=locked).delete()
        if not deleted:
            return
        for number, later in enumerate(locked.cases.order_by("number"), start=1):
            if later.number != number:
                later.number = number
                later.save(update_fields=["number"])
        record(portfolio=locked, by=by, action="case_removed", case=case.number)


def update_case(
    *,
    case: Case,
    by,
    title: str,
    started: date | None,
    ended: date | None,
    rationale: str,
    tasks: dict[int, tuple[bool, str]],
    texts: dict[tuple[str, str], str],
) -> Case:
    """Save a case as typed. ``tasks`` maps a task number to ``(not_relevant, text)``; a task
    left out (or with a blank text) is removed. ``texts`` maps ``(kind, key)`` to a text; a blank
    one is removed, so the matrix shows the field as missing, never as "described"."""
    ensure_editable(case.portfolio, by=by)
    framework = loopbaan_framework(version=case.portfolio.framework_version)
    known_tasks = {task.number for task in framework.tasks}
    known = {
        CaseTextKind.KNOWLEDGE_AREA: {area.key for area in framework.knowledge_areas},
        CaseTextKind.COMPETENCE: {c.key for c in framework.competences},
        CaseTextKind.ATTITUDE: {a.key for a in framework.attitudes},
    }
    for number in tasks:
        if number not in known_tasks:
            raise TransitionError(_("Onbekende taak %(number)s.") % {"number": number})
    for kind, key in texts:
        if key not in known.get(kind, ()):
            raise TransitionError(_("Onbekend onderdeel %(key)s.") % {"key": key})
    if started and ended and ended < started:
        raise TransitionError(_("De einddatum ligt voor de begindatum."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        locked.title = title
        locked.started = started
        locked.ended = ended
        locked.rationale = rationale
        locked.save()
        locked.tasks.all().delete()
        CaseTask.objects.bulk_create(
            CaseTask(case=locked, number=number, not_relevant=not_relevant, text=text)
            for number, (not_relevant, text) in sorted(tasks.items())
            if text.strip()
        )
        locked.texts.all().delete()
        CaseText.objects.bulk_create(
            CaseText(case=locked, kind=kind, key=key, text=text)
            for (kind, key), text in texts.items()
            if text.strip()
        )
    return locked


def expire_confirmations(*, now: datetime | None = None) -> int:
    """Beat: pending facilitator links past their expiry become expired (workflow.md), so the
    professional sees it and can send a new one."""
    return FacilitatorConfirmation.objects.filter(
        state=ConfirmationState.PENDING, expires_at__lte=now or timezone.now()
    ).update(state=ConfirmationState.EXPIRED)
