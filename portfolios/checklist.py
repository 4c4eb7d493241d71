"""Turns an evaluation into what the portfolio pages show: sections with progress, and for
each rule a link to the page where it is fixed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from noloc_portal.lists import RowUrl
from portfolios.evaluation import Evaluation, RuleResult, Status


@dataclass(frozen=True)
class Section:
    key: str
    code: str
    title: str
    url_name: str
    rule_prefixes: tuple[str, ...]


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


class PortfolioPages:
    """``reverse(name, args=[portfolio.pk])`` and ``reverse(name, args=[portfolio.pk, key])``
    for one portfolio, each name reversed once: a checklist and a coverage matrix link forty
    rules and cells to a handful of pages, and reversing was a good part of building them."""

    def __init__(self, portfolio):
        self.pk = portfolio.pk
        self._pages: dict[str, str] = {}
        self._rows: dict[str, RowUrl] = {}

    def __call__(self, name: str, key: int | None = None) -> str:
        if key is None:
            url = self._pages.get(name)
            if url is None:
                url = self._pages[name] = reverse(name, args=[self.pk])
            return url
        row = self._rows.get(name)
        if row is None:
            row = self._rows[name] = RowUrl(name, self.pk)
        return row(key)


def build_checklist(
    portfolio,
    evaluation: Evaluation,
    *,
    sections,
    fix_url: Callable[[str], str],
    pages: PortfolioPages | None = None,
) -> list[SectionProgress]:
    """Each section with the rules whose ID it covers, each rule linked to the page where it is
    fixed (``fix_url`` maps a rule's JSON path to that page)."""
    pages = pages or PortfolioPages(portfolio)
    return [
        SectionProgress(
            section=section,
            url=pages(section.url_name),
            items=tuple(
                ChecklistItem(rule=rule, url=fix_url(rule.path), label=STATUS_LABELS[rule.status])
                for rule in evaluation.rules
                if rule.id.startswith(section.rule_prefixes)
            ),
        )
        for section in sections
    ]


def rules_for(evaluation: Evaluation, prefix: str) -> list[RuleResult]:
    return [rule for rule in evaluation.rules if rule.id.startswith(prefix)]
