"""Turns an evaluation into what the portfolio pages show: sections with progress, and for
each rule a link to the page where it is fixed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portfolios.evaluation import Evaluation, RuleResult, Status


@dataclass(frozen=True)
class Section:
    key: str
    code: str
    title: str
    url_name: str
    rule_prefixes: tuple[str, ...]


JOBCOACH_SECTIONS = (
    Section("a1", "A1", _("Werkzaam als jobcoach"), "portfolios:a1", ("JC-A1",)),
    Section("a2", "A2", _("Terugblik op het vorige ontwikkelplan"), "portfolios:a2", ("JC-A2",)),
    Section("a31", "A3.1", _("Reflectiebijeenkomsten"), "portfolios:meetings", ("JC-A3.1",)),
    Section("a32", "A3.2", _("Reflectieverslag"), "portfolios:report", ("JC-A3.2",)),
    Section("a4", "A4", _("Ontwikkelplan"), "portfolios:plan", ("JC-A4",)),
    Section("b", "B", _("PE-punten"), "portfolios:pe", ("JC-B",)),
    Section("c", "C", _("Verklaring"), "portfolios:declaration", ("JC-C",)),
)

_INDEXED = re.compile(r"^(reflection_meetings|pe_activities)\[(\d+)\]")

STATUS_LABELS = {
    Status.MET: _("in orde"),
    Status.NOT_MET: _("nog niet in orde"),
    Status.WARNING: _("let op"),
    Status.EXEMPT: _("vrijgesteld"),
}


@dataclass(frozen=True)
class ChecklistItem:
    rule: RuleResult
    url: str
    label: str


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    url: str
    items: tuple[ChecklistItem, ...]

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.rule.status != Status.NOT_MET)

    @property
    def complete(self) -> bool:
        return self.done == len(self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.items)) if self.items else 100


def fix_url(portfolio, path: str, *, meeting_ids: list[int], activity_ids: list[int]) -> str:
    """The page where the value at a JSON path is edited."""
    match = _INDEXED.match(path)
    if match:
        index = int(match.group(2))
        if match.group(1) == "reflection_meetings" and index < len(meeting_ids):
            return reverse("portfolios:meeting_edit", args=[portfolio.pk, meeting_ids[index]])
        if match.group(1) == "pe_activities" and index < len(activity_ids):
            return reverse("portfolios:pe_edit", args=[portfolio.pk, activity_ids[index]])
    head = path.split(".")[0].split("[")[0]
    url_name = {
        "a1": "portfolios:a1",
        "a2": "portfolios:a2",
        "reflection_meetings": "portfolios:meetings",
        "reflection_report": "portfolios:report",
        "development_plan": "portfolios:plan",
        "pe_activities": "portfolios:pe",
        "declaration": "portfolios:declaration",
    }.get(head, "portfolios:detail")
    return reverse(url_name, args=[portfolio.pk])


def build_checklist(portfolio, evaluation: Evaluation, *, meeting_ids, activity_ids):
    sections = []
    for section in JOBCOACH_SECTIONS:
        items = tuple(
            ChecklistItem(
                rule=rule,
                url=fix_url(
                    portfolio, rule.path, meeting_ids=meeting_ids, activity_ids=activity_ids
                ),
                label=STATUS_LABELS[rule.status],
            )
            for rule in evaluation.rules
            if rule.id.startswith(section.rule_prefixes)
        )
        sections.append(
            SectionProgress(
                section=section, url=reverse(section.url_name, args=[portfolio.pk]), items=items
            )
        )
    return sections


def rules_for(evaluation: Evaluation, prefix: str) -> list[RuleResult]:
    return [rule for rule in evaluation.rules if rule.id.startswith(prefix)]
