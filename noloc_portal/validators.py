"""What a value typed or imported into the portal may be: a date within a plausible range, a
text within a length that keeps a dossier readable.

The bounds live here, once, for every door: the forms (``noloc_portal.forms``), the API and the
import (``portfolios.exchange``: the reader for dates, the column check for texts). They bound
input, not the columns: what is stored already is shown as it is (no migration).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class DateRange:
    earliest: date
    latest: date

    def __contains__(self, day: date) -> bool:
        return self.earliest <= day <= self.latest


# Any date: a recertification date, a diploma or report date.
DATES = DateRange(date(1900, 1, 1), date(2100, 12, 31))
# Something that happened in a career that is still being certified: a meeting, an activity,
# a case. Nothing before 1950.
EVENT_DATES = DateRange(date(1950, 1, 1), DATES.latest)


@deconstructible
class DateRangeValidator:
    """Refuse a date outside ``dates`` with a Dutch message naming the range."""

    code = "date_range"

    def __init__(self, dates: DateRange = DATES) -> None:
        self.dates = dates

    def __call__(self, value: date) -> None:
        if value not in self.dates:
            raise ValidationError(
                _("Vul een datum in tussen %(earliest)s en %(latest)s.")
                % {
                    "earliest": formats.date_format(self.dates.earliest, "j F Y"),
                    "latest": formats.date_format(self.dates.latest, "j F Y"),
                },
                code=self.code,
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRangeValidator) and other.dates == self.dates


class TextLimit(enum.IntEnum):
    """The most characters a text may hold, by what it is (an A4 page holds about 2,500)."""

    NOTE = 2_000  # a reason, a short description or explanation
    ANSWER = 5_000  # one answer among many: a knowledge area, a competence, an agenda
    ACCOUNT = 10_000  # one task of a case, a motivation
    PART = 20_000  # one part of a reflection report, a development plan, a look-back


# Text columns (TextField) with a limit of their own, by "app_label.Model.field"; every other
# text column holds at most TextLimit.PART. A character column's limit is its max_length.
TEXT_LIMITS: dict[str, TextLimit] = {
    "portfolios.FacilitatorConfirmation.facilitator_note": TextLimit.NOTE,
    "portfolios.LoopbaanDetails.motivation": TextLimit.ACCOUNT,
    "portfolios.LoopbaanDetails.diversity": TextLimit.ANSWER,
    "portfolios.Case.rationale": TextLimit.ANSWER,
    "portfolios.CaseTask.text": TextLimit.ACCOUNT,
    "portfolios.CaseText.text": TextLimit.ANSWER,
    "kwaliteitskringen.Circle.description": TextLimit.NOTE,
    "kwaliteitskringen.Circle.objective": TextLimit.ANSWER,
    "kwaliteitskringen.Meeting.agenda": TextLimit.ANSWER,
    "kwaliteitskringen.AnnualReport.objective": TextLimit.ANSWER,
    "kwaliteitskringen.Subgroup.purpose": TextLimit.NOTE,
    "kwaliteitskringen.ProgrammeItem.note": TextLimit.NOTE,
    "kwaliteitskringen.FoundingRequest.motivation": TextLimit.NOTE,
    "kwaliteitskringen.FoundingRequest.decision_reason": TextLimit.NOTE,
    "assessments.Assignment.decline_reason": TextLimit.NOTE,
    "assessments.Judgement.explanation": TextLimit.ANSWER,
}


def text_limit(field: models.Field) -> int | None:
    """The most characters a text column takes as input, or None for a column of another kind."""
    if isinstance(field, models.TextField):
        label = f"{field.model._meta.label}.{field.name}"
        return int(TEXT_LIMITS.get(label, TextLimit.PART))
    if isinstance(field, models.CharField):
        return field.max_length
    return None
