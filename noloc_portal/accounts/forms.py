import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from noloc_portal.accounts.models import User


class AdminUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "membership_number"]


class AdminUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class LogoutEverywhereForm(forms.Form):
    password = forms.CharField(
        label=_("Je wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Dit wachtwoord klopt niet."), code="password_incorrect")
        return password


MEMBERSHIP_NUMBER = re.compile(r"^N?[\s-]*(\d{5})$", re.IGNORECASE)


def normalize_membership_number(value: str) -> str:
    """A Noloc membership number as the member records write it: ``N-`` and five digits.

    The framework documents state no format; the portal takes the one of the numbers it holds
    (``N-10231``), and accepts it typed with or without the ``N``, the hyphen or a space.
    Raises ValidationError with a Dutch message for anything else.
    """
    match = MEMBERSHIP_NUMBER.match(value.strip())
    if not match:
        raise forms.ValidationError(
            _(
                "Een Noloc-lidnummer is N- met vijf cijfers, zoals N-10231. Ben je geen lid, "
                "laat het veld dan leeg."
            ),
            code="membership_number",
        )
    return f"N-{match.group(1)}"


class SignupForm(forms.Form):
    """A new account. No check here says whether the address is known (the service mails the
    address instead), so the form cannot be used to find out who has an account."""

    full_name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        help_text=_("Voor- en achternaam, zoals je in het register wilt staan."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Hiermee log je in. We sturen er een link naartoe om het te bevestigen."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    membership_number = forms.CharField(
        label=_("Noloc-lidnummer"),
        max_length=20,
        required=False,
        help_text=_(
            "Ben je lid van Noloc? Vul dan je lidnummer in (zoals N-10231); het secretariaat "
            "controleert het. Voor de kwaliteitskringen is het lidmaatschap nodig."
        ),
    )
    place = forms.CharField(
        label=_("Plaats"),
        max_length=100,
        required=False,
        help_text=_("De plaats waar je woont of werkt."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    show_place_in_register = forms.BooleanField(
        label=_("Toon mijn plaats in het openbare register"),
        required=False,
        help_text=_("Zo vinden cliënten en opdrachtgevers een professional in de buurt."),
    )
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Minstens 8 tekens, niet alleen cijfers, geen veelgebruikt wachtwoord en niet te "
            "veel gelijk aan je naam of e-mailadres."
        ),
    )
    password2 = forms.CharField(
        label=_("Wachtwoord herhalen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_membership_number(self):
        value = self.cleaned_data["membership_number"].strip()
        return normalize_membership_number(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("show_place_in_register") and not cleaned.get("place", "").strip():
            self.add_error(
                "place",
                _("Vul je plaats in, of zet het vinkje voor het register uit."),
            )
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif password1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
