"""Register Jobcoach: the sections of the checklist and the page that fixes each JSON path."""

from __future__ import annotations

import re
from functools import partial

from django.utils.translation import gettext_lazy as _

from portfolios.checklist import PortfolioPages, Section, build_checklist
from portfolios.evaluation import Evaluation

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


def fix_url(
    portfolio,
    path: str,
    *,
    meeting_ids: list[int],
    activity_ids: list[int],
    pages: PortfolioPages | None = None,
) -> str:
    """The page where the value at a JSON path is edited (``pages``: the portfolio's pages,
    shared by the rules of one checklist)."""
    pages = pages or PortfolioPages(portfolio)
    match = _INDEXED.match(path)
    if match:
        index = int(match.group(2))
        if match.group(1) == "reflection_meetings" and index < len(meeting_ids):
            return pages("portfolios:meeting_edit", meeting_ids[index])
        if match.group(1) == "pe_activities" and index < len(activity_ids):
            return pages("portfolios:pe_edit", activity_ids[index])
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
    return pages(url_name)


def jobcoach_checklist(portfolio, evaluation: Evaluation, *, meeting_ids, activity_ids):
    pages = PortfolioPages(portfolio)
    links = partial(
        fix_url, portfolio, meeting_ids=meeting_ids, activity_ids=activity_ids, pages=pages
    )
    return build_checklist(
        portfolio, evaluation, sections=JOBCOACH_SECTIONS, fix_url=links, pages=pages
    )
