from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from noloc_portal.accounts.models import User


class AdminUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "membership_number"]


class AdminUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
