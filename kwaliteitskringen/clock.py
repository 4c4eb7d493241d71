""" "Today" for the circle rules, in one place so tests can fix it (style.md §6)."""

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()
