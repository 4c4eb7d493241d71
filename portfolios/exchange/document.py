"""``noloc-portfolio/1`` documents <-> snapshots. Pure: no ORM; models are bridged elsewhere."""

from __future__ import annotations

from typing import Any

from portfolios import registry
from portfolios.evaluation.common import DocumentError

FORMAT = "noloc-portfolio/1"


def parse_document(data: Any):
    """Validate a decoded JSON document and return its snapshot; raises DocumentError."""
    if not isinstance(data, dict):
        raise DocumentError("$", "the document must be a JSON object")
    if data.get("format") != FORMAT:
        raise DocumentError("format", f"must be {FORMAT!r}")
    code = data.get("framework")
    try:
        framework = registry.get(code) if isinstance(code, str) else None
    except LookupError:
        framework = None
    if framework is None:
        known = ", ".join(framework.code for framework in registry.frameworks())
        raise DocumentError("framework", f"must be one of: {known}")
    return framework.parse(data)


def dump_document(snapshot) -> dict[str, Any]:
    """The ``noloc-portfolio/1`` document of a snapshot (inverse of :func:`parse_document`)."""
    return registry.of_snapshot(snapshot).dump(snapshot)
