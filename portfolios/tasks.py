from celery import shared_task

from portfolios import remembered


@shared_task
def prune_portfolio_changes() -> int:
    """Beat, nightly: keep the last change noted per portfolio (portfolios.remembered)."""
    return remembered.prune_changes()
