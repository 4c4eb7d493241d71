"""Report kinds: each app registers how to build the HTML of a kind and who may read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Report:
    template: str
    context: dict[str, Any]
    title: str


@dataclass(frozen=True)
class ReportKind:
    name: str
    build: Callable[[Any], Report]
    can_view: Callable[[Any, Any], bool]


_KINDS: dict[str, ReportKind] = {}


def register_report(name: str, *, can_view: Callable[[Any, Any], bool]):
    """Decorator for ``build(target) -> Report``; ``can_view(user, target)`` guards downloads."""

    def decorator(build: Callable[[Any], Report]) -> Callable[[Any], Report]:
        _KINDS[name] = ReportKind(name=name, build=build, can_view=can_view)
        return build

    return decorator


def report_kind(name: str) -> ReportKind:
    return _KINDS[name]
