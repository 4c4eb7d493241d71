import re
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from noloc_portal.loading import FastLoading
from portfolios import registry


class PortfolioState(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend")
    IN_ASSESSMENT = "in_assessment", _("In beoordeling")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Aanvulling gevraagd")
    ADVISED = "advised", _("Advies uitgebracht")
    DECIDED = "decided", _("Besluit genomen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


def document_field(verbose_name):
    return models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class Portfolio(FastLoading, models.Model):
    """A professional's portfolio for one certification: what every framework shares. Each
    framework keeps its own sections on rows of its own (a one-to-one details row and the
    repeating parts), in its package's models module."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="portfolios",
        verbose_name=_("eigenaar"),
    )
    framework = models.CharField(_("kader"), max_length=40, choices=registry.framework_choices)
    framework_version = models.CharField(_("versie van het kader"), max_length=20)
    state = models.CharField(
        _("status"), max_length=30, choices=PortfolioState.choices, default=PortfolioState.DRAFT
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    # The moment of the last step in the workflow (a transition in the audit trail, not an edit),
    # else the submission: how long the portfolio has waited, the order of the certification
    # queue. Kept by portfolios.services.record with every step it records, so that the queue
    # reads a page of its order through an index instead of the trail of every open portfolio.
    waiting_since = models.DateTimeField(_("wacht sinds"), null=True, blank=True, editable=False)

    # What every framework asks for: a cv, and the code of conduct and complaints declarations.
    cv = document_field(_("cv"))
    declares_code_of_conduct = models.BooleanField(
        _("verklaart de gedragscode te kennen en ernaar te werken"), default=False
    )
    declares_complaints_regulation = models.BooleanField(
        _("verklaart de klachtenregeling te kennen"), default=False
    )
    # AS-1: the sections (checklist keys) a supplement request reopens; empty otherwise.
    reopened_sections = models.JSONField(_("heropende onderdelen"), default=list, blank=True)

    class Meta:
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolio's")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["waiting_since", "id"], name="portfolio_waiting_order"),
            # The certification queue counts the portfolios in its states from this index
            # alone, not by reading every portfolio (drafts are most of them).
            models.Index(fields=["state"], name="portfolio_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_framework_display()} – {self.owner}"

    def save(self, *args, **kwargs):
        # Submitted without a step in the trail yet (the step follows, or the row was written
        # directly): it waits since its submission.
        if self.waiting_since is None and self.submitted_at is not None:
            self.waiting_since = self.submitted_at
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "waiting_since"}
        super().save(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        """The whole portfolio can change: only a draft."""
        return self.state == PortfolioState.DRAFT

    def is_section_editable(self, section: str | None) -> bool:
        """A draft, or a section a supplement request reopened (AS-1)."""
        if self.is_editable:
            return True
        return (
            self.state == PortfolioState.SUPPLEMENT_REQUESTED
            and section is not None
            and section in self.reopened_sections
        )

    @property
    def summary_values(self) -> dict[str, Any]:
        """What the framework shows of its own rows wherever the portfolio is named (the list,
        the page heading, the API), by name; ``{}`` when it shows nothing."""
        summary = registry.get(self.framework).summary_values
        return {} if summary is None else summary(self)


# Audit actions that change a portfolio's content, not its place in the workflow: the waiting
# time counts from the last event that is not one of these.
CONTENT_ACTIONS = ("created", "section_saved", "imported", "circle_meeting_added")
CONTENT_ACTION_PATTERN = r"_(added|changed|removed)$|^confirmation"
_CONTENT_ACTION = re.compile(CONTENT_ACTION_PATTERN)


def is_transition(action: str) -> bool:
    """An audit action that moves the portfolio in the workflow (submit, assignment, advice,
    decision ...), not one that changes its content."""
    return action not in CONTENT_ACTIONS and _CONTENT_ACTION.search(action) is None


def waiting_since_from_trail():
    """The expression of ``Portfolio.waiting_since`` read from the audit trail: the last
    transition, else the submission (to repair or check the stored value)."""
    last = (
        AuditEvent.objects.filter(portfolio=OuterRef("pk"))
        .exclude(action__in=CONTENT_ACTIONS)
        .exclude(action__regex=CONTENT_ACTION_PATTERN)
        .order_by("-at")
        .values("at")[:1]
    )
    return Coalesce(Subquery(last), F("submitted_at"))


class AuditEvent(models.Model):
    """What happened to a portfolio, by whom (workflow.md: every transition is recorded)."""

    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.CASCADE, related_name="events", verbose_name=_("portfolio")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    action = models.CharField(_("actie"), max_length=50)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.action} ({self.at:%Y-%m-%d %H:%M})"


class Submission(models.Model):
    """A frozen snapshot: the engine's input (the exchange document) and output at submit."""

    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("portfolio")
    )
    number = models.PositiveSmallIntegerField(_("volgnummer"))
    submitted_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    document = models.JSONField(_("portfolio (noloc-portfolio/1)"))
    evaluation = models.JSONField(_("toetsing"))

    class Meta:
        verbose_name = _("indiening")
        verbose_name_plural = _("indieningen")
        ordering = ["portfolio", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "number"], name="unique_submission_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.portfolio} – indiening {self.number}"
