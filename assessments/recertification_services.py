"""State changes around a registration that runs out (AS-5): the reminders to its owner and the
start of the recertification portfolio that renews it.

Reminders go out 12, 6 and 3 months before the registration ends, each at most once
(``RegistrationReminder``, unique per registration and stage). A run sends the stage that is
due on its day: a run that is late still sends it, but a stage that was missed altogether (the
portal was down, or the registration was entered when the later stage had already begun) is not
sent afterwards, so nobody receives two or three reminders in one burst. No reminder goes to a
registration that has ended, that was renewed, or whose owner's recertification portfolio is
already submitted; a portfolio still being prepared is named in the reminder.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Registration, RegistrationReminder, ReminderMonths
from assessments.notifications import site_url
from assessments.recertification_selectors import (
    ASSESSING,
    current_registrations,
    months_before,
    recertification_frameworks,
    recertification_portfolio,
    register_label,
)
from noloc_portal.mail import mail_after_commit
from portfolios.models import Portfolio
from portfolios.permissions import can_start_portfolio

logger = logging.getLogger(__name__)

# Latest stage first: the stage due on a day is the latest one whose date has come.
STAGES = sorted(ReminderMonths.values)


class RecertificationError(Exception):
    """A recertification that cannot start; the message is Dutch, for the page."""


def due_stage(valid_until: date, *, as_of: date) -> int | None:
    """The reminder stage (months before the end) due on ``as_of``, or None before the first
    one and after the registration has ended."""
    if as_of > valid_until:
        return None
    for months in STAGES:
        if as_of >= months_before(valid_until, months):
            return months
    return None


def send_registration_reminders(*, as_of: date | None = None) -> int:
    """Beat (daily): send every reminder due on ``as_of`` (today) to owners whose account is
    active; returns how many went out."""
    as_of = as_of or timezone.localdate()
    candidates = current_registrations().filter(
        owner__is_active=True,
        valid_until__gte=as_of,
        valid_until__lte=months_before(as_of, -max(STAGES)),
    )
    sent = 0
    for pk in candidates.order_by("valid_until", "pk").values_list("pk", flat=True):
        if send_registration_reminder(registration_pk=pk, as_of=as_of):
            sent += 1
    return sent


def send_registration_reminder(*, registration_pk: int, as_of: date) -> RegistrationReminder | None:
    """The reminder due on ``as_of`` for one registration, recorded and e-mailed after commit;
    None when none is due, it went out already, or a later stage did."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("owner")
            .get(pk=registration_pk)
        )
        months = due_stage(registration.valid_until, as_of=as_of)
        if months is None:
            return None
        if not current_registrations().filter(pk=registration.pk).exists():
            return None
        if registration.reminders.filter(months__lte=months).exists():
            return None
        portfolio = recertification_portfolio(registration)
        if portfolio is not None and portfolio.state in ASSESSING:
            return None
        reminder = RegistrationReminder.objects.create(
            registration=registration,
            months=months,
            due_on=months_before(registration.valid_until, months),
            portfolio_state=portfolio.state if portfolio is not None else "",
        )
        _mail_reminder(
            registration=registration, reminder=reminder, portfolio=portfolio, as_of=as_of
        )
    logger.info("registration %s: %s-month reminder sent", registration.pk, months)
    return reminder


def _mail_reminder(*, registration, reminder, portfolio: Portfolio | None, as_of: date) -> None:
    owner = registration.owner
    mail_after_commit(
        address=owner.email,
        template="assessments/registration_reminder",
        context={
            "recipient": owner,
            "registration": registration,
            "reminder": reminder,
            "days_left": (registration.valid_until - as_of).days,
            "register": register_label(registration.register),
            "portfolio": portfolio,
            "can_start": bool(recertification_frameworks(registration.register)),
            "start_link": site_url("assessments:recertify", registration.pk),
            "portfolio_link": (
                site_url("portfolios:detail", portfolio.pk) if portfolio is not None else ""
            ),
            "password_reset_link": settings.SITE_URL.rstrip("/")
            + reverse("accounts:password_reset"),
        },
    )


def start_recertification(*, registration: Registration, by) -> Portfolio:
    """Start the portfolio that renews ``registration``, for its owner; its recertification date
    is the registration's end (the framework reads it through portfolios.hooks). A portfolio
    already being prepared or assessed is returned instead (a second click starts nothing).

    Raises RecertificationError for someone else's or a renewed registration, or a register
    without a recertification portfolio in the portal."""
    if registration.owner_id != by.pk or not can_start_portfolio(by):
        raise RecertificationError(_("Alleen de geregistreerde zelf start de hercertificering."))
    frameworks = recertification_frameworks(registration.register)
    if not frameworks:
        raise RecertificationError(
            _(
                "Voor dit register kun je de hercertificering (nog) niet in het portaal "
                "voorbereiden. Het secretariaat vertelt je hoe het werkt."
            )
        )
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if not current_registrations().filter(pk=locked.pk).exists():
            raise RecertificationError(_("Deze registratie is al verlengd."))
        existing = recertification_portfolio(locked)
        if existing is not None:
            return existing
        return frameworks[0].start(owner=by, data={})
