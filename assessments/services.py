"""Assessment-round transitions (workflow.md, assessment round; AS-2)."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import (
    Advice,
    AdviceOutcome,
    AssessmentRound,
    Assignment,
    AssignmentState,
    Decision,
    DecisionOutcome,
    Interview,
    InterviewNote,
    InterviewState,
    Judgement,
    Registration,
    RoundReason,
    Verdict,
)
from assessments.notifications import certification_coordinators, notify, site_url
from assessments.permissions import (
    DECLARED_STATES,
    can_view_assessment_report,
    declared_assignment,
    is_assessor_of,
)
from assessments.reports import ASSESSMENT_REPORT
from assessments.selectors import held_interview, section_choices
from noloc_portal.accounts.models import Role
from noloc_portal.pdf.models import RenderJob
from noloc_portal.pdf.services import queue_report
from portfolios import registry
from portfolios.evaluation.common import Status, years_before
from portfolios.models import Portfolio, PortfolioState
from portfolios.registry import Criterion, framework_version
from portfolios.services import end_supplement, record, reopenable_sections, request_supplement


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

    Moves the portfolio from submitted to in assessment, records who assigned whom and e-mails
    the assessor after commit. Assigning the same person twice returns the existing assignment.
    Raises AssignmentError for the owner, for someone who declined this portfolio in any round,
    for one assessor more than the framework version asks, and from a wrong state.
    """
    if not by.has_role(Role.CERTIFICATION_COORDINATOR) and not by.is_staff:
        raise AssignmentError(_("Alleen de coördinator certificeren wijst assessoren toe."))
    if not assessor.has_role(Role.ASSESSOR) or not assessor.is_active:
        raise AssignmentError(_("%(name)s is geen assessor.") % {"name": assessor})
    with transaction.atomic():
        portfolio = Portfolio.objects.select_for_update().get(pk=round.portfolio_id)
        if portfolio.owner_id == assessor.pk:
            raise AssignmentError(_("Een assessor beoordeelt nooit het eigen portfolio."))
        if Assignment.objects.filter(
            round__portfolio=portfolio, assessor=assessor, state=AssignmentState.DECLINED
        ).exists():
            raise AssignmentError(
                _(
                    "%(name)s heeft afgezien van dit portfolio en kan niet opnieuw worden "
                    "toegewezen."
                )
                % {"name": assessor}
            )
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
        notify(
            to=[assessor],
            template="assigned",
            context={
                "portfolio": portfolio,
                "round": round,
                "url": site_url("assessments:assigned"),
            },
        )
    return assignment


# --- coordinator: queue, assignment, decision, registration (AS-2, AS-5) ---------------------


class DecisionError(Exception):
    """A decision refused; the message is Dutch."""


# AS-5: a registration runs four years.
REGISTRATION_YEARS = 4


def notify_submitted(*, portfolio, submission, by) -> None:
    """workflow.md: on the first submit the owner gets a confirmation and the certification
    coordinators a portfolio to assign; registered with portfolios.hooks.on_submitted (a
    resubmission goes to the assessors instead)."""
    if submission.number != 1:
        return
    notify(
        to=[portfolio.owner],
        template="submitted_owner",
        context={"portfolio": portfolio, "url": site_url("portfolios:detail", portfolio.pk)},
    )
    notify(
        to=certification_coordinators(),
        template="submitted_coordinator",
        context={
            "portfolio": portfolio,
            "url": site_url("assessments:certification_portfolio", portfolio.pk),
        },
    )


def assign_assessors(*, round: AssessmentRound, assessors: Sequence, by) -> list[Assignment]:
    """Assign several assessors at once (the two of a Loopbaanprofessional round): all of them,
    or none when one is refused (AssignmentError names who)."""
    with transaction.atomic():
        return [assign_assessor(round=round, assessor=person, by=by) for person in assessors]


