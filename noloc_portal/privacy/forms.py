from django import forms
from django.utils.translation import gettext_lazy as _


class RemovalRequestForm(forms.Form):
    """Asking for removal: an optional reason, confirmed with the password."""

    reason = forms.CharField(
        label=_("Reden (niet verplicht)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Helpt het secretariaat; je hoeft geen reden te geven."),
    )
    password = forms.CharField(
        label=_("Je wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Ter bevestiging dat jij het bent."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Dit wachtwoord klopt niet."))
        return password


class DeclineRemovalForm(forms.Form):
    note = forms.CharField(
        label=_("Toelichting voor de aanvrager"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Gaat mee in de e-mail: waarom het verzoek (nu) niet wordt uitgevoerd."),
    )


class CarryOutRemovalForm(forms.Form):
    note = forms.CharField(
        label=_("Toelichting voor de aanvrager (niet verplicht)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
