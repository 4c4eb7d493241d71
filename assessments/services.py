"""Assessment-round transitions (workflow.md, assessment round)."""

from __future__ import annotations

from django.db import transaction

from assessments.models import AssessmentRound


def open_round(*, portfolio) -> AssessmentRound:
    """Open the next round of a portfolio; called inside the submit transaction."""
    with transaction.atomic():
        last = portfolio.rounds.order_by("-number").first()
        return AssessmentRound.objects.create(
            portfolio=portfolio, number=(last.number if last else 0) + 1
        )