def registration_dates(*, decided_on: date, previous_end: date | None) -> tuple[date, date]:
    """AS-5: (valid from, valid until) of the registration a positive decision makes.

    Initial: from the decision date to the same date four years on (29 February -> 28 February).
    Recertification (``previous_end`` known): until the previous end plus four years, whenever
    the decision falls; from the day after the previous end, or from the decision date when the
    previous registration had already ended (the gap stays uncovered)."""
    if previous_end is None:
        return decided_on, years_before(decided_on, -REGISTRATION_YEARS)
    valid_until = years_before(previous_end, -REGISTRATION_YEARS)
    if previous_end < decided_on:
        return decided_on, valid_until
    return previous_end + timedelta(days=1), valid_until


def previous_registration(portfolio: Portfolio) -> tuple[Registration | None, date | None]:
    """AS-5: the registration a recertification extends and its end date: the owner's latest
    registration in the framework's register, else the end the portfolio itself states. An
    initial certification extends nothing."""
    framework = registry.get(portfolio.framework)
    if not framework.recertification:
        return None, None
    latest = (
        Registration.objects.filter(owner_id=portfolio.owner_id, register=framework.register_code)
        .order_by("-valid_until", "-pk")
        .first()
    )
    if latest is not None:
        return latest, latest.valid_until
    if framework.previous_registration_end is None:
        return None, None
    return None, framework.previous_registration_end(portfolio)


def decidable_advice(portfolio: Portfolio) -> Advice | None:
    """The advice a decision rests on: the positive or negative advice of the latest round."""
    latest = portfolio.rounds.order_by("-number").first()
    if latest is None:
        return None
    return (
        Advice.objects.filter(
            round=latest, outcome__in=[AdviceOutcome.POSITIVE, AdviceOutcome.NEGATIVE]
        )
        .select_related("round")
        .first()
    )


def record_decision(
    *,
    portfolio: Portfolio,
    by,
    outcome: str,
    decided_on: date,
    notes: str = "",
) -> Decision:
    """AS-5: advised -> decided. The certification coordinator (or staff) records the certifying
    body's decision on the latest round's advice; a positive decision creates the registration
    with the dates of :func:`registration_dates`, a negative one none. The owner is e-mailed
    after commit. A second call (double click) returns the decision already recorded. Raises
    DecisionError from a wrong state, without an advice, or for a date in the future."""
    if not by.has_role(Role.CERTIFICATION_COORDINATOR) and not by.is_staff:
        raise DecisionError(_("Alleen de coördinator certificeren legt een besluit vast."))
    if outcome not in DecisionOutcome.values:
        raise DecisionError(_("Kies een positief of een negatief besluit."))
    if decided_on > timezone.localdate():
        raise DecisionError(_("De datum van het besluit ligt in de toekomst."))
    with transaction.atomic():
        locked = Portfolio.objects.select_for_update().select_related("owner").get(pk=portfolio.pk)
        existing = Decision.objects.filter(portfolio=locked).first()
        if existing is not None:
            return existing
        if locked.state != PortfolioState.ADVISED:
            raise DecisionError(
                _("Dit portfolio is %(state)s: een besluit volgt pas op een advies.")
                % {"state": locked.get_state_display().lower()}
            )
        advice = decidable_advice(locked)
        if advice is None:
            raise DecisionError(
                _("De laatste beoordelingsronde heeft geen positief of negatief advies.")
            )
        if decided_on < timezone.localdate(advice.advised_at):
            raise DecisionError(_("Het besluit kan niet vallen vóór de datum van het advies."))
        decision = Decision.objects.create(
            portfolio=locked,
            advice=advice,
            outcome=outcome,
            decided_on=decided_on,
            notes=notes,
            decided_by=by,
        )
        registration = None
        if outcome == DecisionOutcome.POSITIVE:
            registration = _register(portfolio=locked, decision=decision)
        locked.state = PortfolioState.DECIDED
        locked.save(update_fields=["state", "updated_at"])
        detail = {"outcome": outcome, "decided_on": decided_on.isoformat()}
        if registration is not None:
            detail["valid_from"] = registration.valid_from.isoformat()
            detail["valid_until"] = registration.valid_until.isoformat()
        record(portfolio=locked, by=by, action="decided", **detail)
        notify(
            to=[locked.owner],
            template="decided",
            context={
                "portfolio": locked,
                "decision": decision,
                "registration": registration,
                "register": registry.get(locked.framework).register_label,
                "url": site_url("portfolios:detail", locked.pk),
            },
        )
    return decision


