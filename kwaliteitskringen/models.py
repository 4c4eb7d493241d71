from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CircleStatus(models.TextChoices):
    OPEN = "open", _("Open voor aanmeldingen")
    FULL = "full", _("Vol")
    WAITING_LIST = "waiting_list", _("Wachtlijst")


class Circle(models.Model):
    """A local quality circle (KK-1, KK-8)."""

    name = models.CharField(_("naam"), max_length=200)
    region = models.CharField(_("regio"), max_length=100)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordinated_circles",
        verbose_name=_("kringcoördinator"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CircleStatus.choices, default=CircleStatus.OPEN
    )

    class Meta:
        verbose_name = _("kwaliteitskring")
        verbose_name_plural = _("kwaliteitskringen")
        ordering = ["region", "name"]

    def __str__(self) -> str:
        return self.name
