"""The one rule engine. Every door (web, submit, API, command line, PDF) calls :func:`evaluate`."""

from __future__ import annotations

from datetime import date

from portfolios.evaluation.common import DocumentError, Evaluation, RuleResult, Status
from portfolios.frameworks import FrameworkVersion

__all__ = ["DocumentError", "Evaluation", "RuleResult", "Status", "evaluate"]


def evaluate(snapshot, *, as_of: date, framework: FrameworkVersion | None = None) -> Evaluation:
    """Evaluate a frozen snapshot of either framework against its framework version."""
    from portfolios.evaluation.jobcoach import JobcoachSnapshot, evaluate_jobcoach
    from portfolios.evaluation.loopbaan import LoopbaanSnapshot, evaluate_loopbaan

    if isinstance(snapshot, JobcoachSnapshot):
        return evaluate_jobcoach(snapshot, as_of=as_of, framework=framework)
    if isinstance(snapshot, LoopbaanSnapshot):
        return evaluate_loopbaan(snapshot, as_of=as_of, framework=framework)
    raise TypeError(f"not a portfolio snapshot: {type(snapshot).__name__}")
