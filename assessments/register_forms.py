"""Forms of the public register and of what a professional shows in it; they only parse input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.register_selectors import register_choices
from noloc_portal.accounts.models import User
from noloc_portal.forms import BoundedModelForm


class RegisterSearchForm(forms.Form):
    """The search of the public register (GET). A value too long or a register that does not
    exist is shown next to its field and the search runs without it."""

    naam = forms.CharField(label=_("Naam"), required=False, max_length=100)
    plaats = forms.CharField(label=_("Plaats"), required=False, max_length=100)
    register = forms.ChoiceField(label=_("Register"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].choices = [("", _("Alle registers")), *register_choices()]
        for name in ("naam", "plaats"):
            self.fields[name].widget.input_type = "search"
            self.fields[name].widget.attrs.update(autocomplete="off")

    def filters(self) -> dict[str, str]:
        """The valid filters as arguments of register_selectors.public_register."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "name": data.get("naam", ""),
            "place": data.get("plaats", ""),
            "register": data.get("register", ""),
        }

    @property
    def searched(self) -> bool:
        return any(self.filters().values())


class RegisterListingForm(BoundedModelForm):
    """What the public register shows of the professional: their place, and whether to show it."""

    class Meta:
        model = User
        fields = ["place", "show_place_in_register"]
        labels = {
            "place": _("Plaats"),
            "show_place_in_register": _("Toon mijn plaats in het openbare register"),
        }
        help_texts = {
            "place": _("De plaats waar je woont of werkt, zoals je die wilt laten zien."),
            "show_place_in_register": _(
                "Zonder vinkje staat alleen je naam in het register en vindt niemand je op plaats."
            ),
        }

    def clean_place(self) -> str:
        return " ".join(self.cleaned_data["place"].split())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("show_place_in_register") and not cleaned.get("place"):
            self.add_error(
                "place", _("Vul een plaats in, of zet het vinkje uit als je die niet wilt tonen.")
            )
        return cleaned
