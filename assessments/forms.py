"""Input of the assessment pages; the services check the rules, the forms only parse."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Advice, AdviceOutcome, Interview
from noloc_portal.forms import DateField
from noloc_portal.validators import text_limit
from portfolios.forms import DATE_INPUT

# --- interview and advice (AS-4, AS-5, AS-6) ---------------------------------------------------


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _text(model, name: str, *, label, rows: int = 5, required: bool = False, help_text=""):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=text_limit(model._meta.get_field(name)),
        required=required,
        help_text=help_text,
    )


class AdviceForm(forms.Form):
    """AS-5, AS-6. Which fields an outcome needs is record_advice's rule; its refusals are put
    next to the field they concern."""

    outcome = forms.ChoiceField(
        label=_("Advies"),
        choices=AdviceOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een advies.")},
    )
    motivation = _text(
        Advice,
        "motivation",
        label=_("Onderbouwing"),
        rows=6,
        help_text=_(
            "Waarom dit advies, met verwijzing naar de criteria. Bij een aanvulling: wat de "
            "professional moet aanvullen; dit gaat mee in de e-mail aan de professional."
        ),
    )
    development_advice = _text(
        Advice,
        "development_advice",
        label=_("Ontwikkeladvies"),
        help_text=_(
            "Wat de professional de komende jaren verder kan ontwikkelen. Het is te zien bij het "
            "besluit en komt terug in het volgende portfolio."
        ),
    )
    supplement_deadline = DateField(
        label=_("Uiterste datum voor de aanvulling"), required=False, widget=DATE_INPUT
    )
    supplement_sections = forms.MultipleChoiceField(
        label=_("Onderdelen die weer open gaan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplement_sections"].choices = sections


class InterviewScheduleForm(forms.Form):
    date = DateField(
        label=_("Datum"), widget=DATE_INPUT, error_messages={"required": _("Vul een datum in.")}
    )
    time = forms.TimeField(
        label=_("Tijd"), widget=TimeInput(), error_messages={"required": _("Vul een tijd in.")}
    )
    location = forms.CharField(
        label=_("Plaats"),
        max_length=Interview._meta.get_field("location").max_length,
        required=False,
        help_text=_("Het adres waar het gesprek plaatsvindt."),
    )
    online_link = forms.URLField(
        label=_("Of: link voor een online gesprek"),
        max_length=Interview._meta.get_field("online_link").max_length,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Vul een volledige link in, die begint met https://.")},
    )

    @classmethod
    def initial_of(cls, interview: Interview | None) -> dict:
        if interview is None:
            return {}
        local = timezone.localtime(interview.starts_at)
        return {
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "location": interview.location,
            "online_link": interview.online_link,
        }

    def starts_at(self) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        )


class InterviewRecordForm(forms.Form):
    """The interview as held: the date, general notes and a note per criterion (AS-4)."""

    held_on = DateField(
        label=_("Gehouden op"),
        widget=DATE_INPUT,
        error_messages={"required": _("Vul de datum van het gesprek in.")},
    )
    notes = _text(Interview, "notes", label=_("Algemene aantekeningen"), rows=6)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        limit = text_limit(Interview._meta.get_field("notes"))
        for criterion in criteria:
            self.fields[f"note_{criterion.key}"] = forms.CharField(
                label=f"{criterion.code} {criterion.title}",
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=limit,
                required=False,
            )

    def criterion_notes(self) -> dict[str, str]:
        return {
            criterion.key: self.cleaned_data.get(f"note_{criterion.key}", "")
            for criterion in self.criteria
        }

    def note_fields(self):
        return [(criterion, self[f"note_{criterion.key}"]) for criterion in self.criteria]
