"""``noloc-portfolio/1`` documents <-> snapshots. Pure: no ORM; models are bridged elsewhere."""

from __future__ import annotations

from typing import Any

from portfolios.evaluation.common import DocumentError
from portfolios.frameworks import JOBCOACH, LOOPBAAN

FORMAT = "noloc-portfolio/1"


def parse_document(data: Any):
    """Validate a decoded JSON document and return its snapshot; raises DocumentError."""
    from portfolios.exchange.jobcoach import parse_jobcoach
    from portfolios.exchange.loopbaan import parse_loopbaan

    if not isinstance(data, dict):
        raise DocumentError("$", "the document must be a JSON object")
    if data.get("format") != FORMAT:
        raise DocumentError("format", f"must be {FORMAT!r}")
    framework = data.get("framework")
    if framework == JOBCOACH:
        return parse_jobcoach(data)
    if framework == LOOPBAAN:
        return parse_loopbaan(data)
    raise DocumentError("framework", f"must be one of: {JOBCOACH}, {LOOPBAAN}")


def dump_document(snapshot) -> dict[str, Any]:
    """The ``noloc-portfolio/1`` document of a snapshot (inverse of :func:`parse_document`)."""
    from portfolios.evaluation.jobcoach import JobcoachSnapshot
    from portfolios.exchange.jobcoach import dump_jobcoach
    from portfolios.exchange.loopbaan import dump_loopbaan

    if isinstance(snapshot, JobcoachSnapshot):
        return dump_jobcoach(snapshot)
    return dump_loopbaan(snapshot)
