"""Who may see and change a portfolio (domain.md §5, AS-1, AS-3)."""

import operator
from functools import reduce

from noloc_portal.accounts.models import Role
from portfolios import registry
from portfolios.models import Portfolio


def can_view_portfolio(user, portfolio) -> bool:
    if not user.is_authenticated:
        return False
    if portfolio.owner_id == user.pk or user.is_staff:
        return True
    if user.has_role(Role.CERTIFICATION_COORDINATOR):
        return portfolio.state != "draft"
    from assessments.permissions import is_assigned_assessor

    return is_assigned_assessor(user, portfolio)


def can_start_portfolio(user) -> bool:
    """Only professionals keep portfolios (the pages, the import command's owner and the API)."""
    return user.is_authenticated and user.has_role(Role.PROFESSIONAL)


def can_edit_portfolio(user, portfolio) -> bool:
    return user.is_authenticated and portfolio.owner_id == user.pk and portfolio.is_editable


def can_view_portfolio_document(user, document) -> bool:
    """A document attached to a portfolio is readable by whoever may read that portfolio
    (the assigned assessor, the certification coordinator once submitted). Each framework
    says which of its portfolios hold the document."""
    holders = [
        framework.document_holders(document)
        for framework in registry.frameworks()
        if framework.document_holders is not None
    ]
    if not holders:
        return False
    portfolios = Portfolio.objects.filter(reduce(operator.or_, holders)).distinct()
    return any(can_view_portfolio(user, portfolio) for portfolio in portfolios)
