"""The security log: logins, downloads and state changes, with who, when and from where."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    """One line of the security log. Rows are only ever added (the admin is read-only)."""

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    # The actor's e-mail address at the time, or the name tried at a failed login: the line
    # keeps saying who when the account is renamed or removed.
    actor_label = models.CharField(_("door (zoals ingelogd)"), max_length=254, blank=True)
    action = models.CharField(_("handeling"), max_length=60, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("soort object"),
    )
    target_id = models.CharField(_("object-id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("beveiligingsgebeurtenis")
        verbose_name_plural = _("beveiligingslog")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_label}".strip()
