"""Forms of the assessment pages; each one only parses input, the services decide."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.models import (
    Advice,
    AdviceOutcome,
    Decision,
    DecisionOutcome,
    Interview,
    Judgement,
    Verdict,
)
from assessments.selectors import OPEN_STATES, Candidate, assessor_choices
from noloc_portal.forms import DateField
from noloc_portal.validators import TextLimit, text_limit
from portfolios import registry
from portfolios.forms import DATE_INPUT
from portfolios.models import PortfolioState

# --- coordinator: queue filters, assignment, decision ------------------------------------------

DECIDED_FILTER = PortfolioState.DECIDED


class QueueFilterForm(forms.Form):
    """The filters of the certification queue (GET); an invalid value is shown and ignored."""

    register = forms.ChoiceField(label=_("Register"), required=False)
    state = forms.ChoiceField(label=_("Status"), required=False)
    waiting = forms.IntegerField(
        label=_("Wacht langer dan (dagen)"), required=False, min_value=0, max_value=3650
    )
    # The assessors listed are the choices: a pick is checked against them, without a query.
    assessor = forms.TypedChoiceField(
        label=_("Assessor"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, assessors: list[tuple[int, str]] | None = None, **kwargs):
        """``assessors``: the choices of the assessor filter when read already
        (:func:`assessor_choices`)."""
        super().__init__(*args, **kwargs)
        self.fields["register"].choices = [("", _("Alle registers"))] + [
            (framework.code, framework.label) for framework in registry.frameworks()
        ]
        # The assessors read once (a prepared query) serve both the choices shown and the key of
        # the form's rendered HTML (noloc_portal.lists.form_html).
        self.fields["assessor"].choices = [
            ("", _("Iedereen")),
            *(assessor_choices() if assessors is None else assessors),
        ]
        labels = dict(PortfolioState.choices)
        self.fields["state"].choices = [
            ("", _("Alle openstaande")),
            *((state, labels[state]) for state in OPEN_STATES),
            (DECIDED_FILTER, labels[DECIDED_FILTER]),
        ]

    def filters(self) -> dict:
        """The valid filters as arguments of selectors.certification_queue (nothing filtered:
        :data:`UNFILTERED`)."""
        data = self.cleaned_data if self.is_valid() else {}
        states = OPEN_STATES
        if data.get("state"):
            states = (data["state"],)
        return {
            "states": states,
            "framework": data.get("register") or "",
            "waiting_longer_than": data.get("waiting"),
            "assessor": data.get("assessor"),
        }


# What QueueFilterForm.filters() gives when nothing is filtered.
UNFILTERED = {"states": OPEN_STATES, "framework": "", "waiting_longer_than": None, "assessor": None}


class AssignForm(forms.Form):
    """AS-2: pick the assessor(s) of the current round from the candidates."""

    assessors = forms.MultipleChoiceField(
        label=_("Assessoren"), widget=forms.CheckboxSelectMultiple, required=True
    )
    confirm_conflict = forms.BooleanField(
        label=_(
            "Ik heb de mogelijke belangenverstrengeling bekeken en wijs deze assessor toch toe."
        ),
        required=False,
    )

    def __init__(self, *args, candidates: list[Candidate], places: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(c.assessor.pk): c for c in candidates}
        self.places = places
        self.fields["assessors"].choices = [
            (key, str(c.assessor)) for key, c in self.candidates.items()
        ]
        self.fields["assessors"].error_messages["required"] = _("Kies een assessor.")

    def clean_assessors(self):
        chosen = self.cleaned_data["assessors"]
        if len(chosen) > self.places:
            raise forms.ValidationError(
                ngettext(
                    "Deze ronde heeft nog plaats voor %(n)d assessor.",
                    "Deze ronde heeft nog plaats voor %(n)d assessoren.",
                    self.places,
                )
                % {"n": self.places}
            )
        return [self.candidates[key] for key in chosen]

    def clean(self):
        cleaned = super().clean()
        conflicted = [c for c in cleaned.get("assessors", []) if c.conflict]
        if conflicted and not cleaned.get("confirm_conflict"):
            self.add_error(
                "confirm_conflict",
                _(
                    "%(names)s zit in dezelfde kwaliteitskring als de eigenaar. Bevestig dat je "
                    "toch wilt toewijzen, of kies iemand anders."
                )
                % {"names": ", ".join(str(c.assessor) for c in conflicted)},
            )
        return cleaned


class DecisionForm(forms.Form):
    """AS-5: the certifying body's decision on the advice."""

    outcome = forms.ChoiceField(
        label=_("Besluit"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    decided_on = DateField(label=_("Datum besluit"), widget=DATE_INPUT)
    notes = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=text_limit(Decision._meta.get_field("notes")),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("decided_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=int(TextLimit.NOTE),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vul de reden in waarom je deze beoordeling afwijst.")},
    )


