"""Assessment-round transitions (workflow.md, assessment round; AS-2)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import (
    AssessmentRound,
    Assignment,
    AssignmentState,
    Judgement,
    RoundReason,
    Verdict,
)
from assessments.notifications import certification_coordinators, notify, site_url
from assessments.permissions import (
    DECLARED_STATES,
    can_view_assessment_report,
    is_assessor_of,
)
from assessments.reports import ASSESSMENT_REPORT
from noloc_portal.accounts.models import Role
from noloc_portal.pdf.models import RenderJob
from noloc_portal.pdf.services import queue_report
from portfolios.evaluation.common import Status
from portfolios.models import Portfolio, PortfolioState
from portfolios.registry import Criterion, framework_version
from portfolios.services import record


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
    """workflow.md: a round opens on submit; registered with portfolios.hooks.on_submitted."""
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


class JudgingError(Exception):
    """A declaration, decline or judgement refused; the message is Dutch. ``errors`` maps a
    criterion key to the Dutch message shown next to that criterion."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


def _locked_assignment(assignment: Assignment, by) -> Assignment:
    """The assignment row locked, with its round and portfolio; only its assessor acts on it."""
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("round__portfolio", "round__submission")
        .get(pk=assignment.pk)
    )
    if not is_assessor_of(by, locked):
        raise JudgingError(_("Alleen de toegewezen assessor handelt deze beoordeling af."))
    return locked


def _ensure_in_assessment(assignment: Assignment) -> None:
    if assignment.round.portfolio.state != PortfolioState.IN_ASSESSMENT:
        raise JudgingError(_("Dit portfolio is niet (meer) in beoordeling."))


def declare_no_conflict(*, assignment: Assignment, by) -> Assignment:
    """AS-2: the assessor declares no conflict of interest with the owner; only then does the
    portfolio open to them (pending declaration -> judging). A second click returns the same."""
    with transaction.atomic():
        assignment = _locked_assignment(assignment, by)
        if assignment.state in DECLARED_STATES:
            return assignment
        if assignment.state == AssignmentState.DECLINED:
            raise JudgingError(_("Je hebt deze beoordeling afgewezen."))
        _ensure_in_assessment(assignment)
        assignment.state = AssignmentState.JUDGING
        assignment.declared_at = timezone.now()
        assignment.save(update_fields=["state", "declared_at"])
        record(
            portfolio=assignment.round.portfolio,
            by=by,
            action="no_conflict_declared",
            round=assignment.round.number,
            assignment=assignment.pk,
        )
    return assignment


def decline_assignment(*, assignment: Assignment, by, reason: str) -> Assignment:
    """AS-2: the assessor declines before seeing any content (a conflict of interest, no time);
    the certification coordinators are told by e-mail and assign someone else."""
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError(_("Vul de reden in waarom je deze beoordeling afwijst."))
    with transaction.atomic():
        assignment = _locked_assignment(assignment, by)
        if assignment.state == AssignmentState.DECLINED:
            return assignment
        if assignment.state != AssignmentState.PENDING_DECLARATION:
            raise JudgingError(
                _(
                    "Je hebt al verklaard geen belangenverstrengeling te hebben. Neem contact op "
                    "met de coördinator certificeren als je deze beoordeling wilt teruggeven."
                )
            )
        assignment.state = AssignmentState.DECLINED
        assignment.declined_at = timezone.now()
        assignment.decline_reason = reason
        assignment.save(update_fields=["state", "declined_at", "decline_reason"])
        portfolio = assignment.round.portfolio
        record(
            portfolio=portfolio,
            by=by,
            action="assignment_declined",
            round=assignment.round.number,
            assignment=assignment.pk,
            reason=reason,
        )
        notify(
            to=certification_coordinators(),
            template="declined",
            context={
                "portfolio": portfolio,
                "assignment": assignment,
                "assessor": by,
                "reason": reason,
                "url": site_url("portfolios:detail", portfolio.pk),
            },
        )
    return assignment


def judged_criteria(assignment: Assignment) -> list[Criterion]:
    """The criteria this assignment judges: every criterion of the portfolio's framework version
    except one whose ``skip_when_exempt`` rule is exempt in the round's frozen evaluation."""
    portfolio = assignment.round.portfolio
    version = framework_version(portfolio.framework, version=portfolio.framework_version)
    exempt = {
        rule["id"] for rule in frozen_rules(assignment.round) if rule.get("status") == Status.EXEMPT
    }
    return [
        criterion
        for criterion in version.criteria
        if not (criterion.skip_when_exempt and criterion.skip_when_exempt in exempt)
    ]


