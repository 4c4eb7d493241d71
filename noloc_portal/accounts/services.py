from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from noloc_portal.accounts.models import Role, RoleGrant, User
from noloc_portal.accounts.tokens import revoke_api_tokens
from noloc_portal.accounts.verification import verification_path
from noloc_portal.audit.services import record_security_event
from noloc_portal.mail import mail_after_commit


def log_out_everywhere(*, user: User, password: str) -> None:
    """End every session and the API token of the person (they confirmed with `password`).

    Django ties each session to the password hash (`get_session_auth_hash`), so storing the
    same password again under a new salt ends every session, on every device.
    """
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        revoke_api_tokens(user=user)


# --- sign-up -------------------------------------------------------------------------------


def awaits_verification(user: User) -> bool:
    """An account made by sign-up whose address is not confirmed yet: inactive, never logged
    in and without a role (the role comes with the confirmation). An account the secretariat
    closed has logged in or holds a role, so no link ever opens it again."""
    return not user.is_active and user.last_login is None and not user.role_grants.exists()


def sign_up(
    *,
    email: str,
    full_name: str,
    password: str,
    membership_number: str = "",
    place: str = "",
    show_place_in_register: bool = False,
    next_url: str = "",
) -> None:
    """Create an account that cannot log in yet, and mail the link that confirms the address.

    The caller's answer must not tell whether the address had an account. A known address is
    left as it is and gets a mail instead: a new link when the account still awaits its
    confirmation, otherwise word that an account exists, with a link to choose a new password.
    ``next_url`` (a path on this site, checked by the caller) is where the link leads after it.
    """
    email = User.objects.normalize_email(email).strip().lower()
    # Hashed for a known address too, so that both answers take as long.
    password_hash = make_password(password)
    with transaction.atomic():
        existing = User.objects.select_for_update().filter(email__iexact=email).first()
        if existing is None:
            try:
                with transaction.atomic():
                    user = User.objects.create(
                        email=email,
                        full_name=full_name.strip(),
                        password=password_hash,
                        membership_number=membership_number,
                        place=place.strip(),
                        show_place_in_register=show_place_in_register and bool(place.strip()),
                        is_active=False,
                    )
            except IntegrityError:  # the same address signed up at the same moment
                existing = User.objects.get(email__iexact=email)
        if existing is not None:
            record_security_event(action="account.signup_known_address", target=existing)
            _mail_known_address(user=existing, next_url=next_url)
            return
        record_security_event(action="account.signup", target=user, actor_label=email)
        _mail_verification_link(user=user, next_url=next_url)


def resend_verification(*, email: str, next_url: str = "") -> None:
    """Mail a new confirmation link to an account that awaits one; to another known address
    the mail that says an account exists; to an unknown address nothing (the page answers the
    same in every case)."""
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is not None:
            _mail_known_address(user=user, next_url=next_url)


def verify_email(*, user: User) -> User:
    """Open the account whose confirmation link was followed (the caller checked the token):
    active, with the professional role. Taken twice, the second changes nothing."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            return user
        user.is_active = True
        user.save(update_fields=["is_active"])
        RoleGrant.objects.get_or_create(user=user, role=Role.PROFESSIONAL)
        record_security_event(action="account.verified", target=user, actor_label=user.email)
    return user


def mark_membership_verified(*, user: User, by: User) -> bool:
    """The secretariat checked the membership number in the member records.

    False (and nothing changes) when the account has no membership number to check.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.membership_number:
            return False
        if not user.membership_verified:
            user.membership_verified = True
            user.save(update_fields=["membership_verified"])
            record_security_event(
                action="account.membership_verified",
                actor=by,
                target=user,
                membership_number=user.membership_number,
            )
    return True


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _mail_verification_link(*, user: User, next_url: str) -> None:
    uid, token = verification_path(user)
    url = _site(reverse("accounts:signup_verify", args=[uid, token]))
    if next_url:
        url += "?" + urlencode({"next": next_url})
    hours = int(settings.SIGNUP_VERIFICATION_TIMEOUT.total_seconds() // 3600)
    mail_after_commit(
        address=user.email,
        template="accounts/verify_email",
        context={"user": user, "url": url, "hours": hours},
    )


def _mail_known_address(*, user: User, next_url: str) -> None:
    if awaits_verification(user):
        _mail_verification_link(user=user, next_url=next_url)
        return
    context = {"user": user, "login_url": _site(reverse("accounts:login"))}
    if user.is_active and user.has_usable_password():
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        context["reset_url"] = _site(reverse("accounts:password_reset_confirm", args=[uid, token]))
    mail_after_commit(address=user.email, template="accounts/account_exists", context=context)
