"""Who may download a document: its owner, staff, and whoever an app's access rule admits.

Apps register a rule (``user, document -> bool``) for the places they attach documents, e.g.
the assessor of a portfolio that holds the document as evidence.
"""

from collections.abc import Callable

_ACCESS_RULES: list[Callable] = []


def register_access_rule(rule: Callable) -> Callable:
    _ACCESS_RULES.append(rule)
    return rule


def can_view_document(user, document) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or document.owner_id == user.pk:
        return True
    return any(rule(user, document) for rule in _ACCESS_RULES)