def _register(*, portfolio: Portfolio, decision: Decision) -> Registration:
    """AS-5: the registration of a positive decision, extending the previous one if any."""
    previous, previous_end = previous_registration(portfolio)
    valid_from, valid_until = registration_dates(
        decided_on=decision.decided_on, previous_end=previous_end
    )
    if previous is not None and Registration.objects.filter(previous=previous).exists():
        # Already extended once (entered by hand): the dates follow it, the chain does not.
        previous = None
    return Registration.objects.create(
        owner=portfolio.owner,
        register=registry.get(portfolio.framework).register_code,
        valid_from=valid_from,
        valid_until=valid_until,
        decision=decision,
        previous=previous,
    )


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
                "url": site_url("assessments:certification_portfolio", portfolio.pk),
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


# AS-5: the longest a professional is given to supplement a portfolio, in months from the advice.
SUPPLEMENT_MONTHS = 3


class InterviewError(Exception):
    """An interview transition refused; the message is Dutch. ``field`` names the form field the
    message belongs next to (None: the page as a whole)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class AdviceError(Exception):
    """An advice refused; the message is Dutch. ``field`` names the form field the message
    belongs next to (None: the page as a whole)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def months_later(day: date, months: int) -> date:
    """The same calendar day ``months`` later (the last day of a shorter month)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_supplement_deadline(as_of: date) -> date:
    return months_later(as_of, SUPPLEMENT_MONTHS)


def _is_current_round(round: AssessmentRound) -> bool:
    latest = round.portfolio.rounds.order_by("-number").values_list("pk", flat=True).first()
    return latest == round.pk


def _interview_needed(round: AssessmentRound) -> bool:
    portfolio = round.portfolio
    return framework_version(portfolio.framework, version=portfolio.framework_version).interview


def advice_refusal(*, round: AssessmentRound, by) -> str | None:
    """Why ``by`` cannot record the advice of ``round`` now (Dutch), or None when they can.

    AS-5: an assessor of the round whose own assignment is judged; AS-4: for a
    Loopbaanprofessional round both assignments are judged and the interview was held; the
    portfolio is in assessment and this is its current round. The page asks the same question
    before it offers the form, the service again inside the lock."""
    mine = declared_assignment(by, round)
    if mine is None:
        return _("Alleen een assessor van deze beoordelingsronde brengt het advies uit.")
    if mine.state != AssignmentState.JUDGED:
        return _("Rond eerst je beoordeling per criterium af; daarna breng je het advies uit.")
    portfolio = round.portfolio
    needed = framework_version(portfolio.framework, version=portfolio.framework_version)
    active = list(round.assignments.exclude(state=AssignmentState.DECLINED))
    if len(active) < needed.assessor_count or any(
        assignment.state != AssignmentState.JUDGED for assignment in active
    ):
        return _(
            "Het advies is gezamenlijk: het volgt als beide assessoren hun beoordeling hebben "
            "afgerond."
        )
    if needed.interview and held_interview(round) is None:
        return _("Het advies volgt op het toetsingsgesprek: leg eerst het verslag daarvan vast.")
    if portfolio.state != PortfolioState.IN_ASSESSMENT or not _is_current_round(round):
        return _("Dit portfolio wacht niet op een advies van deze beoordelingsronde.")
    return None


def _same_advice(advice: Advice, **values) -> bool:
    return (
        advice.outcome == values["outcome"]
        and advice.motivation == values["motivation"]
        and advice.development_advice == values["development_advice"]
        and set(advice.supplement_sections) == set(values["supplement_sections"])
        and advice.supplement_deadline == values["supplement_deadline"]
    )


def _check_advice_input(
    *,
    portfolio: Portfolio,
    outcome: str,
    motivation: str,
    development_advice: str,
    supplement_sections: Sequence[str],
    supplement_deadline: date | None,
    as_of: date,
) -> None:
    if outcome not in AdviceOutcome.values:
        raise AdviceError(_("Kies een advies."), field="outcome")
    if not motivation.strip():
        raise AdviceError(_("Onderbouw het advies."), field="motivation")
    if outcome != AdviceOutcome.SUPPLEMENT:
        # AS-6: the development advice goes to the professional with the decision.
        if not development_advice.strip():
            raise AdviceError(
                _("Geef de professional een ontwikkeladvies mee."), field="development_advice"
            )
        return
    if supplement_deadline is None:
        raise AdviceError(
            _("Vul de uiterste datum voor de aanvulling in."), field="supplement_deadline"
        )
    if supplement_deadline <= as_of:
        raise AdviceError(
            _("De uiterste datum voor de aanvulling ligt na vandaag."),
            field="supplement_deadline",
        )
    latest = latest_supplement_deadline(as_of)
    if supplement_deadline > latest:
        raise AdviceError(
            _("Geef de professional hoogstens %(months)d maanden: uiterlijk %(date)s.")
            % {
                "months": SUPPLEMENT_MONTHS,
                "date": formats.date_format(latest, "j F Y"),
            },
            field="supplement_deadline",
        )
    reopenable = reopenable_sections(portfolio)
    if not supplement_sections or set(supplement_sections) - set(reopenable):
        raise AdviceError(
            _("Kies een of meer onderdelen die de professional mag aanvullen."),
            field="supplement_sections",
        )


def record_advice(
    *,
    round: AssessmentRound,
    by,
    outcome: str,
    motivation: str,
    development_advice: str,
    supplement_sections: Sequence[str] = (),
    supplement_deadline: date | None = None,
    as_of: date | None = None,
) -> Advice:
    """AS-5, AS-6: the certification advice of a round, recorded once.

    Jobcoach: by the one assessor once judged. Loopbaanprofessional (AS-4): joint, recorded by
    either assessor once both judged and the interview was held. Positive or negative: the
    portfolio becomes advised and the certification coordinators are told. Supplement: the named
    sections reopen for the owner until the deadline (at most SUPPLEMENT_MONTHS ahead) and the
    owner is told what is asked. A second attempt with the same advice (double click, the other
    assessor at the same moment) returns the advice already recorded; a different one is
    refused. Raises AdviceError (with the field it concerns) otherwise.
    """
    as_of = as_of or timezone.localdate()
    motivation, development_advice = motivation.strip(), development_advice.strip()
    if outcome != AdviceOutcome.SUPPLEMENT:
        supplement_sections, supplement_deadline = (), None
    values = {
        "outcome": outcome,
        "motivation": motivation,
        "development_advice": development_advice,
        "supplement_sections": list(dict.fromkeys(supplement_sections)),
        "supplement_deadline": supplement_deadline,
    }
    with transaction.atomic():
        portfolio = Portfolio.objects.select_for_update().get(pk=round.portfolio_id)
        round = AssessmentRound.objects.get(pk=round.pk)
        round.portfolio = portfolio
        existing = Advice.objects.filter(round=round).select_related("advised_by").first()
        if existing is not None and declared_assignment(by, round) is not None:
            if _same_advice(existing, **values):
                return existing
            raise AdviceError(
                _("Het advies is al vastgelegd door %(name)s op %(date)s.")
                % {
                    "name": existing.advised_by,
                    "date": formats.date_format(timezone.localtime(existing.advised_at), "j F Y"),
                }
            )
        refusal = advice_refusal(round=round, by=by)
        if refusal is not None:
            raise AdviceError(refusal)
        _check_advice_input(portfolio=portfolio, as_of=as_of, **values)
        advice = Advice.objects.create(round=round, advised_by=by, **values)
        if outcome == AdviceOutcome.SUPPLEMENT:
            request_supplement(portfolio=portfolio, by=by, sections=values["supplement_sections"])
        else:
            portfolio.state = PortfolioState.ADVISED
            portfolio.save(update_fields=["state", "updated_at"])
        record(
            portfolio=portfolio,
            by=by,
            action="advised",
            round=round.number,
            outcome=outcome,
            **(
                {
                    "sections": values["supplement_sections"],
                    "deadline": supplement_deadline.isoformat(),
                }
                if outcome == AdviceOutcome.SUPPLEMENT
                else {}
            ),
        )
        _notify_advice(advice=advice, portfolio=portfolio)
        # AS-7: the assessment report of this round, rendered in the background.
        queue_assessment_report(round=round, by=by)
    return advice


def _notify_advice(*, advice: Advice, portfolio: Portfolio) -> None:
    context = {
        "portfolio": portfolio,
        "advice": advice,
        "url": site_url("portfolios:detail", portfolio.pk),
    }
    if advice.outcome == AdviceOutcome.SUPPLEMENT:
        titles = dict(section_choices(portfolio))
        notify(
            to=[portfolio.owner],
            template="supplement_requested",
            context={
                **context,
                "sections": [titles.get(key, key) for key in advice.supplement_sections],
            },
        )
    else:
        notify(to=certification_coordinators(), template="advised", context=context)


def _check_interview_input(
    *, starts_at: datetime | None, location: str, online_link: str, now: datetime
) -> None:
    if starts_at is None:
        raise InterviewError(_("Vul de datum en tijd van het gesprek in."), field="starts_at")
    if starts_at <= now:
        raise InterviewError(
            _("Het gesprek wordt gepland na dit moment; kies een latere datum en tijd."),
            field="starts_at",
        )
    if not location and not online_link:
        raise InterviewError(
            _("Vul een plaats in of een link voor een online gesprek."), field="location"
        )
    if len(location) > Interview._meta.get_field("location").max_length:
        raise InterviewError(_("De plaats is te lang."), field="location")
    if online_link:
        try:
            URLValidator(schemes=["https", "http"])(online_link)
        except ValidationError:
            raise InterviewError(
                _("Vul een volledige link in, die begint met https://."), field="online_link"
            ) from None
        if len(online_link) > Interview._meta.get_field("online_link").max_length:
            raise InterviewError(_("De link is te lang."), field="online_link")


def schedule_interview(
    *,
    round: AssessmentRound,
    by,
    starts_at: datetime | None,
    location: str = "",
    online_link: str = "",
    now: datetime | None = None,
) -> Interview:
    """AS-4: an assessor of a Loopbaanprofessional round plans the certification interview
    (date and time, a place or an online link); the candidate and the other assessor are told.

    Planning again before it was held moves it (and tells them again); the same plan twice
    (double click) changes nothing. Raises InterviewError (with the field it concerns)."""
    now = now or timezone.now()
    location, online_link = location.strip(), online_link.strip()
    with transaction.atomic():
        portfolio = Portfolio.objects.select_for_update().get(pk=round.portfolio_id)
        round = AssessmentRound.objects.get(pk=round.pk)
        round.portfolio = portfolio
        if declared_assignment(by, round) is None:
            raise InterviewError(
                _("Alleen een assessor van deze beoordelingsronde plant het toetsingsgesprek.")
            )
        if not _interview_needed(round):
            raise InterviewError(_("Bij de beoordeling van dit portfolio hoort geen gesprek."))
        interview = Interview.objects.filter(round=round).first()
        if interview is not None and interview.state == InterviewState.HELD:
            raise InterviewError(_("Het toetsingsgesprek is al gehouden."))
        if (
            interview is not None
            and interview.starts_at == starts_at
            and interview.location == location
            and interview.online_link == online_link
        ):
            return interview
        if portfolio.state != PortfolioState.IN_ASSESSMENT or not _is_current_round(round):
            raise InterviewError(_("Dit portfolio is niet meer in beoordeling in deze ronde."))
        _check_interview_input(
            starts_at=starts_at, location=location, online_link=online_link, now=now
        )
        rescheduled = interview is not None
        if interview is None:
            interview = Interview(round=round)
        interview.starts_at = starts_at
        interview.location = location
        interview.online_link = online_link
        interview.scheduled_by = by
        interview.save()
        record(
            portfolio=portfolio,
            by=by,
            action="interview_rescheduled" if rescheduled else "interview_scheduled",
            round=round.number,
            starts_at=starts_at.isoformat(),
        )
        context = {
            "portfolio": portfolio,
            "interview": interview,
            "rescheduled": rescheduled,
            "scheduled_by": by,
        }
        notify(
            to=[portfolio.owner],
            template="interview_scheduled",
            context={**context, "url": site_url("portfolios:detail", portfolio.pk)},
        )
        others = [
            assignment.assessor
            for assignment in round.assignments.exclude(state=AssignmentState.DECLINED)
            .exclude(assessor=by)
            .select_related("assessor")
        ]
        notify(
            to=others,
            template="interview_scheduled_assessor",
            context={**context, "url": site_url("assessments:interview", round.pk)},
        )
    return interview


def record_interview(
    *,
    interview: Interview,
    by,
    held_on: date | None,
    notes: str,
    criterion_notes: Mapping[str, str],
    as_of: date | None = None,
) -> Interview:
    """AS-4: an assessor of the round records the interview as held, with general notes and
    notes per criterion of the framework version (empty ones are left out).

    The same record twice (double click) returns it; a record already made is not replaced.
    Raises InterviewError (with the field it concerns)."""
    as_of = as_of or timezone.localdate()
    notes = notes.strip()
    kept = {key: text.strip() for key, text in criterion_notes.items() if text and text.strip()}
    with transaction.atomic():
        portfolio = Portfolio.objects.select_for_update().get(pk=interview.round.portfolio_id)
        interview = Interview.objects.select_related("round__portfolio", "recorded_by").get(
            pk=interview.pk
        )
        round = interview.round
        if declared_assignment(by, round) is None:
            raise InterviewError(
                _("Alleen een assessor van deze beoordelingsronde legt het gesprek vast.")
            )
        if interview.state == InterviewState.HELD:
            stored = dict(interview.criterion_notes.values_list("criterion", "notes"))
            if interview.held_on == held_on and interview.notes == notes and stored == kept:
                return interview
            raise InterviewError(
                _("Het verslag van het toetsingsgesprek is al vastgelegd door %(name)s.")
                % {"name": interview.recorded_by}
            )
        if portfolio.state != PortfolioState.IN_ASSESSMENT or not _is_current_round(round):
            raise InterviewError(_("Dit portfolio is niet meer in beoordeling in deze ronde."))
        if held_on is None:
            raise InterviewError(_("Vul de datum van het gesprek in."), field="held_on")
        if held_on > as_of:
            raise InterviewError(
                _("Een gesprek dat nog moet plaatsvinden leg je nog niet vast."), field="held_on"
            )
        if not notes:
            raise InterviewError(_("Vat het gesprek kort samen."), field="notes")
        version = framework_version(portfolio.framework, version=portfolio.framework_version)
        known = {criterion.key for criterion in version.criteria}
        unknown = set(kept) - known
        if unknown:
            raise InterviewError(
                _("Onbekend criterium: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
            )
        interview.state = InterviewState.HELD
        interview.held_on = held_on
        interview.notes = notes
        interview.recorded_by = by
        interview.save(update_fields=["state", "held_on", "notes", "recorded_by"])
        InterviewNote.objects.bulk_create(
            InterviewNote(interview=interview, criterion=criterion.key, notes=kept[criterion.key])
            for criterion in version.criteria
            if criterion.key in kept
        )
        record(
            portfolio=portfolio,
            by=by,
            action="interview_recorded",
            round=round.number,
            held_on=held_on.isoformat(),
        )
    return interview


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
