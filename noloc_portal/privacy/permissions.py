"""Who may see a person's data: that person, and nobody else through these pages (the
secretariat works in the admin)."""

from noloc_portal.privacy.models import AccountRemovalRequest, DataExport


def can_download_export(user, export: DataExport) -> bool:
    return user.is_authenticated and export.user_id == user.pk


def can_withdraw_removal(user, request: AccountRemovalRequest) -> bool:
    return user.is_authenticated and request.user_id == user.pk and request.is_open
