"""A person's own data (AVG/GDPR): the download of everything the portal holds about them
(right of access and portability) and the request to remove the account (right to erasure).

The secretariat carries out or declines a removal request; what is kept for the register and the
certification records, and why, is in :mod:`noloc_portal.privacy.services`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExportState(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


def export_key(instance: "DataExport", filename: str) -> str:
    # A random key: the zip holds everything about a person, its path must not be guessable.
    return f"data-exports/{instance.key.hex}.zip"


class DataExport(models.Model):
    """One download of a person's data, built in the background; removed when it expires."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("gebruiker"),
    )
    state = models.CharField(
        _("status"), max_length=10, choices=ExportState.choices, default=ExportState.QUEUED
    )
    file = models.FileField(_("bestand"), upload_to=export_key, blank=True, max_length=200)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"), null=True, blank=True)
    error = models.TextField(_("laatste fout"), blank=True)
    requested_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    expires_at = models.DateTimeField(_("beschikbaar tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("download van eigen gegevens")
        verbose_name_plural = _("downloads van eigen gegevens")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} – {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.state in (ExportState.QUEUED, ExportState.RUNNING)


class RemovalState(models.TextChoices):
    REQUESTED = "requested", _("Aangevraagd")
    WITHDRAWN = "withdrawn", _("Ingetrokken")
    DONE = "done", _("Uitgevoerd")
    DECLINED = "declined", _("Afgewezen")


class AccountRemovalRequest(models.Model):
    """A person asks for their account to be removed; the secretariat carries it out or
    declines it with a note. One open request per person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="removal_requests",
        verbose_name=_("gebruiker"),
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    reason = models.TextField(_("reden"), blank=True, max_length=2000)
    state = models.CharField(
        _("status"), max_length=10, choices=RemovalState.choices, default=RemovalState.REQUESTED
    )
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgehandeld door"),
    )
    handled_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    note = models.TextField(
        _("toelichting van het secretariaat"),
        blank=True,
        max_length=2000,
        help_text=_("Gaat mee in de e-mail aan de aanvrager."),
    )
    # What the removal did and kept, counted when it was carried out (the record of it).
    outcome = models.JSONField(_("uitkomst"), default=dict, blank=True)

    class Meta:
        verbose_name = _("verzoek om verwijdering van account")
        verbose_name_plural = _("verzoeken om verwijdering van account")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state="requested"),
                name="privacy_one_open_removal_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.requested_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.state == RemovalState.REQUESTED
