"""Odd values stored before the forms refused them (or written past the forms): the pages that
show them must still answer."""

from datetime import date

from django.apps import apps
from django.db import models

# The ends of the calendar: arithmetic on them (one window on, a year back) leaves it.
ODD_DATES = [date.max, date.min]
APPS = ("portfolios", "kwaliteitskringen", "assessments")


def store_date_everywhere(day: date) -> None:
    """Set every date column of the portal's own models, on every row, to ``day``."""
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        # A DateTimeField is a DateField too; only plain dates are typed in by people.
        names = [f.name for f in model._meta.concrete_fields if type(f) is models.DateField]
        if names:
            model.objects.update(**dict.fromkeys(names, day))
