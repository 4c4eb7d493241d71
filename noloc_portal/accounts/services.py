from django.db import transaction

from noloc_portal.accounts.models import User
from noloc_portal.accounts.tokens import revoke_api_tokens


def log_out_everywhere(*, user: User, password: str) -> None:
    """End every session and the API token of the person (they confirmed with `password`).

    Django ties each session to the password hash (`get_session_auth_hash`), so storing the
    same password again under a new salt ends every session, on every device.
    """
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        revoke_api_tokens(user=user)
