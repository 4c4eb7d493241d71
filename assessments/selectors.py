from dataclasses import dataclass

from assessments.models import Assignment, AssignmentState, Interview, InterviewState, Judgement
from portfolios.models import Portfolio, PortfolioState
from portfolios.registry import framework_version
from portfolios.services import reopenable_sections


def assignments_of(user):
    return (
        Assignment.objects.filter(assessor=user)
        .exclude(state=AssignmentState.DECLINED)
        .select_related("round__portfolio__owner")
        .order_by("-assigned_at")
    )


def portfolios_for_certification():
    """Every portfolio past the draft stage, with its rounds and assessors."""
    return (
        Portfolio.objects.exclude(state__in=[PortfolioState.DRAFT, PortfolioState.WITHDRAWN])
        .select_related("owner")
        .prefetch_related("rounds__assignments__assessor")
        .order_by("submitted_at")
    )


# --- interview and advice (AS-4, AS-5, AS-6) ---------------------------------------------------


def section_choices(portfolio) -> list[tuple[str, str]]:
    """The sections a supplement request may reopen (portfolios.services.reopenable_sections),
    each named after the criteria that judge it: "A1 Werkzaam als uitvoerend jobcoach", or for a
    section several criteria judge, their groups ("C.1 … C.4: Kerntaken (C.1); …")."""
    version = framework_version(portfolio.framework, version=portfolio.framework_version)
    by_section: dict[str, list] = {}
    for criterion in version.criteria:
        by_section.setdefault(criterion.section, []).append(criterion)
    choices = []
    for key in reopenable_sections(portfolio):
        criteria = by_section.get(key, [])
        if len(criteria) == 1:
            label = f"{criteria[0].code} {criteria[0].title}"
        elif criteria:
            groups = "; ".join(dict.fromkeys(c.group or c.title for c in criteria))
            first, last = criteria[0].code.split()[0], criteria[-1].code.split()[0]
            label = f"{first} … {last}: {groups}"
        else:
            label = key
        choices.append((key, label))
    return choices


def active_assignments(round) -> list[Assignment]:
    """The round's assignments that were not declined, with their assessors, oldest first."""
    return list(
        round.assignments.exclude(state=AssignmentState.DECLINED)
        .select_related("assessor")
        .order_by("assigned_at", "pk")
    )


def all_judged(round, assignments: list[Assignment] | None = None) -> bool:
    """Every assessor the framework version asks for has finished judging this round."""
    portfolio = round.portfolio
    needed = framework_version(portfolio.framework, version=portfolio.framework_version)
    assignments = active_assignments(round) if assignments is None else assignments
    return len(assignments) >= needed.assessor_count and all(
        assignment.state == AssignmentState.JUDGED for assignment in assignments
    )


@dataclass(frozen=True)
class Opinion:
    assessor: object
    verdict: str
    verdict_label: str
    explanation: str


@dataclass(frozen=True)
class CriterionRow:
    criterion: object
    opinions: tuple[Opinion, ...]
    interview_notes: str

    @property
    def differs(self) -> bool:
        """The assessors' verdicts on this criterion are not the same."""
        return len({opinion.verdict for opinion in self.opinions}) > 1


def held_interview(round) -> Interview | None:
    """AS-4: the certification interview the advice of this round rests on: the one held in this
    round, else one held in an earlier round of the portfolio (a supplement asked after the
    interview does not call for a second one)."""
    return (
        Interview.objects.filter(
            round__portfolio_id=round.portfolio_id,
            round__number__lte=round.number,
            state=InterviewState.HELD,
        )
        .select_related("round", "recorded_by")
        .order_by("-round__number")
        .first()
    )


def judgements_side_by_side(*, round, viewer) -> tuple[list[Assignment], list[CriterionRow]]:
    """Per criterion of the framework version, the verdict and explanation of each assessor
    whose judgements ``viewer`` may see, and the interview notes once recorded.

    AS-4 independence: until every assignment of the round is judged, an assessor sees only
    their own judgements; the other's are not even read."""
    portfolio = round.portfolio
    version = framework_version(portfolio.framework, version=portfolio.framework_version)
    assignments = active_assignments(round)
    if not all_judged(round, assignments):
        assignments = [a for a in assignments if a.assessor_id == viewer.pk]
    judgements = {
        (judgement.assignment_id, judgement.criterion): judgement
        for judgement in Judgement.objects.filter(assignment__in=assignments)
    }
    notes: dict[str, str] = {}
    interview = held_interview(round)
    if interview is not None:
        notes = dict(interview.criterion_notes.values_list("criterion", "notes"))
    rows = []
    for criterion in version.criteria:
        opinions = []
        for assignment in assignments:
            judgement = judgements.get((assignment.pk, criterion.key))
            opinions.append(
                Opinion(
                    assessor=assignment.assessor,
                    verdict=judgement.verdict if judgement else "",
                    verdict_label=judgement.get_verdict_display() if judgement else "",
                    explanation=judgement.explanation if judgement else "",
                )
            )
        rows.append(CriterionRow(criterion, tuple(opinions), notes.get(criterion.key, "")))
    return assignments, rows
