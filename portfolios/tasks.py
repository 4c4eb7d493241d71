from celery import shared_task

from portfolios import hooks, remembered


@shared_task
def prune_portfolio_changes() -> int:
    """Beat, nightly: keep the last change noted per portfolio (portfolios.remembered) and per
    person whose offers changed (portfolios.hooks.offers_revision)."""
    return remembered.prune_changes() + hooks.OFFER_CHANGES.prune()
