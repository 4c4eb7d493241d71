"""Read queries of the assessment pages (style.md §1): each list costs the same number of queries
for any number of rows; counts over joins are correlated subqueries (style.md §5)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, JSONArray, NullIf

from assessments.models import (
    AssessmentRound,
    Assignment,
    AssignmentState,
    Interview,
    InterviewState,
    Judgement,
)
from kwaliteitskringen.models import CURRENT_STATES, Circle, Membership
from noloc_portal.accounts.models import Role, RoleGrant, User
from noloc_portal.choices import display_labels
from noloc_portal.database.expressions import InArray, JSONRows
from noloc_portal.documents.models import Document
from noloc_portal.lists import RowUrl
from noloc_portal.prepared import Pageable, PreparedQuery
from portfolios import registry
from portfolios.checklist import STATUS_LABELS
from portfolios.evaluation.common import DocumentError, Status
from portfolios.exchange.document import parse_document
from portfolios.models import (
    AuditEvent,
    Portfolio,
    PortfolioState,
)
from portfolios.registry import Criterion, framework_version
from portfolios.services import reopenable_sections


def assignments_of(user: User | int) -> QuerySet[Assignment]:
    """The assessor's own assignments (declined ones left out): what waits for them first."""
    return (
        Assignment.objects.filter(assessor=user)
        .exclude(state=AssignmentState.DECLINED)
        .select_related("round__portfolio__owner")
        .annotate(
            urgency=Case(
                When(state=AssignmentState.PENDING_DECLARATION, then=Value(0)),
                When(state=AssignmentState.JUDGING, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency", "-assigned_at", "-pk")
    )


class ListedAssignment(NamedTuple):
    """What the assessor's list shows of one of :func:`assignments_of`, and all its HTML is made
    from (with the language and the time zone, the key that HTML is kept under): read as
    values, since a page of model instances took four per row (with each portfolio's reopened
    sections decoded) to show seven values."""

    pk: int
    state: str
    assigned_at: datetime
    judged_at: datetime | None
    round_number: int
    framework: str
    owner: str  # as ``str(user)`` names them: their name, else their e-mail address

    @classmethod
    def of(cls, row: tuple) -> ListedAssignment:
        pk, state, assigned_at, judged_at, number, framework, full_name, email = row
        return cls(pk, state, assigned_at, judged_at, number, framework, full_name or email)


# Every visit of the assessor's list reads a page of it: compiled once per process.
_ASSIGNMENTS_OF = PreparedQuery(
    lambda user: assignments_of(user).values_list(
        "pk",
        "state",
        "assigned_at",
        "judged_at",
        "round__number",
        "round__portfolio__framework",
        "round__portfolio__owner__full_name",
        "round__portfolio__owner__email",
    ),
    user=int,
)


# What counts them: the assignments alone, without the rounds and owners the values join.
_ASSIGNMENTS_COUNTED = PreparedQuery(assignments_of, user=int)


def assigned_rows(user: User) -> Pageable:
    """:func:`assignments_of` for a paginator, as the values of :class:`ListedAssignment` (a
    tuple per row), counted and sliced in SQL compiled once."""
    return Pageable(_ASSIGNMENTS_OF, {"user": user.pk}, counted=_ASSIGNMENTS_COUNTED)


# The certification coordinator's queue: what waits on the coordinator, an assessor or the owner.
OPEN_STATES = (
    PortfolioState.SUBMITTED,
    PortfolioState.IN_ASSESSMENT,
    PortfolioState.SUPPLEMENT_REQUESTED,
    PortfolioState.ADVISED,
)
# Assignments an assessor still has to act on (their open workload).
OPEN_ASSIGNMENT_STATES = (AssignmentState.PENDING_DECLARATION, AssignmentState.JUDGING)


def certification_queue(
    *,
    states: tuple[str, ...] = OPEN_STATES,
    framework: str = "",
    waiting_longer_than: int | None = None,
    assessor: User | int | None = None,
    now: datetime,
) -> QuerySet[Portfolio]:
    """Portfolios in ``states``, longest waiting first (``waiting_since``: the last transition,
    else the submission) and joined with its owner; :func:`queue_for_page` reads a page of them
    as values, :func:`queue_rows` the rounds of that page."""
    queryset = _queue(states=states, framework=framework, assessor=assessor)
    return _waiting(queryset, waiting_longer_than, now).select_related("owner")


def _waiting(queryset: QuerySet, waiting_longer_than: int | None, now: datetime) -> QuerySet:
    if waiting_longer_than is None:
        return queryset
    # "Longer than N days" as the queue shows days: N + 1 whole days or more.
    return queryset.filter(waiting_since__lte=now - timedelta(days=waiting_longer_than + 1))


def _in_queue(
    *, states: tuple[str, ...], framework: str, assessor: User | int | None
) -> QuerySet[Portfolio]:
    """The portfolios the queue's filters let through, unordered: what the queue counts."""
    queryset = Portfolio.objects.filter(state__in=states)
    if framework:
        queryset = queryset.filter(framework=framework)
    if assessor is not None:
        queryset = queryset.filter(
            Exists(
                Assignment.objects.filter(
                    round__portfolio=OuterRef("pk"), assessor=assessor
                ).exclude(state=AssignmentState.DECLINED)
            )
        )
    return queryset


def _queue(
    *, states: tuple[str, ...], framework: str, assessor: User | int | None
) -> QuerySet[Portfolio]:
    # The order is an index's (portfolio_waiting_order): a page is read without the rest.
    return _in_queue(states=states, framework=framework, assessor=assessor).order_by(
        F("waiting_since").asc(nulls_last=True), "pk"
    )


# The filters of the queue a prepared query takes, by the name of its value.
_QUEUE_VALUES = {"state": str, "framework": str, "assessor": int}


def _queue_filters(state: str = "", framework: str = "", assessor: int | None = None) -> dict:
    return {
        "states": (state,) if state else OPEN_STATES,
        "framework": framework,
        "assessor": assessor,
    }


# The queue per combination of the filters in use (at most eight), compiled once per process
# when first asked for: its rows as values, and its portfolios alone to count them (the owners
# the rows join count nothing; joined, PostgreSQL read every owner to count 1,000 portfolios:
# 0.7 ms against 0.1).
_PREPARED_QUEUES: dict[frozenset[str], tuple[PreparedQuery, PreparedQuery]] = {}


def _prepared_queue(used: frozenset[str]) -> tuple[PreparedQuery, PreparedQuery]:
    prepared = _PREPARED_QUEUES.get(used)
    if prepared is None:
        kinds = {name: _QUEUE_VALUES[name] for name in used}
        prepared = _PREPARED_QUEUES[used] = (
            PreparedQuery(
                lambda **values: _queued(_queue(**_queue_filters(**values))),
                **kinds,
            ),
            PreparedQuery(lambda **values: _in_queue(**_queue_filters(**values)), **kinds),
        )
    return prepared


class _QueueValues:
    """A filtered queue for a paginator: counted over the portfolios alone, read as values."""

    def __init__(self, portfolios: QuerySet[Portfolio]):
        self.portfolios = portfolios

    def count(self) -> int:
        return self.portfolios.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[tuple]:
        return list(_queued(self.portfolios)[index])


def queue_for_page(
    *,
    states: tuple[str, ...] = OPEN_STATES,
    framework: str = "",
    waiting_longer_than: int | None = None,
    assessor: User | int | None = None,
    now: datetime,
) -> Pageable | _QueueValues:
    """:func:`certification_queue` for a paginator, each portfolio as the values of
    ``QUEUED_VALUES`` (what :func:`queue_rows` takes). Without a filter on the waiting time (a
    moment, which a prepared query does not take) its SQL is compiled once per process."""
    if waiting_longer_than is not None or (len(states) != 1 and states != OPEN_STATES):
        queryset = _queue(states=states, framework=framework, assessor=assessor)
        return _QueueValues(_waiting(queryset, waiting_longer_than, now))
    values: dict[str, Any] = {}
    if states != OPEN_STATES:
        values["state"] = states[0]
    if framework:
        values["framework"] = framework
    if assessor is not None:
        values["assessor"] = assessor if isinstance(assessor, int) else assessor.pk
    rows, counted = _prepared_queue(frozenset(values))
    return Pageable(rows, rows._checked(values), counted=counted)


# A page of the queue holds at most QUEUE_PAGE_SIZE portfolios.
QUEUE_PAGE_SIZE = 25


class QueueRow(NamedTuple):
    """One portfolio of the certification queue as the coordinator reads it: all its row shows
    and all its HTML is made from (with the language and the time zone, the key that HTML is
    kept under: ``assessment_lists.queue_rows``), plain values only."""

    pk: int
    url: str  # the coordinator's page of the portfolio
    owner: str  # as ``str(user)`` names them: their name, else their e-mail address
    framework_label: str
    round_number: int | None  # of the current round; None before the first
    state_label: str
    waiting_days: int | None
    waiting_since: datetime | None  # None when waiting_days is
    assignments: tuple[tuple[int, str, str], ...]  # (assessor id, name, state), not declined
    declined: tuple[tuple[int, str], ...]  # (assessor id, name)
    needs_assessor: bool  # the current round still needs an assessor (open_places)
    state: str
    advice_outcome: str | None  # the current round's advice
    supplement_deadline: date | None


def _newest_round(value: str, portfolio=None) -> Subquery:
    """A value of the portfolio's newest round, or of that round's advice (NULL without one):
    the last entry of the index of its round numbers."""
    rounds = AssessmentRound.objects.filter(portfolio=portfolio or OuterRef("pk"))
    return Subquery(rounds.order_by("-number").values(value)[:1])


def _queued(portfolios: QuerySet[Portfolio]) -> QuerySet:
    """The portfolios as the values of ``QUEUED_VALUES``, each with its current round, that
    round's advice and its assignments in the same row: correlated subqueries on the rows of
    the page alone, where a query of its own read every round and assignment to join them."""
    assignments = (
        Assignment.objects.filter(round=_newest_round("pk", OuterRef(OuterRef("pk"))))
        .values("round")
        .annotate(
            made=JSONRows(
                JSONArray(
                    "pk",
                    "assessor_id",
                    Coalesce(
                        NullIf("assessor__full_name", Value("")),
                        "assessor__email",
                        output_field=CharField(),
                    ),
                    "state",
                )
            )
        )
        .values("made")
    )
    return portfolios.annotate(
        listed_assessors=_listed_assessors(),
        round_number=_newest_round("number"),
        advice_outcome=_newest_round("advice__outcome"),
        supplement_deadline=_newest_round("advice__supplement_deadline"),
        assignments_made=Subquery(assignments),
    ).values_list(*QUEUED_VALUES)


def _listed_assessors() -> Subquery:
    """Every one of :func:`assessors` as ``[id, full name, e-mail address]``, in one JSON text
    in no particular order: the queue's filter is kept under it (``views._unfiltered_filters``),
    so that a visit that filters nothing reads the assessors with the page (worked out once per
    query, an InitPlan), not in a query of its own."""
    listed = (
        assessors()
        .order_by()
        .annotate(everyone=Value(1))
        .values("everyone")
        .annotate(listed=JSONRows(JSONArray("pk", "full_name", "email")))
        .values("listed")
    )
    return Subquery(listed)


def listed_assessors(values: list[tuple]) -> str | None:
    """The assessors a page of :func:`queue_for_page` was read with (``_listed_assessors``);
    None for a page without rows."""
    return values[0][_LISTED] if values else None


def same_assessors(listed: str | None, choices: list[tuple[int, str]]) -> bool:
    """Whether the JSON text of ``_listed_assessors`` lists the assessors of ``choices`` (as
    :func:`assessor_choices` gives them)."""
    if listed is None:
        return not choices
    named = {(pk, full_name or email) for pk, full_name, email in json.loads(listed)}
    return len(named) == len(choices) and named == set(choices)


def _assignments(made: str | None) -> list[tuple[int, str, str]]:
    """(assessor id, name, state) of a round's assignments (``_queued``'s JSON), in the order
    they were made."""
    if made is None:
        return []
    return [(assessor, name, state) for _, assessor, name, state in sorted(json.loads(made))]


# What a page of the queue reads of each portfolio and its owner, in the order queue_rows takes
# them; the rest is left in the database.
QUEUED_VALUES = (
    "pk",
    "framework",
    "framework_version",
    "state",
    "waiting_since",
    "owner__full_name",
    "owner__email",
    "round_number",
    "advice_outcome",
    "supplement_deadline",
    "assignments_made",
    "listed_assessors",
)
_LISTED = QUEUED_VALUES.index("listed_assessors")
# The states in which a round still takes assessors (open_places).
_ASSIGNING = frozenset({PortfolioState.SUBMITTED, PortfolioState.IN_ASSESSMENT})


def queue_rows(portfolios: list[tuple], *, now: datetime) -> list[QueueRow]:
    """The rows of a page of :func:`queue_for_page` (each portfolio as the values of
    ``QUEUED_VALUES``, which hold its current round, that round's advice and assignments):
    no query, nothing built but the rows."""
    if not portfolios:
        return []
    if len(portfolios) > QUEUE_PAGE_SIZE:
        raise ValueError(f"a page of the queue holds at most {QUEUE_PAGE_SIZE} portfolios")
    url = RowUrl("assessments:certification_portfolio")
    # What get_framework_display and get_state_display give, looked up once per page.
    frameworks = display_labels(Portfolio, "framework")
    states = display_labels(Portfolio, "state")
    needed: dict[tuple[str, str], int] = {}  # assessor_count by framework and version
    declined_state = AssignmentState.DECLINED
    rows = []
    for values in portfolios:
        pk, framework, version, state, since, full_name, email = values[:7]
        number, outcome, deadline, made = values[7:11]
        of_round = _assignments(made)
        active = tuple(a for a in of_round if a[2] != declined_state)
        declined = tuple((a[0], a[1]) for a in of_round if a[2] == declined_state)
        needs_assessor = False
        if number is not None and state in _ASSIGNING:
            count = needed.get((framework, version))
            if count is None:
                count = needed[framework, version] = _assessor_count(framework, version)
            needs_assessor = count > len(active)
        waiting_days = None if since is None else max((now - since).days, 0)
        rows.append(
            QueueRow(
                pk,
                url(pk),
                full_name or email,
                frameworks.get(framework, framework),
                number,
                states.get(state, state),
                waiting_days,
                since,
                active,
                declined,
                needs_assessor,
                state,
                outcome,
                deadline,
            )
        )
    return rows


def assessors() -> QuerySet[User]:
    """Every active assessor, by name."""
    return User.objects.filter(
        InArray("pk", RoleGrant.objects.filter(role=Role.ASSESSOR).values("user_id")),
        is_active=True,
    ).order_by("full_name", "email")


_ASSESSOR_NAMES = PreparedQuery(lambda: assessors().values_list("pk", "full_name", "email"))


def assessor_choices() -> list[tuple[int, str]]:
    """``(id, name)`` of each of :func:`assessors`, named as ``str(user)`` names them, from SQL
    compiled once per process (the queue's filter)."""
    return [(pk, full_name or email) for pk, full_name, email in _ASSESSOR_NAMES()]


@dataclass(frozen=True)
class Candidate:
    """An assessor as the assignment page shows them for one portfolio."""

    assessor: User
    open_workload: int
    conflict: bool  # likely conflict of interest: same quality circle as the owner
    declined: bool  # declined this portfolio in some round: refused
    assigned: bool  # already assigned to the current round
    is_owner: bool  # refused: never their own portfolio

    @property
    def refused(self) -> bool:
        return self.declined or self.is_owner

    @property
    def eligible(self) -> bool:
        return not (self.refused or self.assigned)


def owner_circles(owner_id: int, *, year: int) -> QuerySet[Circle]:
    """The quality circles the owner takes part in this year or coordinates."""
    return Circle.objects.filter(
        Q(coordinator_id=owner_id)
        | Q(
            pk__in=Membership.objects.filter(
                member_id=owner_id, year=year, state__in=CURRENT_STATES
            ).values("circle_id")
        )
    )


def candidate_assessors(portfolio: Portfolio, *, round: AssessmentRound | None, as_of: date):
    """AS-2: every active assessor with their open workload (assignments pending declaration or
    judging), whether they share a quality circle with the owner (a likely conflict of interest,
    warned about), declined this portfolio before or are its owner (refused); lowest workload
    first. One query for any number of assessors."""
    workload = (
        Assignment.objects.filter(assessor=OuterRef("pk"), state__in=OPEN_ASSIGNMENT_STATES)
        .order_by()
        .values("assessor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    circles = owner_circles(portfolio.owner_id, year=as_of.year).values("pk")
    shares_circle = Exists(
        Membership.objects.filter(
            member=OuterRef("pk"),
            year=as_of.year,
            state__in=CURRENT_STATES,
            circle__in=circles,
        )
    ) | Exists(Circle.objects.filter(coordinator=OuterRef("pk"), pk__in=circles))
    declined = Exists(
        Assignment.objects.filter(
            round__portfolio=portfolio, assessor=OuterRef("pk"), state=AssignmentState.DECLINED
        )
    )
    if round is None:
        assigned = Value(False)
    else:
        assigned = Exists(
            Assignment.objects.filter(round=round, assessor=OuterRef("pk")).exclude(
                state=AssignmentState.DECLINED
            )
        )
    rows = (
        assessors()
        .annotate(
            open_workload=Coalesce(Subquery(workload, output_field=IntegerField()), 0),
            conflict=shares_circle,
            declined=declined,
            assigned=assigned,
        )
        .order_by("open_workload", "full_name", "email")
    )
    return [
        Candidate(
            assessor=row,
            open_workload=row.open_workload,
            conflict=row.conflict and row.pk != portfolio.owner_id,
            declined=row.declined,
            assigned=row.assigned,
            is_owner=row.pk == portfolio.owner_id,
        )
        for row in rows
    ]


def suggested_assessors(candidates: list[Candidate], *, places: int) -> list[Candidate]:
    """The pre-selected pick: the ``places`` eligible candidates with the lowest open workload
    and no likely conflict (never the owner or someone who declined)."""
    return [c for c in candidates if c.eligible and not c.conflict][:places]


def assessor_count(portfolio: Portfolio) -> int:
    """AS-2: how many assessors judge a round of this portfolio's framework version (the newest
    version's count for a version no longer registered)."""
    return _assessor_count(portfolio.framework, portfolio.framework_version)


def _assessor_count(framework: str, version: str) -> int:
    try:
        found = registry.framework_version(framework, version=version)
    except LookupError:
        found = registry.framework_version(framework)
    return found.assessor_count


def current_round(portfolio: Portfolio) -> AssessmentRound | None:
    """The latest round of a portfolio whose rounds were prefetched (no query then)."""
    rounds = list(portfolio.rounds.all())
    return max(rounds, key=lambda r: r.number) if rounds else None


def open_places(
    portfolio: Portfolio,
    round: AssessmentRound | None,
    assignments: list[Assignment] | None = None,
) -> int:
    """How many assessors the current round still needs (declined ones do not count); the
    round's ``assignments`` when read already, else its prefetched ones."""
    if round is None or portfolio.state not in (
        PortfolioState.SUBMITTED,
        PortfolioState.IN_ASSESSMENT,
    ):
        return 0
    needed = assessor_count(portfolio)
    if assignments is None:
        assignments = list(round.assignments.all())
    active = [a for a in assignments if a.state != AssignmentState.DECLINED]
    return max(needed - len(active), 0)


def audit_trail(portfolio: Portfolio) -> QuerySet[AuditEvent]:
    return portfolio.events.select_related("actor").order_by("-at", "-pk")


# --- assessor: the judging page (AS-3) --------------------------------------------------------


# Images and PDFs open in the browser; anything else (a Word file) is downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


@dataclass(frozen=True)
class Evidence:
    label: str
    document: Document | None
    # A meeting confirmed by its facilitator through the link has no file of its own.
    note: str = ""

    @property
    def inline(self) -> bool:
        return self.document is not None and self.document.content_type in INLINE_TYPES


@dataclass(frozen=True)
class FrozenRule:
    id: str
    status: str
    message: str

    @property
    def label(self) -> str:
        try:
            return str(STATUS_LABELS[Status(self.status)])
        except ValueError:
            return self.status


@dataclass
class CriterionRow:
    criterion: Criterion
    rules: list[FrozenRule]
    evidence: list[Evidence]
    judgement: Judgement | None
    error: str = ""

    @property
    def verdict(self) -> str:
        return self.judgement.verdict if self.judgement else ""

    @property
    def explanation(self) -> str:
        return self.judgement.explanation if self.judgement else ""


@dataclass
class CriterionGroup:
    title: str
    rows: list[CriterionRow] = field(default_factory=list)


def assignment_for(pk: int) -> Assignment:
    """An assignment with what its pages show; raises Assignment.DoesNotExist."""
    return Assignment.objects.select_related(
        "round__portfolio__owner", "round__submission", "assessor"
    ).get(pk=pk)


def section_evidence(portfolio: Portfolio, document: Any) -> dict[str, list[Evidence]]:
    """The evidence of the frozen ``document`` by checklist section, each with the stored file
    behind it (the portfolio's own file of that name)."""
    framework = registry.get(portfolio.framework)
    if framework.evidence_sections is None:
        return {}
    try:
        snapshot = parse_document(document)
    except DocumentError:
        return {}
    prefetched = framework.prefetch(Portfolio.objects.filter(pk=portfolio.pk)).get()
    sources = framework.sources(prefetched)
    found: dict[str, list[Evidence]] = {}
    for section, label, name in framework.evidence_sections(snapshot):
        source = sources.get(name)
        if isinstance(source, Document):
            item = Evidence(label=label, document=source)
        elif source is not None:
            item = Evidence(label=label, document=None, note="confirmed")
        else:
            item = Evidence(label=label, document=None, note="missing")
        found.setdefault(section, []).append(item)
    return found


def judging_groups(
    assignment: Assignment,
    criteria: list[Criterion],
    rules: list[dict],
    *,
    typed: dict[str, tuple[str, str]] | None = None,
    errors: dict[str, str] | None = None,
) -> list[CriterionGroup]:
    """The criteria of the judging page by group, each with its frozen rule results, its
    evidence and the judgement (what was just typed, when a post is shown again)."""
    judgements = {judgement.criterion: judgement for judgement in assignment.judgements.all()}
    submission = assignment.round.submission
    evidence = (
        section_evidence(assignment.round.portfolio, submission.document) if submission else {}
    )
    frozen = [
        FrozenRule(
            str(rule.get("id", "")), str(rule.get("status", "")), str(rule.get("message", ""))
        )
        for rule in rules
    ]
    groups: list[CriterionGroup] = []
    for criterion in criteria:
        judgement = judgements.get(criterion.key)
        if typed is not None and criterion.key in typed:
            verdict, explanation = typed[criterion.key]
            judgement = Judgement(criterion=criterion.key, verdict=verdict, explanation=explanation)
        row = CriterionRow(
            criterion=criterion,
            rules=[rule for rule in frozen if rule.id.startswith(criterion.rule_prefixes)]
            if criterion.rule_prefixes
            else [],
            evidence=evidence.get(criterion.section, []),
            judgement=judgement,
            error=(errors or {}).get(criterion.key, ""),
        )
        if not groups or groups[-1].title != criterion.group:
            groups.append(CriterionGroup(title=criterion.group))
        groups[-1].rows.append(row)
    return groups


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
class ComparedCriterion:
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


def judgements_side_by_side(*, round, viewer) -> tuple[list[Assignment], list[ComparedCriterion]]:
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
        rows.append(ComparedCriterion(criterion, tuple(opinions), notes.get(criterion.key, "")))
    return assignments, rows
