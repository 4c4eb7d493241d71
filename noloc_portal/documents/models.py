import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from noloc_portal.loading import FastLoading


def storage_key(instance: "Document", filename: str) -> str:
    # A random key: the user's file name is kept for display only, never as a path.
    return f"documents/{instance.uuid.hex[:2]}/{instance.uuid.hex}"


class Document(FastLoading, models.Model):
    """An uploaded file (evidence, CV, statement). Read access is decided by permissions.py."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("eigenaar"),
    )
    file = models.FileField(_("bestand"), upload_to=storage_key, max_length=200)
    original_name = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(_("bestandstype"), max_length=100)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
