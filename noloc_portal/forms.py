"""Form fields that hold input to the bounds of ``noloc_portal.validators``.

Every model form of the portal derives from :class:`BoundedModelForm`: its date fields take a
date within :data:`~noloc_portal.validators.DATES` (a form narrows that with ``field_classes``,
e.g. ``{"date": EventDateField}``) and its text fields at most the column's text limit.
"""

from __future__ import annotations

from django import forms
from django.db import models

from noloc_portal.validators import DATES, EVENT_DATES, DateRange, DateRangeValidator, text_limit


class DateField(forms.DateField):
    """A date within ``dates``, refused with a Dutch message next to the field; a date picker
    offers only that range."""

    dates: DateRange = DATES

    def __init__(self, *, dates: DateRange | None = None, **kwargs) -> None:
        if dates is not None:
            self.dates = dates
        super().__init__(**kwargs)
        self.validators.append(DateRangeValidator(self.dates))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.DateInput):
            attrs.update(min=self.dates.earliest.isoformat(), max=self.dates.latest.isoformat())
        return attrs


class EventDateField(DateField):
    """The date of a meeting, an activity or a case: not before 1950."""

    dates = EVENT_DATES


def bounded_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """The form field of a model field, held to the portal's input bounds."""
    if type(db_field) is models.DateField:
        kwargs.setdefault("form_class", DateField)
    elif isinstance(db_field, models.TextField):
        kwargs.setdefault("max_length", text_limit(db_field))
    return db_field.formfield(**kwargs)


class BoundedModelForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield


class BoundedAdminFields:
    """For a ModelAdmin or an inline: the same bounds in the admin (dates within
    :data:`~noloc_portal.validators.DATES`, texts within their limit), with the admin's widgets."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if type(db_field) is models.DateField:
            kwargs.setdefault("form_class", DateField)
        elif isinstance(db_field, models.TextField):
            kwargs.setdefault("max_length", text_limit(db_field))
        return super().formfield_for_dbfield(db_field, request, **kwargs)
