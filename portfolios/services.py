"""Portfolio transitions every framework shares (workflow.md, portfolio; AS-1).

A framework's own writes live in its package's ``services`` module and use :func:`record`,
:func:`ensure_editable` and :class:`TransitionError` from here."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from noloc_portal.pdf.services import queue_report
from portfolios import hooks
from portfolios.dossier import DOSSIER
from portfolios.evaluation import Evaluation, evaluate
from portfolios.exchange.document import dump_document
from portfolios.models import AuditEvent, Portfolio, PortfolioState, Submission
from portfolios.permissions import acts_for_owner
from portfolios.snapshots import prefetch_for_snapshot, snapshot_of

logger = logging.getLogger(__name__)

CONFIRMATION_VALID_FOR = timedelta(days=30)


class TransitionError(Exception):
    """A transition refused: wrong state, not allowed, or rules not met. Message is Dutch."""


def record(*, portfolio: Portfolio, by, action: str, **detail) -> AuditEvent:
    return AuditEvent.objects.create(portfolio=portfolio, actor=by, action=action, detail=detail)


def today() -> date:
    return timezone.localdate()


def portfolio_snapshot(portfolio: Portfolio):
    """The engine's input for the portfolio as it is now in the database."""
    queryset = prefetch_for_snapshot(Portfolio.objects.filter(pk=portfolio.pk), portfolio.framework)
    return snapshot_of(queryset.get())


def frozen_evaluation(portfolio: Portfolio) -> Evaluation | None:
    """The verdict frozen at the latest submit (as of the submission date), if any."""
    submission = portfolio.submissions.order_by("-number").only("evaluation").first()
    return None if submission is None else Evaluation.from_json(submission.evaluation)


def evaluate_portfolio(
    portfolio: Portfolio, *, as_of: date | None = None, snapshot=None
) -> Evaluation:
    """The engine's verdict on a draft as it is now in the database (``snapshot``, when the
    caller built it already). Past draft every door shows the verdict frozen at submit, never a
    new one: the rules and their windows are judged as of the submission date (AS-1)."""
    if not portfolio.is_editable:
        frozen = frozen_evaluation(portfolio)
        if frozen is not None:
            return frozen
    return evaluate(snapshot or portfolio_snapshot(portfolio), as_of=as_of or today())


def ensure_editable(portfolio: Portfolio, *, by) -> None:
    if not acts_for_owner(by, portfolio):
        raise TransitionError(_("Alleen de eigenaar kan dit portfolio wijzigen."))
    if not portfolio.is_editable:
        raise TransitionError(
            _("Dit portfolio is %(state)s en kan niet meer worden gewijzigd.")
            % {"state": portfolio.get_state_display().lower()}
        )


def submit_portfolio(*, portfolio: Portfolio, by, now: datetime | None = None) -> Submission:
    """AS-1: lock the portfolio, freeze the snapshot and its evaluation, open a round.

    A second submit of the same portfolio (double click, second tab) returns the submission
    already made. Raises TransitionError when the evaluation is not submittable. ``by`` is the
    owner or staff submitting on their behalf; either is recorded as the submitter.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        if not acts_for_owner(by, locked):
            raise TransitionError(_("Alleen de eigenaar kan dit portfolio indienen."))
        if locked.state == PortfolioState.SUBMITTED:
            return locked.submissions.order_by("-number").first()
        if locked.state != PortfolioState.DRAFT:
            raise TransitionError(_("Dit portfolio is al ingediend."))
        fresh = prefetch_for_snapshot(
            Portfolio.objects.filter(pk=locked.pk), locked.framework
        ).get()
        snapshot = snapshot_of(fresh)
        result = evaluate(snapshot, as_of=timezone.localdate(now))
        if not result.submittable:
            raise TransitionError(
                _("Het portfolio voldoet nog niet aan alle eisen; zie de checklist.")
            )
        submission = Submission.objects.create(
            portfolio=locked,
            number=locked.submissions.count() + 1,
            submitted_by=by,
            document=dump_document(snapshot),
            evaluation=result.to_json(),
        )
        locked.state = PortfolioState.SUBMITTED
        locked.submitted_at = now
        locked.save(update_fields=["state", "submitted_at", "updated_at"])
        hooks.submitted(portfolio=locked, submission=submission, by=by)
        record(portfolio=locked, by=by, action="submitted", submission=submission.number)
        # AS-7: the assessor's dossier of this submission, rendered in the background.
        queue_report(kind=DOSSIER, target=submission, by=by)
    portfolio.refresh_from_db()
    return submission


def withdraw_portfolio(*, portfolio: Portfolio, by) -> Portfolio:
    """draft|submitted -> withdrawn, by the owner (or staff on their behalf), before an assessor
    is assigned."""
    with transaction.atomic():
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        if not acts_for_owner(by, locked):
            raise TransitionError(_("Alleen de eigenaar kan dit portfolio intrekken."))
        if locked.state == PortfolioState.WITHDRAWN:
            return locked
        if locked.state not in (PortfolioState.DRAFT, PortfolioState.SUBMITTED):
            raise TransitionError(
                _("Een portfolio in beoordeling kan niet meer worden ingetrokken.")
            )
        locked.state = PortfolioState.WITHDRAWN
        locked.save(update_fields=["state", "updated_at"])
        record(portfolio=locked, by=by, action="withdrawn")
    return locked
