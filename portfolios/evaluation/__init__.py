"""The one rule engine. Every door (web, submit, API, command line, PDF) calls :func:`evaluate`."""

from __future__ import annotations

from datetime import date

from portfolios import registry
from portfolios.evaluation.common import DocumentError, Evaluation, RuleResult, Status
from portfolios.registry import FrameworkVersion

__all__ = ["DocumentError", "Evaluation", "RuleResult", "Status", "evaluate"]


def evaluate(snapshot, *, as_of: date, framework: FrameworkVersion | None = None) -> Evaluation:
    """Evaluate a frozen snapshot of any registered framework against its framework version."""
    return registry.of_snapshot(snapshot).evaluate(snapshot, as_of=as_of, framework=framework)
