"""Forms of the assessment pages; each one only parses input, the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.models import Decision, DecisionOutcome, Judgement, Verdict
from assessments.selectors import OPEN_STATES, Candidate, assessors
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
    assessor = forms.ModelChoiceField(
        label=_("Assessor"), queryset=assessors(), required=False, empty_label=_("Iedereen")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].choices = [("", _("Alle registers"))] + [
            (framework.code, framework.label) for framework in registry.frameworks()
        ]
        labels = dict(PortfolioState.choices)
        self.fields["state"].choices = [
            ("", _("Alle openstaande")),
            *((state, labels[state]) for state in OPEN_STATES),
            (DECIDED_FILTER, labels[DECIDED_FILTER]),
        ]

    def filters(self) -> dict:
        """The valid filters as arguments of selectors.certification_queue."""
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
