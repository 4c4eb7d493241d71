"""Models -> engine snapshot: what every framework's bridge from the database shares.

Each framework package has its own ``snapshot`` module; the core reaches it through the registry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db.models import Model

from portfolios import registry
from portfolios.models import Portfolio


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


def stored_for_snapshot(pk: int, framework: str) -> Portfolio:
    """The portfolio ``pk`` with everything the snapshot of ``framework`` reads: through the
    framework's ``load`` (its queries compiled once per process) when it has one, else through
    its ``prefetch``. Raises ``Portfolio.DoesNotExist``."""
    load = registry.get(framework).load
    if load is None:
        return prefetch_for_snapshot(Portfolio.objects.filter(pk=pk), framework).get()
    portfolio = load(pk)
    if portfolio is None:
        raise Portfolio.DoesNotExist(f"no {framework} portfolio {pk}")
    return portfolio


def keep_as_prefetched(instance: Model, relation: str, rows: list) -> None:
    """``instance.<relation>.all()`` gives ``rows`` without a query afterwards, as after
    ``prefetch_related(relation)`` (each row's foreign key holds ``instance`` too).

    For rows read by a prepared query (noloc_portal.prepared): a prefetch builds and compiles
    its query again on every call."""
    manager = getattr(instance, relation)
    queryset = manager.get_queryset()
    for row in rows:
        manager.field.set_cached_value(row, instance)
    queryset._result_cache = rows
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[manager.field.remote_field.cache_name] = queryset


def keep_per_parent(parents: Sequence[Model], relation: str, rows: Iterable[Model]) -> None:
    """:func:`keep_as_prefetched` for each of ``parents``: the ``rows`` of the reverse foreign
    key ``relation`` of them all, read in one query, each kept with its parent in their order.
    A row of a parent not among ``parents`` (added since they were read) is left out, as a
    prefetch would."""
    if not parents:
        return
    attname = getattr(parents[0].__class__, relation).field.attname
    per_parent: dict[int, list] = {parent.pk: [] for parent in parents}
    for row in rows:
        kept = per_parent.get(getattr(row, attname))
        if kept is not None:
            kept.append(row)
    for parent in parents:
        keep_as_prefetched(parent, relation, per_parent[parent.pk])


def snapshot_of(portfolio):
    return registry.get(portfolio.framework).snapshot_of(portfolio)
