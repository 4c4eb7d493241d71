"""Input of the assessor's pages (AS-2, AS-3): the decline reason and the judgements."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Judgement, Verdict
from noloc_portal.validators import TextLimit, text_limit


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
