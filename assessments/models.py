from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portfolios.models import Portfolio


class AssessmentRound(models.Model):
    """One round of assessment, opened on submit or resubmit (workflow.md)."""

    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("portfolio")
    )
    number = models.PositiveSmallIntegerField(_("ronde"))
    opened_at = models.DateTimeField(_("geopend op"), auto_now_add=True)

    class Meta:
        verbose_name = _("beoordelingsronde")
        verbose_name_plural = _("beoordelingsrondes")
        ordering = ["portfolio", "number"]
        constraints = [
            models.UniqueConstraint(fields=["portfolio", "number"], name="unique_round_number"),
        ]

    def __str__(self) -> str:
        return f"{self.portfolio} – ronde {self.number}"


class AssignmentState(models.TextChoices):
    PENDING_DECLARATION = (
        "pending_declaration",
        _("Wacht op verklaring geen belangenverstrengeling"),
    )
    JUDGING = "judging", _("Bezig met beoordelen")
    JUDGED = "judged", _("Beoordeeld")
    DECLINED = "declined", _("Afgewezen door assessor")


class Assignment(models.Model):
    """An assessor assigned to a round (AS-2)."""

    round = models.ForeignKey(
        AssessmentRound,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("ronde"),
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("assessor"),
    )
    state = models.CharField(
        _("status"),
        max_length=30,
        choices=AssignmentState.choices,
        default=AssignmentState.PENDING_DECLARATION,
    )
    assigned_at = models.DateTimeField(_("toegewezen op"), auto_now_add=True)
    decline_reason = models.TextField(_("reden van afwijzen"), blank=True)

    class Meta:
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "assessor"], name="unique_assessor_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} → {self.round}"