class JudgementsForm(forms.Form):
    """A verdict and an explanation per criterion, as ``verdict-<key>`` / ``explanation-<key>``;
    every field may stay empty in a draft (finishing checks completeness)."""

    @staticmethod
    def explanation_limit() -> int:
        return text_limit(Judgement._meta.get_field("explanation"))

    def __init__(self, *args, criteria, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        limit = self.explanation_limit()
        for criterion in criteria:
            self.fields[f"verdict-{criterion.key}"] = forms.ChoiceField(
                choices=Verdict.choices,
                required=False,
                error_messages={"invalid_choice": _("Kies een van de oordelen.")},
            )
            self.fields[f"explanation-{criterion.key}"] = forms.CharField(
                required=False,
                max_length=limit,
                strip=False,
                error_messages={
                    "max_length": _("Houd de toelichting onder de %(limit_value)d tekens.")
                },
            )

    def typed(self) -> dict[str, tuple[str, str]]:
        """What was posted per criterion, valid or not (shown again on an error)."""
        return {
            criterion.key: (
                str(self.data.get(f"verdict-{criterion.key}", "")),
                str(self.data.get(f"explanation-{criterion.key}", "")),
            )
            for criterion in self.criteria
        }

    def values(self) -> dict[str, tuple[str, str]]:
        return {
            criterion.key: (
                self.cleaned_data[f"verdict-{criterion.key}"],
                self.cleaned_data[f"explanation-{criterion.key}"].strip(),
            )
            for criterion in self.criteria
        }

    def criterion_errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        for name, messages in self.errors.items():
            key = name.split("-", 1)[-1]
            errors[key] = " ".join(str(message) for message in messages)
        return errors


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


class ExpiringRegistrationsForm(forms.Form):
    """The horizon of the list of registrations running out (GET); an invalid value is shown
    and the default used."""

    DEFAULT = 6

    months = forms.TypedChoiceField(
        label=_("Aflopend binnen"),
        coerce=int,
        choices=[
            (3, _("3 maanden")),
            (6, _("6 maanden")),
            (12, _("12 maanden")),
        ],
        initial=DEFAULT,
        required=False,
        empty_value=DEFAULT,
    )

    def horizon(self) -> int:
        return self.cleaned_data["months"] if self.is_valid() else self.DEFAULT


# --- the assessor's PE statement (JC-B category 4) ----------------------------------------------


class PEStatementPeriodForm(forms.Form):
    """The period of an assessor's PE statement; without input the previous calendar year."""

    period_start = DateField(label=_("Van"), widget=DATE_INPUT)
    period_end = DateField(label=_("Tot en met"), widget=DATE_INPUT)

    @staticmethod
    def default_period(today) -> dict:
        return {
            "period_start": today.replace(year=today.year - 1, month=1, day=1),
            "period_end": today.replace(year=today.year - 1, month=12, day=31),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Het einde van de periode ligt vóór het begin."))
        return data