def frozen_rules(round: AssessmentRound) -> list[dict]:
    """The rule results frozen in the submission the round judges."""
    submission = round.submission
    if submission is None:
        submission = round.portfolio.submissions.order_by("-number").first()
    if submission is None or not isinstance(submission.evaluation, dict):
        return []
    return [rule for rule in submission.evaluation.get("rules", []) if isinstance(rule, dict)]


def _ensure_judging(assignment: Assignment) -> None:
    if assignment.state == AssignmentState.JUDGED:
        raise JudgingError(_("Je beoordeling is afgerond en kan niet meer worden gewijzigd."))
    if assignment.state != AssignmentState.JUDGING:
        raise JudgingError(_("Verklaar eerst dat je geen belangenverstrengeling hebt."))
    _ensure_in_assessment(assignment)


def save_judgements(
    *, assignment: Assignment, by, values: dict[str, tuple[str, str]]
) -> Assignment:
    """AS-3: store the assessor's draft judgements, ``{criterion key: (verdict, explanation)}``
    (a blank verdict is a draft); nothing is checked for completeness until finishing."""
    with transaction.atomic():
        assignment = _locked_assignment(assignment, by)
        _ensure_judging(assignment)
        keys = {criterion.key for criterion in judged_criteria(assignment)}
        unknown = set(values) - keys
        if unknown:
            raise JudgingError(
                _("Onbekend criterium: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
            )
        existing = {judgement.criterion: judgement for judgement in assignment.judgements.all()}
        for key, (verdict, explanation) in values.items():
            if verdict and verdict not in Verdict.values:
                raise JudgingError(
                    _("Kies een geldig oordeel."), {key: _("Kies een geldig oordeel.")}
                )
            judgement = existing.get(key)
            if judgement is None:
                Judgement.objects.create(
                    assignment=assignment, criterion=key, verdict=verdict, explanation=explanation
                )
            elif (judgement.verdict, judgement.explanation) != (verdict, explanation):
                judgement.verdict = verdict
                judgement.explanation = explanation
                judgement.save(update_fields=["verdict", "explanation", "updated_at"])
    return assignment


def finish_judging(*, assignment: Assignment, by) -> Assignment:
    """AS-3: finish the judgement: every criterion judged, an explanation with every verdict but
    "meets". Marks the assignment judged (read-only from then on). A second click returns the
    same; an incomplete judgement raises JudgingError with a message per criterion."""
    with transaction.atomic():
        assignment = _locked_assignment(assignment, by)
        if assignment.state == AssignmentState.JUDGED:
            return assignment
        _ensure_judging(assignment)
        judgements = {judgement.criterion: judgement for judgement in assignment.judgements.all()}
        errors: dict[str, str] = {}
        for criterion in judged_criteria(assignment):
            judgement = judgements.get(criterion.key)
            name = f"{criterion.code} {criterion.title}"
            if judgement is None or not judgement.verdict:
                errors[criterion.key] = _("Kies een oordeel bij %(name)s.") % {"name": name}
            elif judgement.verdict != Verdict.MEETS and not judgement.explanation.strip():
                errors[criterion.key] = _(
                    "Licht je oordeel bij %(name)s toe: een toelichting is nodig bij alles "
                    "behalve “voldoet”."
                ) % {"name": name}
        if errors:
            raise JudgingError(
                ngettext(
                    "Niet afgerond: %(n)d criterium is nog niet volledig beoordeeld.",
                    "Niet afgerond: %(n)d criteria zijn nog niet volledig beoordeeld.",
                    len(errors),
                )
                % {"n": len(errors)},
                errors,
            )
        assignment.state = AssignmentState.JUDGED
        assignment.judged_at = timezone.now()
        assignment.save(update_fields=["state", "judged_at"])
        record(
            portfolio=assignment.round.portfolio,
            by=by,
            action="judgement_finished",
            round=assignment.round.number,
            assignment=assignment.pk,
            verdicts={key: judgement.verdict for key, judgement in judgements.items()},
        )
    return assignment


# --- interview and advice (AS-4, AS-5, AS-6) ---------------------------------------------------


# --- supplement rounds: resubmission, deadline (workflow.md) -----------------------------------


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
