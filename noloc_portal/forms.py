"""Form fields that hold input to the bounds of ``noloc_portal.validators``.

Every model form of the portal derives from :class:`BoundedModelForm`: its date fields take a
date within :data:`~noloc_portal.validators.DATES` (a form narrows that with ``field_classes``,
e.g. ``{"date": EventDateField}``) and its text fields at most the column's text limit.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class ChooseFilesAgain:
    """A browser forgets the files chosen in a form that comes back with errors. Next to each file
    that was chosen (and was itself fine) the form says so, instead of losing it without a word."""

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors:
            return
        for name, field in self.fields.items():
            if (
                isinstance(field, forms.FileField)
                and self.files.get(self.add_prefix(name))
                and name not in self._errors
            ):
                self.add_error(
                    name,
                    _(
                        "Dit bestand is nog niet bewaard, omdat het formulier nog fouten had. "
                        "Kies het opnieuw voordat je opslaat."
                    ),
                )


class BoundedModelForm(ChooseFilesAgain, forms.ModelForm):
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
