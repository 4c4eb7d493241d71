from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderState(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


def pdf_key(instance: "RenderJob", filename: str) -> str:
    return f"reports/{instance.kind}/{instance.object_id}/v{instance.version}-{instance.pk}.pdf"


class RenderJob(models.Model):
    """One PDF rendering (workflow.md, render job). The row is the truth; the broker only
    carries its id. Each job is one version of a report; old versions are kept.

    A worker claims a job by setting it running with a lease (``lease_until``) that a heartbeat
    renews while it renders; ``attempts`` numbers the claims, so a copy whose claim was taken
    over cannot store its result."""

    kind = models.CharField(_("soort"), max_length=50)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    version = models.PositiveIntegerField(_("versie"))
    title = models.CharField(_("titel"), max_length=255)
    state = models.CharField(
        _("status"), max_length=10, choices=RenderState.choices, default=RenderState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    error = models.TextField(_("laatste fout"), blank=True)
    file = models.FileField(_("bestand"), upload_to=pdf_key, blank=True, max_length=200)
    page_count = models.PositiveIntegerField(_("aantal pagina's"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    # The reconciler publishes a queued job again when this is older than RENDER_REQUEUE_AFTER,
    # and takes a running job back when its worker stopped renewing lease_until.
    queued_at = models.DateTimeField(_("in de wachtrij sinds"), null=True, blank=True)
    lease_until = models.DateTimeField(_("worker bezig tot"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDF-opdracht")
        verbose_name_plural = _("PDF-opdrachten")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "version"],
                name="unique_render_version",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"
