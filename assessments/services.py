"""Assessment-round transitions (workflow.md, assessment round; AS-2)."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Advice,
    AdviceOutcome,
    AssessmentRound,
    Assignment,
    AssignmentState,
    Interview,
    InterviewNote,
    InterviewState,
    RoundReason,
)
from assessments.notifications import certification_coordinators, notify, site_url
from assessments.permissions import declared_assignment
from assessments.selectors import held_interview, section_choices
from noloc_portal.accounts.models import Role
from portfolios.models import Portfolio, PortfolioState
from portfolios.registry import framework_version
from portfolios.services import record, reopenable_sections, request_supplement


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


# --- reports and reminders (AS-7) --------------------------------------------------------------
