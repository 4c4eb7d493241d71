from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from noloc_portal.accounts import otp_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("overal-uitloggen/", views.logout_everywhere, name="logout_everywhere"),
    path(
        "wachtwoord/wijzigen/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "wachtwoord/gewijzigd/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "wachtwoord/vergeten/",
        views.ThrottledPasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "wachtwoord/vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord/herstellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord/hersteld/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account-aanmaken/", views.signup, name="signup"),
    path("account-aanmaken/verstuurd/", views.signup_done, name="signup_done"),
    path("account-aanmaken/opnieuw/", views.signup_resend, name="signup_resend"),
    path(
        "account-aanmaken/bevestigen/<uidb64>/<token>/",
        views.signup_verify,
        name="signup_verify",
    ),
    path("tweestaps/", otp_views.verify, name="otp_verify"),
    path("tweestaps/instellen/", otp_views.setup, name="otp_setup"),
    path("tweestaps/herstelcodes/", otp_views.recovery_codes, name="otp_recovery_codes"),
]
