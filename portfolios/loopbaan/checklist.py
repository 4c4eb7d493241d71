"""Register Loopbaanprofessional: checklist sections, the page that fixes each JSON path, and
the coverage matrix of tasks, knowledge areas and competences × cases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from django.utils.translation import gettext_lazy as _

from portfolios.checklist import PortfolioPages, Section, build_checklist
from portfolios.evaluation import Evaluation

LOOPBAAN_SECTIONS = (
    Section("education", "A", _("Opleiding"), "portfolios:lp_education", ("LP-A",)),
    Section(
        "experience", "B", _("Werkervaring, cv en motivatie"), "portfolios:lp_experience", ("LP-B",)
    ),
    Section("cases", "C", _("Casussen"), "portfolios:lp_cases", ("LP-C",)),
    Section("plan", "D", _("Ontwikkelplan"), "portfolios:lp_plan", ("LP-D",)),
    Section("declaration", "E", _("Verklaringen"), "portfolios:lp_declaration", ("LP-E",)),
)

_LP_COURSE = re.compile(r"^education\.courses\[(\d+)\]")
_LP_CASE = re.compile(r"^cases\[(\d+)\](?:\.(\w+)(?:\.(\w+))?)?")
# Section of a case -> (id prefix of one field, id of the whole section) on the case page.
_LP_CASE_SECTIONS = {
    "tasks": ("taak", "taken"),
    "knowledge_areas": ("kennisgebied", "kennisgebieden"),
    "competences": ("competentie", "competenties"),
    "attitude": ("attitude", "attitudes"),
}


def case_anchor(section: str | None, key: str | None) -> str:
    """The id of the field on the case page that edits ``cases[i].<section>.<key>``."""
    if section in ("started", "ended"):
        return "periode"
    if section in _LP_CASE_SECTIONS:
        prefix, whole = _LP_CASE_SECTIONS[section]
        return whole if key is None else f"{prefix}-{key}"
    return "gegevens"


def case_url(
    portfolio,
    case_id: int,
    anchor: str = "",
    *,
    current_case_id=None,
    pages: PortfolioPages | None = None,
) -> str:
    fragment = f"#{anchor}" if anchor else ""
    if case_id == current_case_id:
        return fragment or "#"
    return (pages or PortfolioPages(portfolio))("portfolios:lp_case", case_id) + fragment


def loopbaan_fix_url(
    portfolio,
    path: str,
    *,
    case_ids: list[int],
    course_ids: list[int],
    pages: PortfolioPages | None = None,
) -> str:
    """The page (and field) where the value at an LP JSON path is edited (``pages``: the
    portfolio's pages, shared by the rules of one checklist)."""
    pages = pages or PortfolioPages(portfolio)
    course = _LP_COURSE.match(path)
    if course and int(course.group(1)) < len(course_ids):
        return pages("portfolios:lp_course_edit", course_ids[int(course.group(1))])
    case = _LP_CASE.match(path)
    if case and int(case.group(1)) < len(case_ids):
        anchor = case_anchor(case.group(2), case.group(3))
        return case_url(portfolio, case_ids[int(case.group(1))], anchor, pages=pages)
    head = path.split(".")[0].split("[")[0]
    url_name, anchor = {
        "education": ("portfolios:lp_education", ""),
        "experience": ("portfolios:lp_experience", ""),
        "cv": ("portfolios:lp_experience", ""),
        "motivation": ("portfolios:lp_experience", "motivatie"),
        "cases": ("portfolios:lp_cases", ""),
        "diversity": ("portfolios:lp_cases", "diversiteit"),
        "development_plan": ("portfolios:lp_plan", ""),
        "declaration": ("portfolios:lp_declaration", ""),
    }.get(head, ("portfolios:detail", ""))
    return pages(url_name) + (f"#{anchor}" if anchor else "")


def loopbaan_checklist(portfolio, evaluation: Evaluation, *, case_ids, course_ids):
    pages = PortfolioPages(portfolio)
    links = partial(
        loopbaan_fix_url, portfolio, case_ids=case_ids, course_ids=course_ids, pages=pages
    )
    return build_checklist(
        portfolio, evaluation, sections=LOOPBAAN_SECTIONS, fix_url=links, pages=pages
    )


# The coverage matrix (LP-C1, LP-C2, LP-C3) as the pages show it, read from the evaluation's
# ``extra["coverage"]``. Tones: "ok" described; "nr" not relevant (and described elsewhere);
# "gap" must be fixed; "open" optional and empty.


# How a cell reads where it cannot show an icon (the dossier PDF).
CELL_LABELS = {"described": _("beschreven"), "not_relevant": _("n.v.t."), "missing": "—"}


@dataclass(frozen=True)
class MatrixCell:
    case_index: int
    state: str
    tone: str
    url: str

    @property
    def label(self) -> str:
        return CELL_LABELS[self.state]


@dataclass(frozen=True)
class MatrixRow:
    key: str
    label: str
    name: str
    covered: bool
    cells: tuple[MatrixCell, ...]
    required: bool

    @property
    def gap(self) -> bool:
        return any(cell.tone == "gap" for cell in self.cells) or (
            self.required and not self.covered
        )


@dataclass(frozen=True)
class MatrixGroup:
    key: str
    title: str
    rows: tuple[MatrixRow, ...]


def coverage_matrix(
    portfolio, coverage: dict, framework, *, case_ids: list[int], current_case_id=None
) -> list[MatrixGroup]:
    """The matrix of tasks, knowledge areas and competences × cases, each cell with a tone and
    a link to the field that fills it. Rows and states are the engine's, never recomputed."""
    covered_areas = sum(row["covered"] for row in coverage["knowledge_areas"].values())
    areas_short = covered_areas < framework.minimum_areas
    pages = PortfolioPages(portfolio)

    def cells(section: str, key: str, row: dict, gap_if_missing: bool) -> tuple:
        result = []
        for index, state in enumerate(row["cases"]):
            if state == "described":
                tone = "ok"
            elif state == "not_relevant":
                tone = "nr" if row["covered"] else "gap"
            else:
                tone = "gap" if gap_if_missing else "open"
            url = ""
            if index < len(case_ids):
                url = case_url(
                    portfolio,
                    case_ids[index],
                    case_anchor(section, key),
                    current_case_id=current_case_id,
                    pages=pages,
                )
            result.append(MatrixCell(index, state, tone, url))
        return tuple(result)

    tasks = tuple(
        MatrixRow(
            key=task.key,
            label=str(task.number),
            name=task.name,
            covered=coverage["tasks"][task.key]["covered"],
            # LP-C1-ALL and LP-C1-NR: every case describes or motivates every task.
            cells=cells("tasks", task.key, coverage["tasks"][task.key], True),
            required=True,
        )
        for task in framework.tasks
    )
    areas = []
    for area in framework.knowledge_areas:
        row = coverage["knowledge_areas"][area.key]
        mandatory = area.number in framework.mandatory_areas
        needed = not row["covered"] and (mandatory or areas_short)
        areas.append(
            MatrixRow(
                key=area.key,
                label=str(area.number),
                name=area.name + (f" ({_('verplicht')})" if mandatory else ""),
                covered=row["covered"],
                cells=cells("knowledge_areas", area.key, row, needed),
                required=needed,
            )
        )
    competences = tuple(
        MatrixRow(
            key=competence.key,
            label="",
            name=competence.name,
            covered=coverage["competences"][competence.key]["covered"],
            cells=cells(
                "competences",
                competence.key,
                coverage["competences"][competence.key],
                not coverage["competences"][competence.key]["covered"],
            ),
            required=True,
        )
        for competence in framework.competences
    )
    return [
        MatrixGroup("tasks", _("Taken"), tasks),
        MatrixGroup("knowledge_areas", _("Kennisgebieden"), tuple(areas)),
        MatrixGroup("competences", _("Competenties"), competences),
    ]
