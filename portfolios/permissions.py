"""Who may see and change a portfolio (domain.md §5, AS-1, AS-3).

Apps built on the core register a viewer rule (``user, portfolio -> bool``) for the readers they
bring, e.g. the assessor assigned to a portfolio; the core names none of them.
"""

import operator
from collections.abc import Callable
from functools import reduce

from noloc_portal.accounts.models import Role
from portfolios import registry
from portfolios.models import Portfolio

_VIEWER_RULES: list[Callable] = []


def register_viewer_rule(rule: Callable) -> Callable:
    if rule not in _VIEWER_RULES:
        _VIEWER_RULES.append(rule)
    return rule


def can_view_portfolio(user, portfolio) -> bool:
    if not user.is_authenticated:
        return False
    if portfolio.owner_id == user.pk or user.is_staff:
        return True
    if user.has_role(Role.CERTIFICATION_COORDINATOR):
        return portfolio.state != "draft"
    return any(rule(user, portfolio) for rule in _VIEWER_RULES)


def can_start_portfolio(user) -> bool:
    """Only professionals keep portfolios (the pages, the import command's owner and the API)."""
    return user.is_authenticated and user.has_role(Role.PROFESSIONAL)


def can_edit_portfolio(user, portfolio, section: str | None = None) -> bool:
    """The owner may change the portfolio now: a draft, or (with ``section``, a checklist
    Section.key) a section a supplement request reopened."""
    return (
        user.is_authenticated
        and portfolio.owner_id == user.pk
        and portfolio.is_section_editable(section)
    )


def acts_for_owner(user, portfolio) -> bool:
    """The owner, or staff acting on the owner's behalf: the secretariat does everything through
    the Django admin (domain.md §5). The services record the staff member as the actor."""
    return portfolio.owner_id == user.pk or user.is_staff


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
