"""Labels of choice fields for lists: what ``get_FOO_display()`` gives, without Django's
dictionary of every (translated) choice built again on each call, which a list paid per row."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language


def choice_label(choices: type[models.TextChoices], value):
    """The label of ``value``, or the value itself when it is no choice."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# The labels per model, field and language: the translations are fixed when the code loads, and
# so are the choices, except the frameworks a portfolio may have (portfolios.registry forgets
# these labels when a framework comes or goes).
_LABELS: dict[tuple, dict[str, str]] = {}


def forget_labels() -> None:
    _LABELS.clear()


def display_labels(model, name: str) -> dict[str, str]:
    """Every value's label of the field ``name`` in the active language, for a list to look up
    once per page (do not change the dictionary); a value not among the choices shows as itself
    (``labels.get(value, value)``)."""
    key = (model, name, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {
            value: str(label) for value, label in model._meta.get_field(name).flatchoices
        }
    return labels
