from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Value, When

from assessments.models import Assignment, AssignmentState, Judgement
from noloc_portal.documents.models import Document
from portfolios import registry
from portfolios.checklist import STATUS_LABELS
from portfolios.evaluation.common import DocumentError, Status
from portfolios.exchange.document import parse_document
from portfolios.models import Portfolio, PortfolioState
from portfolios.registry import Criterion


def assignments_of(user):
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


def portfolios_for_certification():
    """Every portfolio past the draft stage, with its rounds and assessors."""
    return (
        Portfolio.objects.exclude(state__in=[PortfolioState.DRAFT, PortfolioState.WITHDRAWN])
        .select_related("owner")
        .prefetch_related("rounds__assignments__assessor")
        .order_by("submitted_at")
    )


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
