"""Building blocks shared by every framework's rules: statuses, rule results, the evaluation.

Everything here is pure: no ORM, no request, no clock. "Today" is always passed in as ``as_of``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils.translation import pgettext


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    EXEMPT = "exempt"
    WARNING = "warning"


@dataclass(frozen=True)
class RuleResult:
    """The verdict on one rule: its ID, status, a Dutch message and the JSON path it concerns."""

    id: str
    status: Status
    message: str
    path: str

    def to_json(self) -> dict[str, str]:
        return {
            "id": self.id,
            "status": str(self.status),
            "message": self.message,
            "path": self.path,
        }


@dataclass(frozen=True)
class Evaluation:
    """The result of evaluating one snapshot against one framework version."""

    framework: str
    framework_version: str
    as_of: date
    rules: tuple[RuleResult, ...]
    # Framework-specific extra sections of the result (exchange.md), e.g. ``{"pe": {...}}``.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def submittable(self) -> bool:
        return all(rule.status != Status.NOT_MET for rule in self.rules)

    def rule(self, rule_id: str) -> RuleResult:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Evaluation:
        """The evaluation stored by :meth:`to_json` (a submission keeps its frozen verdict)."""
        head = {"framework", "framework_version", "as_of", "submittable", "rules"}
        return cls(
            framework=data["framework"],
            framework_version=data["framework_version"],
            as_of=date.fromisoformat(data["as_of"]),
            rules=tuple(
                RuleResult(rule["id"], Status(rule["status"]), rule["message"], rule["path"])
                for rule in data["rules"]
            ),
            extra={key: value for key, value in data.items() if key not in head},
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "framework_version": self.framework_version,
            "as_of": self.as_of.isoformat(),
            "submittable": self.submittable,
            "rules": [rule.to_json() for rule in self.rules],
            **self.extra,
        }


@dataclass(frozen=True)
class Statement:
    """A statement form or upload; ``signed`` means complete and signed (exchange.md, Common)."""

    signed: bool = False
    evidence: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"signed": self.signed, "evidence": self.evidence}


class DocumentError(ValueError):
    """An invalid portfolio document; ``path`` is the JSON path of the offending value.

    ``str(error)`` reads ``pe_activities[3].sbu: must be a positive number``.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


def enumeration(parts: Sequence[str], conjunction: str | None = None) -> str:
    """``a``, ``a en b``, ``a, b en c``; ``conjunction`` replaces "en" (e.g. "of")."""
    if len(parts) <= 1:
        return "".join(parts)
    last = pgettext("enumeration", "en") if conjunction is None else conjunction
    return f"{', '.join(parts[:-1])} {last} {parts[-1]}"


def is_blank(value: str | None) -> bool:
    """An empty or whitespace-only string counts as missing (exchange.md, Common)."""
    return value is None or not value.strip()


def written_day(day: date) -> str:
    """A date as the rule messages write it, 31-12-2026 (as ``%d-%m-%Y`` on Linux, the year
    unpadded; a third of the time of strftime, and messages write many)."""
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (later for a negative ``years``); 29 February
    falls back to 28 February. Beyond the calendar (a stored year 1 or 9999) the first or last
    day stands in, so a page shows the odd date instead of failing."""
    year = day.year - years
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)
