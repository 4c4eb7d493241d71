from django import forms
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
