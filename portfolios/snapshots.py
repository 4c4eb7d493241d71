"""Models -> engine snapshot: what every framework's bridge from the database shares.

Each framework package has its own ``snapshot`` module; the core reaches it through the registry.
"""

from __future__ import annotations

from decimal import Decimal

from portfolios import registry


def bundle_name(document) -> str | None:
    """The file name a document has inside an exported bundle (unique, readable)."""
    if document is None:
        return None
    return f"bestanden/{document.uuid.hex[:8]}-{document.original_name}"


def as_number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def prefetch_for_snapshot(queryset, framework: str):
    """``queryset`` with everything the snapshot of ``framework`` reads, in constant queries."""
    return registry.get(framework).prefetch(queryset)


def snapshot_of(portfolio):
    return registry.get(portfolio.framework).snapshot_of(portfolio)
