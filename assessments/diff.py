"""What changed between two submissions of a portfolio (workflow.md, supplement rounds).

The assessor of a resubmission round compares the round's frozen document (noloc-portfolio/1,
/work/shared/spec/exchange.md) with the previous round's: per checklist section, and inside a
section per repeated item (a reflection meeting, a PE activity, a course, a case). Items carry no
id in the document, so they are paired by what identifies them (an identical item, then the same
title, then the same date), and what is left without a title by position.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolios.jobcoach.checklist import JOBCOACH_SECTIONS
from portfolios.jobcoach.framework import JOBCOACH, jobcoach_framework
from portfolios.jobcoach.models import MeetingKind
from portfolios.loopbaan.checklist import LOOPBAAN_SECTIONS
from portfolios.loopbaan.framework import LOOPBAAN

# Per framework: checklist Section.key -> the document's top-level keys it holds.
SECTION_KEYS: dict[str, dict[str, tuple[str, ...]]] = {
    JOBCOACH: {
        "a1": ("recertification_date", "a1"),
        "a2": ("a2",),
        "a31": ("reflection_meetings",),
        "a32": ("reflection_report",),
        "a4": ("development_plan",),
        "b": ("pe_activities",),
        "c": ("declaration",),
    },
    LOOPBAAN: {
        "education": ("education",),
        "experience": ("experience", "cv", "motivation"),
        "cases": ("cases", "diversity"),
        "plan": ("development_plan",),
        "declaration": ("declaration",),
    },
}
SECTIONS = {JOBCOACH: JOBCOACH_SECTIONS, LOOPBAAN: LOOPBAAN_SECTIONS}

# Lists of items shown one item at a time, by their path in the document.
GROUPS = {
    "reflection_meetings": _("Reflectiebijeenkomsten"),
    "pe_activities": _("PE-activiteiten"),
    "education.courses": _("Cursussen"),
    "cases": _("Casussen"),
}

LABELS = {
    "recertification_date": _("Hercertificeringsdatum"),
    "a1": _("A1"),
    "a2": _("A2"),
    "cv": _("Cv"),
    "statement": _("Verklaring"),
    "signed": _("Ondertekend"),
    "evidence": _("Bewijsstuk"),
    "report": _("Terugblik"),
    "date": _("Datum"),
    "kind": _("Soort"),
    "type": _("Soort"),
    "title": _("Titel"),
    "facilitator": _("Begeleider"),
    "facilitator_registration": _("Registratie begeleider"),
    "own_situation": _("Eigen situatie ingebracht"),
    "meeting": _("Bijeenkomst"),
    "situation": _("Situatie"),
    "motivation": _("Motivatie"),
    "insights": _("Inzichten"),
    "consequences": _("Consequenties"),
    "present": _("Heden"),
    "past": _("Verleden"),
    "future": _("Toekomst"),
    "start": _("Begin"),
    "end": _("Einde"),
    "sbu": _("Studiebelastingsuren"),
    "hours": _("Uren"),
    "half_days": _("Dagdelen"),
    "days": _("Dagen"),
    "words": _("Woorden"),
    "candidates": _("Kandidaten"),
    "isbn": _("ISBN"),
    "code_of_conduct": _("Beroepscode"),
    "complaints_regulation": _("Klachtenreglement"),
    "truthful": _("Naar waarheid ingevuld"),
    "route": _("Route"),
    "diploma": _("Diploma"),
    "level": _("Niveau"),
    "field_mens_en_organisatie": _("Richting mens en organisatie"),
    "nvao_accredited": _("NVAO-geaccrediteerd"),
    "croho": _("CROHO-code"),
    "evc_report": _("EVC-rapport"),
    "assessment_report": _("Assessmentrapport"),
    "provider_recognised": _("Erkende aanbieder"),
    "quality_mark": _("Keurmerk"),
    "experience": _("Werkervaring"),
    "years_active": _("Jaren werkzaam"),
    "currently_working_statement": _("Verklaring huidige werkzaamheden"),
    "started": _("Begonnen"),
    "ended": _("Afgerond"),
    "rationale": _("Onderbouwing"),
    "tasks": _("Taken"),
    "text": _("Beschrijving"),
    "not_relevant": _("Niet relevant, omdat"),
    "knowledge_areas": _("Kennisgebieden"),
    "competences": _("Competenties"),
    "attitude": _("Attitude"),
    "diversity": _("Verschil tussen de casussen"),
    "development_plan": _("Ontwikkelplan"),
    "declaration": _("Verklaringen"),
    "education": _("Opleiding"),
    "reflection_report": _("Reflectieverslag"),
}


@dataclass
class FieldDiff:
    label: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class ItemDiff:
    title: str
    status: str  # added | removed | changed | unchanged
    fields: list[FieldDiff]

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"


@dataclass
class GroupDiff:
    label: str
    items: list[ItemDiff]

    @property
    def changed(self) -> bool:
        return any(item.changed for item in self.items)


@dataclass
class SectionDiff:
    key: str
    code: str
    title: str
    fields: list[FieldDiff] = field(default_factory=list)
    groups: list[GroupDiff] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.fields) or any(g.changed for g in self.groups)


def _label(path: str) -> str:
    return " › ".join(str(LABELS.get(part, part.replace("_", " "))) for part in path.split("."))


def _shown(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return "—"
    if value is True:
        return str(_("ja"))
    if value is False:
        return str(_("nee"))
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value) or "—"
    return str(value)


def _flatten(value: Any, path: str, out: dict[str, Any], groups: dict[str, list]) -> None:
    """Scalars by dotted path into ``out``; a list of items named in GROUPS into ``groups``."""
    if path in GROUPS:
        groups[path] = value if isinstance(value, list) else []
    elif isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{path}.{key}" if path else str(key), out, groups)
    else:
        out[path] = value


def _value_names() -> dict[str, dict[str, str]]:
    """Codes the document stores, by field name, with the words the pages use for them."""
    return {
        "type": {
            kind.code: str(kind.label)
            for kind in jobcoach_framework(on=timezone.localdate()).activity_types
        },
        "kind": {str(value): str(label) for value, label in MeetingKind.choices},
    }


def _fields(old: dict[str, Any], new: dict[str, Any], *, names=None) -> list[FieldDiff]:
    names = names or {}

    def shown(path: str, value: Any) -> str:
        if isinstance(value, str) and value in names.get(path, {}):
            return names[path][value]
        return _shown(value)

    return [
        FieldDiff(
            label=_label(path), old=shown(path, old.get(path)), new=shown(path, new.get(path))
        )
        for path in dict.fromkeys([*old, *new])
    ]


def _item_fields(item: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _flatten(item if isinstance(item, dict) else {"value": item}, "", out, {})
    return out


def _item_title(item: Any, index: int) -> str:
    if isinstance(item, dict):
        title = str(item.get("title") or "").strip()
        when = item.get("date") or item.get("started") or item.get("start")
        who = str(item.get("facilitator") or "").strip()
        parts = [part for part in (title, str(when or ""), who if not title else "") if part]
        if parts:
            return " · ".join(parts)
    return str(_("Item %(n)s") % {"n": index + 1})


_IDENTITIES = (("title",), ("date", "facilitator"), ("date", "type"), ("date",))


def _identity(item: Any, keys: tuple[str, ...]):
    if not isinstance(item, dict):
        return None
    values = tuple(str(item.get(key) or "").strip().lower() for key in keys)
    return values if all(values) else None


def pair_items(old: list, new: list) -> list[tuple[int | None, int | None]]:
    """Pairs ``(old index, new index)`` in the new order, then the removed old items: identical
    items first, then a unique shared identity (title; date and facilitator; date and type;
    date), then what is left without a title by position."""
    left_old = list(range(len(old)))
    left_new = list(range(len(new)))
    match: dict[int, int] = {}

    def take(pairs: Iterable[tuple[int, int]]) -> None:
        for o, n in pairs:
            match[n] = o
            left_old.remove(o)
            left_new.remove(n)

    take(_unique_equal(old, new, left_old, left_new))
    for keys in _IDENTITIES:
        found = []
        olds: dict[Any, list[int]] = {}
        for o in left_old:
            olds.setdefault(_identity(old[o], keys), []).append(o)
        news: dict[Any, list[int]] = {}
        for n in left_new:
            news.setdefault(_identity(new[n], keys), []).append(n)
        for key, ns in news.items():
            if key is not None and len(ns) == 1 and len(olds.get(key, ())) == 1:
                found.append((olds[key][0], ns[0]))
        take(found)
    # By position only what no title tells apart (a meeting, say): two different titles are an
    # item removed and another added, not one item renamed.
    untitled_old = [o for o in left_old if _identity(old[o], ("title",)) is None]
    untitled_new = [n for n in left_new if _identity(new[n], ("title",)) is None]
    take(list(zip(untitled_old, untitled_new, strict=False)))
    pairs: list[tuple[int | None, int | None]] = [(match.get(n), n) for n in range(len(new))]
    pairs += [(o, None) for o in left_old]
    return pairs


def _unique_equal(old, new, left_old, left_new) -> list[tuple[int, int]]:
    """Identical items, each old one used once, in the new order."""
    free = list(left_old)
    pairs = []
    for n in left_new:
        o = next((o for o in free if old[o] == new[n]), None)
        if o is not None:
            free.remove(o)
            pairs.append((o, n))
    return pairs


def _group(label: str, old: list, new: list) -> GroupDiff:
    items = []
    for o, n in pair_items(old, new):
        before = _item_fields(old[o]) if o is not None else {}
        after = _item_fields(new[n]) if n is not None else {}
        if o is None:
            status = "added"
        elif n is None:
            status = "removed"
        else:
            status = "unchanged" if old[o] == new[n] else "changed"
        source = new[n] if n is not None else old[o]
        index = n if n is not None else o
        items.append(
            ItemDiff(
                title=_item_title(source, index),
                status=status,
                fields=_fields(before, after, names=_value_names()),
            )
        )
    return GroupDiff(label=str(label), items=items)


def document_diff(framework: str, old: dict | None, new: dict | None) -> list[SectionDiff]:
    """The sections of ``framework`` with what changed from ``old`` to ``new`` (documents)."""
    old, new = old or {}, new or {}
    result = []
    for section in SECTIONS[framework]:
        diff = SectionDiff(key=section.key, code=section.code, title=str(section.title))
        old_fields: dict[str, Any] = {}
        new_fields: dict[str, Any] = {}
        old_groups: dict[str, list] = {}
        new_groups: dict[str, list] = {}
        for key in SECTION_KEYS[framework].get(section.key, ()):
            _flatten(old.get(key), key, old_fields, old_groups)
            _flatten(new.get(key), key, new_fields, new_groups)
        diff.fields = _fields(old_fields, new_fields)
        for path in dict.fromkeys([*old_groups, *new_groups]):
            diff.groups.append(
                _group(GROUPS[path], old_groups.get(path) or [], new_groups.get(path) or [])
            )
        result.append(diff)
    return result
