"""Assessment-round transitions (workflow.md, assessment round; AS-2)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Advice,
    AdviceOutcome,
    AssessmentRound,
    Assignment,
    AssignmentState,
    RoundReason,
)
from assessments.notifications import certification_coordinators, notify, site_url
from assessments.permissions import can_view_assessment_report
from assessments.reports import ASSESSMENT_REPORT
from noloc_portal.accounts.models import Role
from noloc_portal.pdf.models import RenderJob
from noloc_portal.pdf.services import queue_report
from portfolios.models import Portfolio, PortfolioState
from portfolios.registry import framework_version
from portfolios.services import end_supplement, record


class AssignmentError(Exception):
    """An assignment refused; the message is Dutch."""


def open_round(
    *, portfolio, submission=None, reason: str = RoundReason.SUBMITTED
) -> AssessmentRound:
    """Open the next round of a portfolio, judging ``submission`` (else the latest one); called
    inside the transaction of the transition that opens it."""
    with transaction.atomic():
        last = portfolio.rounds.order_by("-number").first()
        if submission is None:
            submission = portfolio.submissions.order_by("-number").first()
        return AssessmentRound.objects.create(
            portfolio=portfolio,
            number=(last.number if last else 0) + 1,
            submission=submission,
            reason=reason,
        )


def open_round_on_submit(*, portfolio, submission, by) -> None:
    """workflow.md: a round opens on submit; registered with portfolios.hooks.on_submitted. A
    resubmission (the second submission on) goes back to the same assessors."""
    if submission.number > 1:
        open_resubmission_round(portfolio=portfolio, submission=submission, by=by)
        return
    open_round(portfolio=portfolio, submission=submission)


def assign_assessor(*, round: AssessmentRound, assessor, by) -> Assignment:
    """AS-2: the certification coordinator (or staff) assigns an assessor to the current round.

    Moves the portfolio from submitted to in assessment and records who assigned whom. Assigning
    the same person twice returns the existing assignment. Raises AssignmentError otherwise.
    """
    if not by.has_role(Role.CERTIFICATION_COORDINATOR) and not by.is_staff:
        raise AssignmentError(_("Alleen de coördinator certificeren wijst assessoren toe."))
    if not assessor.has_role(Role.ASSESSOR):
        raise AssignmentError(_("%(name)s is geen assessor.") % {"name": assessor})
    with transaction.atomic():
        portfolio = Portfolio.objects.select_for_update().get(pk=round.portfolio_id)
        if portfolio.owner_id == assessor.pk:
            raise AssignmentError(_("Een assessor beoordeelt nooit het eigen portfolio."))
        existing = round.assignments.filter(assessor=assessor).first()
        if existing is not None:
            return existing
        if portfolio.state not in (PortfolioState.SUBMITTED, PortfolioState.IN_ASSESSMENT):
            raise AssignmentError(_("Dit portfolio wacht niet op een assessor."))
        if portfolio.rounds.order_by("-number").first() != round:
            raise AssignmentError(_("Dit is niet de lopende beoordelingsronde van dit portfolio."))
        active = round.assignments.exclude(state=AssignmentState.DECLINED).count()
        needed = framework_version(
            portfolio.framework, version=portfolio.framework_version
        ).assessor_count
        if active >= needed:
            raise AssignmentError(_("Deze ronde heeft al %(n)d assessor(en).") % {"n": needed})
        assignment = Assignment.objects.create(round=round, assessor=assessor, assigned_by=by)
        if portfolio.state == PortfolioState.SUBMITTED:
            portfolio.state = PortfolioState.IN_ASSESSMENT
            portfolio.save(update_fields=["state", "updated_at"])
        record(
            portfolio=portfolio,
            by=by,
            action="assessor_assigned",
            round=round.number,
            assessor=assessor.pk,
        )
    return assignment


# --- coordinator: queue, assignment, decision, registration (AS-2, AS-5) ---------------------


# --- assessor: declaration, judgements per criterion (AS-2, AS-3) -----------------------------


# --- interview and advice (AS-4, AS-5, AS-6) ---------------------------------------------------


# --- supplement rounds: resubmission, deadline (workflow.md) -----------------------------------


def _carry_over_assessors(*, previous: AssessmentRound, round: AssessmentRound, now) -> list:
    """The previous round's assessors (those who did not decline) judge the new round; they
    declared no conflict of interest for this portfolio already, so they start judging."""
    carried = []
    for assignment in previous.assignments.exclude(state=AssignmentState.DECLINED).select_related(
        "assessor"
    ):
        carried.append(
            Assignment.objects.create(
                round=round,
                assessor=assignment.assessor,
                assigned_by=assignment.assigned_by,
                state=AssignmentState.JUDGING,
                declared_at=now,
            )
        )
    return carried


def open_resubmission_round(*, portfolio, submission, by, now=None) -> AssessmentRound:
    """supplement_requested -> in_assessment by a resubmission (called by
    :func:`open_round_on_submit` inside the submit's lock): a new round judging the new
    submission, with the same assessors already declared; they get an e-mail linking to what
    changed."""
    now = now or timezone.now()
    previous = portfolio.rounds.order_by("-number").first()
    round = open_round(portfolio=portfolio, submission=submission, reason=RoundReason.RESUBMITTED)
    carried = _carry_over_assessors(previous=previous, round=round, now=now) if previous else []
    record(
        portfolio=portfolio, by=by, action="round_opened", round=round.number, reason="resubmitted"
    )
    notify(
        to=[assignment.assessor for assignment in carried],
        template="resubmitted",
        context={
            "portfolio": portfolio,
            "round": round,
            "link": site_url("assessments:supplement_diff", round.pk),
        },
    )
    return round


def remind_supplement_deadline(*, advice: Advice, today: date, days: int) -> bool:
    """E-mail the owner once, ``days`` days (or fewer) before the supplement deadline; True when
    an e-mail went out."""
    with transaction.atomic():
        locked = (
            Advice.objects.select_for_update()
            .select_related("round__portfolio__owner")
            .get(pk=advice.pk)
        )
        portfolio = locked.round.portfolio
        deadline = locked.supplement_deadline
        if (
            locked.deadline_reminded_at is not None
            or deadline is None
            or portfolio.state != PortfolioState.SUPPLEMENT_REQUESTED
            or portfolio.rounds.order_by("-number").values_list("pk", flat=True).first()
            != locked.round_id
            or not (deadline - timedelta(days=days) <= today <= deadline)
        ):
            return False
        locked.deadline_reminded_at = timezone.now()
        locked.save(update_fields=["deadline_reminded_at"])
        record(portfolio=portfolio, by=None, action="supplement_reminded", deadline=str(deadline))
        notify(
            to=[portfolio.owner],
            template="supplement_deadline_approaching",
            context={
                "portfolio": portfolio,
                "advice": locked,
                "deadline": deadline,
                "days_left": (deadline - today).days,
                "link": site_url("portfolios:detail", portfolio.pk),
            },
        )
    return True


def supplement_deadline_passed(*, advice: Advice, today: date, now=None) -> AssessmentRound | None:
    """After the deadline without a resubmission (workflow.md): the reopened sections freeze
    (portfolios.services.end_supplement), a new round opens on the same submission with the same
    assessors judging, and they are told to advise on what is there. None when there is nothing
    to end (resubmitted meanwhile, already ended, deadline not passed)."""
    now = now or timezone.now()
    with transaction.atomic():
        portfolio = Portfolio.objects.select_for_update().get(pk=advice.round.portfolio_id)
        previous = portfolio.rounds.order_by("-number").first()
        if (
            portfolio.state != PortfolioState.SUPPLEMENT_REQUESTED
            or previous is None
            or previous.pk != advice.round_id
            or advice.supplement_deadline is None
            or today <= advice.supplement_deadline
        ):
            return None
        end_supplement(portfolio=portfolio, by=None)
        round = open_round(
            portfolio=portfolio, submission=previous.submission, reason=RoundReason.DEADLINE_PASSED
        )
        carried = _carry_over_assessors(previous=previous, round=round, now=now)
        record(
            portfolio=portfolio,
            by=None,
            action="round_opened",
            round=round.number,
            reason="deadline_passed",
        )
        notify(
            to=[assignment.assessor for assignment in carried],
            template="supplement_deadline_passed",
            context={
                "portfolio": portfolio,
                "round": round,
                "deadline": advice.supplement_deadline,
                "link": site_url("portfolios:detail", portfolio.pk),
            },
        )
    return round


def run_supplement_deadlines(*, today: date | None = None) -> dict[str, int]:
    """Beat: remind owners whose supplement deadline is near, end the rounds whose deadline
    passed. Safe to run as often as wanted: each reminder goes once, each end happens once."""
    today = today or timezone.localdate()
    days = settings.SUPPLEMENT_REMINDER_DAYS
    advices = Advice.objects.filter(
        outcome=AdviceOutcome.SUPPLEMENT,
        supplement_deadline__isnull=False,
        round__portfolio__state=PortfolioState.SUPPLEMENT_REQUESTED,
    ).select_related("round")
    counts = {"reminded": 0, "ended": 0}
    for advice in advices.order_by("pk"):
        if today > advice.supplement_deadline:
            counts["ended"] += supplement_deadline_passed(advice=advice, today=today) is not None
        else:
            counts["reminded"] += remind_supplement_deadline(advice=advice, today=today, days=days)
    return counts


# --- reports and reminders (AS-7) --------------------------------------------------------------


class ReportError(Exception):
    """A report refused; the message is Dutch."""


def queue_assessment_report(*, round: AssessmentRound, by) -> RenderJob:
    """AS-7: queue a new version of the round's assessment report; it is published to the
    worker after commit, and the versions rendered before stay downloadable.

    Called when an advice is recorded and whenever the report must be rendered again, by one
    who may read it (the owner excepted) or by the system (``by=None``). A version still queued
    or rendering is returned instead of a second one (a double click renders once).
    """
    if by is not None and (
        by.pk == round.portfolio.owner_id or not can_view_assessment_report(by, round)
    ):
        raise ReportError(_("Je kunt van deze ronde geen beoordelingsrapport laten maken."))
    return queue_report(kind=ASSESSMENT_REPORT, target=round, by=by)


# The states in which an assignment waits on its assessor, and the moment it started waiting.
_WAITING = {
    AssignmentState.PENDING_DECLARATION: "assigned_at",
    AssignmentState.JUDGING: "declared_at",
}


def _waiting_since(assignment: Assignment):
    return getattr(assignment, _WAITING[assignment.state]) or assignment.assigned_at


def send_assignment_reminders(*, now: datetime | None = None) -> int:
    """Beat: remind each assessor whose assignment has waited for a declaration or a judgement
    longer than ASSESSMENT_REMINDER_DAYS, at most once per such period (Assignment.reminded_at),
    and send the certification coordinators one list of the assignments reminded in this run.
    Only portfolios in assessment count: during a supplement the assessor waits on the owner.
    Returns how many assessors were reminded."""
    now = now or timezone.now()
    period = timedelta(days=settings.ASSESSMENT_REMINDER_DAYS)
    due_before = now - period
    not_reminded = Q(reminded_at__isnull=True) | Q(reminded_at__lte=due_before)
    due = not_reminded & (
        Q(state=AssignmentState.PENDING_DECLARATION, assigned_at__lte=due_before)
        | Q(state=AssignmentState.JUDGING)
        & (
            Q(declared_at__lte=due_before)
            | Q(declared_at__isnull=True, assigned_at__lte=due_before)
        )
    )
    candidates = Assignment.objects.filter(
        due,
        assessor__is_active=True,
        round__portfolio__state__in=[PortfolioState.SUBMITTED, PortfolioState.IN_ASSESSMENT],
    ).values_list("pk", flat=True)
    reminded = []
    for pk in list(candidates):
        with transaction.atomic():
            # A second run at the same moment finds the row locked or already reminded.
            assignment = (
                Assignment.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(due, pk=pk)
                .select_related("assessor", "round__portfolio__owner")
                .first()
            )
            if assignment is None:
                continue
            assignment.reminded_at = now
            assignment.save(update_fields=["reminded_at"])
            waiting = {"assignment": assignment, "days": (now - _waiting_since(assignment)).days}
            notify(
                to=[assignment.assessor],
                template="assignment_reminder",
                context={
                    **waiting,
                    "portfolio": assignment.round.portfolio,
                    "url": site_url("assessments:assigned"),
                },
            )
            reminded.append(waiting)
    if reminded:
        notify(
            to=certification_coordinators(),
            template="assignment_reminders_summary",
            context={
                "reminded": reminded,
                "reminder_days": settings.ASSESSMENT_REMINDER_DAYS,
                "url": site_url("assessments:certification"),
            },
        )
    return len(reminded)
