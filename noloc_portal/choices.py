"""Labels of choice fields for lists: what ``get_FOO_display()`` gives, without Django's
dictionary of every (translated) choice built again on each call, which a list paid per row."""

from __future__ import annotations

from django.db import models


def choice_label(choices: type[models.TextChoices], value):
    """The label of ``value``, or the value itself when it is no choice."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def display_labels(model, name: str) -> dict[str, str]:
    """Every value's label of the field ``name``, for a list to look up once per page; a value
    not among the choices shows as itself (``labels.get(value, value)``)."""
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}
