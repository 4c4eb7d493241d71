"""Portfolio transitions every framework shares (workflow.md, portfolio; AS-1).

Every change to a portfolio or its parts is one service function that runs inside
:func:`locked_for_edit`: the portfolio row is locked, the portfolio is checked to be editable
after the lock is taken, and an audit event names the acting user. A framework's own writes live
in its package's ``services`` module and use :func:`locked_for_edit` and :class:`TransitionError`
from here."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from noloc_portal.documents.models import Document
from noloc_portal.documents.services import store_upload
from noloc_portal.documents.validation import EVIDENCE_KINDS, FileKind
from noloc_portal.pdf.services import queue_report
from noloc_portal.prepared import PreparedQuery
from portfolios import hooks, registry
from portfolios.dossier import DOSSIER
from portfolios.evaluation import Evaluation, evaluate
from portfolios.exchange.document import dump_document
from portfolios.models import AuditEvent, Portfolio, PortfolioState, Submission, is_transition
from portfolios.permissions import acts_for_owner
from portfolios.remembered import Key, key_of
from portfolios.snapshots import prefetch_for_snapshot, snapshot_of, stored_for_snapshot

logger = logging.getLogger(__name__)


class TransitionError(Exception):
    """A transition refused: wrong state, not allowed, or rules not met. Message is Dutch."""


class PortfolioFrozen(TransitionError):
    """The portfolio is no longer a draft, so its content cannot change. Message is Dutch."""


def record(*, portfolio: Portfolio, by, action: str, **detail) -> AuditEvent:
    """Add ``action`` to the portfolio's audit trail; a step in the workflow also becomes the
    moment it waits since (``Portfolio.waiting_since``, on the row and on ``portfolio``)."""
    event = AuditEvent.objects.create(portfolio=portfolio, actor=by, action=action, detail=detail)
    if is_transition(action):
        Portfolio.objects.filter(pk=portfolio.pk).update(waiting_since=event.at)
        portfolio.waiting_since = event.at
    return event


def today() -> date:
    return timezone.localdate()


def portfolio_snapshot(portfolio: Portfolio):
    """The engine's input for the portfolio as it is now in the database."""
    return snapshot_of(stored_for_snapshot(portfolio.pk, portfolio.framework))


_FROZEN = PreparedQuery(
    lambda portfolio: (
        Submission.objects.filter(portfolio_id=portfolio)
        .order_by("-number")
        .values_list("evaluation", flat=True)
    ),
    portfolio=int,
)


def frozen_evaluation(portfolio: Portfolio) -> Evaluation | None:
    """The verdict frozen at the latest submit (as of the submission date), if any: on every
    page of a submitted portfolio, so compiled once per process."""
    found = _FROZEN.rows(0, 1, portfolio=portfolio.pk)
    return Evaluation.from_json(found[0]) if found else None


def evaluate_portfolio(
    portfolio: Portfolio, *, as_of: date | None = None, snapshot=None, live: bool = False
) -> Evaluation:
    """The engine's verdict on a draft as it is now in the database (``snapshot``, when the
    caller built it already). Past draft every door shows the verdict frozen at submit, never a
    new one: the rules and their windows are judged as of the submission date (AS-1).

    ``live`` is the owner's view during a supplement round: the sections they reopened change,
    so they see the verdict on the portfolio as it is now (can it be resubmitted?), while the
    assessors keep the verdict frozen with the submission of their round."""
    frozen = shown_frozen_evaluation(portfolio, live=live)
    if frozen is not None:
        return frozen
    as_of = as_of or today()
    if snapshot is not None:
        return evaluate(snapshot, as_of=as_of)
    key = key_of(portfolio, as_of=as_of)
    return key.judged(lambda: evaluate(portfolio_snapshot(portfolio), as_of=as_of))


def current_key(portfolio: Portfolio, *, as_of: date | None = None, read: bool = False) -> Key:
    """Where the verdict on a draft as it is now is remembered: for a page that reads the rows
    itself, asked *before* it reads them (portfolios.remembered). ``read``: the portfolio was
    read with its revision (``remembered.revision_columns``, a page that writes nothing)."""
    return key_of(portfolio, as_of=as_of or today(), read=read)


def shown_frozen_evaluation(portfolio: Portfolio, *, live: bool = False) -> Evaluation | None:
    """The frozen verdict :func:`evaluate_portfolio` shows, None when it evaluates the portfolio
    as it is now: a page that reads the snapshot's rows anyway reads them only then."""
    if live and portfolio.state == PortfolioState.SUPPLEMENT_REQUESTED:
        return None
    if not portfolio.is_editable:
        return frozen_evaluation(portfolio)
    return None


def ensure_editable(portfolio: Portfolio, *, by, section: str | None = None) -> None:
    """The owner (or staff for them) may change ``section`` now: a draft, or a section that a
    supplement request reopened. A write that names no section only passes in a draft."""
    if not acts_for_owner(by, portfolio):
        raise TransitionError(_("Alleen de eigenaar kan dit portfolio wijzigen."))
    if portfolio.state == PortfolioState.SUPPLEMENT_REQUESTED and not portfolio.is_section_editable(
        section
    ):
        raise PortfolioFrozen(
            _("Dit onderdeel is niet heropend voor aanvulling en kan niet worden gewijzigd.")
        )
    if not portfolio.is_section_editable(section):
        raise PortfolioFrozen(
            _("Dit portfolio is %(state)s en kan niet meer worden gewijzigd.")
            % {"state": portfolio.get_state_display().lower()}
        )


@dataclass
class Edit:
    """One change to a locked, editable portfolio (see :func:`locked_for_edit`)."""

    portfolio: Portfolio
    by: Any
    stored: list[Document] = field(default_factory=list)

    def store(
        self, upload: UploadedFile, *, kinds: tuple[FileKind, ...] = EVIDENCE_KINDS
    ) -> Document:
        """Store an uploaded file of the portfolio's owner; raises a Dutch ValidationError."""
        return self.keep(store_upload(upload=upload, owner=self.portfolio.owner, kinds=kinds))

    def keep(self, document: Document) -> Document:
        """A document stored during this change: its file goes again if the change fails."""
        self.stored.append(document)
        return document

    def record(self, action: str, **detail) -> AuditEvent:
        return record(portfolio=self.portfolio, by=self.by, action=action, **detail)


@contextmanager
def locked_for_edit(portfolio: Portfolio, *, by, section: str | None = None) -> Iterator[Edit]:
    """A transaction holding the portfolio row lock, entered only when ``by`` may change the
    portfolio now.

    The state is read after the lock is taken, so a change racing a submit either commits before
    the submit (and is in its frozen document) or is refused with :class:`PortfolioFrozen`. When
    the block raises, the transaction rolls back and the files of documents stored through
    :meth:`Edit.store` are deleted (the services run as the outermost transaction, as views call
    them, so a rollback can only come from the block).
    """
    edit = None
    try:
        with transaction.atomic():
            edit = Edit(portfolio=Portfolio.objects.select_for_update().get(pk=portfolio.pk), by=by)
            ensure_editable(edit.portfolio, by=by, section=section)
            yield edit
    except BaseException:
        for document in edit.stored if edit else ():
            try:
                document.file.delete(save=False)
            except OSError:
                logger.exception("could not delete %s after a failed edit", document.file.name)
        raise


def set_fields(row, values: Mapping[str, Any], editable: Sequence[str]) -> list[str]:
    """Copy ``values`` onto ``row`` and return their names; a field outside ``editable`` is a
    programming error, not input to refuse politely."""
    unknown = set(values) - set(editable)
    if unknown:
        raise ValueError(f"not editable on {type(row).__name__}: {sorted(unknown)}")
    for name, value in values.items():
        setattr(row, name, value)
    return list(values)


@dataclass(frozen=True)
class EvidenceRows:
    """A kind of row a portfolio holds many of, each with at most one evidence file (a
    reflection meeting, a PE activity, a course): added, changed and removed one at a time under
    the portfolio lock, each change recorded as ``<name>_added|_changed|_removed``."""

    model: type
    related_name: str
    fields: tuple[str, ...]
    file_field: str
    name: str
    gone: Any  # Dutch message when the row is no longer in the portfolio
    section: str  # the checklist Section.key the rows belong to (supplement rounds reopen it)
    file_kinds: tuple[FileKind, ...] = EVIDENCE_KINDS

    def add(self, *, portfolio: Portfolio, by, values, upload=None, **fixed):
        """A new row as typed; ``fixed`` are values set once (e.g. an activity's type)."""
        with locked_for_edit(portfolio, by=by, section=self.section) as edit:
            row = self.model(portfolio=edit.portfolio, **fixed)
            set_fields(row, values, self.fields)
            if upload:
                setattr(row, self.file_field, edit.store(upload, kinds=self.file_kinds))
            row.save()
            edit.record(f"{self.name}_added", **{self.name: row.pk}, **fixed)
        return row

    def update(self, *, portfolio: Portfolio, by, row_id: int, values, upload=None):
        with locked_for_edit(portfolio, by=by, section=self.section) as edit:
            row = getattr(edit.portfolio, self.related_name).filter(pk=row_id).first()
            if row is None:
                raise TransitionError(self.gone)
            fields = set_fields(row, values, self.fields)
            if upload:
                setattr(row, self.file_field, edit.store(upload, kinds=self.file_kinds))
                fields.append(self.file_field)
            row.save(update_fields=fields)
            edit.record(f"{self.name}_changed", **{self.name: row.pk})
        return row

    def remove(self, *, portfolio: Portfolio, by, row_id: int) -> bool:
        """Delete the row (and what hangs from it); False when it was already gone."""
        with locked_for_edit(portfolio, by=by, section=self.section) as edit:
            deleted, _rows = getattr(edit.portfolio, self.related_name).filter(pk=row_id).delete()
            if deleted:
                edit.record(f"{self.name}_removed", **{self.name: row_id})
        return bool(deleted)


# Fields of the portfolio row that only the lifecycle services change; the rest (what every
# framework asks for) are sections.
LIFECYCLE_FIELDS = frozenset(
    {
        "id",
        "owner",
        "framework",
        "framework_version",
        "state",
        "created_at",
        "updated_at",
        "submitted_at",
        "reopened_sections",
    }
)
SECTION_FIELDS = tuple(
    field.name for field in Portfolio._meta.concrete_fields if field.name not in LIFECYCLE_FIELDS
)


def update_section(
    *,
    portfolio: Portfolio,
    by,
    section: str,
    values: Mapping[str, Any],
    uploads: Mapping[str, UploadedFile | None] | None = None,
    details: type[models.Model] | None = None,
) -> Portfolio:
    """Save one section as typed: ``values`` by field name, ``uploads`` by document field (an
    empty upload keeps the stored document).

    A field of the portfolio row (the cv, the declarations) is saved there; any other on the
    framework's ``details`` row, the model holding its single-valued sections in a one-to-one
    ``portfolio`` field (created when the portfolio has none yet). The portfolio's
    ``updated_at`` moves either way.

    Raises PortfolioFrozen or TransitionError, and a Dutch ValidationError for a refused file.
    """
    files = {name: upload for name, upload in (uploads or {}).items() if upload}
    with locked_for_edit(portfolio, by=by, section=section) as edit:
        locked = edit.portfolio
        typed = {**values, **{name: edit.store(upload) for name, upload in files.items()}}
        own = {}
        if details is not None:
            own = {name: value for name, value in typed.items() if name not in SECTION_FIELDS}
        if own:
            row, _created = details.objects.get_or_create(portfolio=locked)
            editable = [
                f.name
                for f in details._meta.concrete_fields
                if not f.primary_key and f.name != "portfolio"
            ]
            row.save(update_fields=set_fields(row, own, editable))
        shared = {name: value for name, value in typed.items() if name not in own}
        locked.save(update_fields=[*set_fields(locked, shared, SECTION_FIELDS), "updated_at"])
        edit.record("section_saved", section=section, fields=sorted(typed))
    return locked


def submit_portfolio(*, portfolio: Portfolio, by, now: datetime | None = None) -> Submission:
    """AS-1: lock the portfolio, freeze the snapshot and its evaluation, open a round.

    From ``draft`` the portfolio becomes ``submitted``; from ``supplement_requested`` (a
    resubmission, workflow.md) it returns to ``in_assessment`` with its reopened sections closed
    again. A second submit of the same portfolio (double click, second tab) returns the
    submission already made. Raises TransitionError when the evaluation is not submittable. ``by``
    is the owner or staff submitting on their behalf; either is recorded as the submitter.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        if not acts_for_owner(by, locked):
            raise TransitionError(_("Alleen de eigenaar kan dit portfolio indienen."))
        latest = locked.submissions.order_by("-number").first()
        if locked.state == PortfolioState.SUBMITTED or (
            locked.state == PortfolioState.IN_ASSESSMENT and latest and latest.number > 1
        ):
            return latest
        resubmission = locked.state == PortfolioState.SUPPLEMENT_REQUESTED
        if locked.state != PortfolioState.DRAFT and not resubmission:
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
            number=(latest.number if latest else 0) + 1,
            submitted_by=by,
            document=dump_document(snapshot),
            evaluation=result.to_json(),
        )
        if resubmission:
            locked.state = PortfolioState.IN_ASSESSMENT
            locked.reopened_sections = []
        else:
            locked.state = PortfolioState.SUBMITTED
            locked.submitted_at = now
        locked.save(update_fields=["state", "submitted_at", "reopened_sections", "updated_at"])
        hooks.submitted(portfolio=locked, submission=submission, by=by)
        on_submit = registry.get(locked.framework).on_submit
        if on_submit is not None:
            on_submit(portfolio=locked, by=by)
        record(
            portfolio=locked,
            by=by,
            action="resubmitted" if resubmission else "submitted",
            submission=submission.number,
        )
        # AS-7: the assessor's dossier of this submission, rendered in the background.
        if registry.get(locked.framework).dossier is not None:
            queue_report(kind=DOSSIER, target=submission, by=by)
    portfolio.refresh_from_db()
    return submission


def reopenable_sections(portfolio: Portfolio) -> list[str]:
    """The sections a supplement request may reopen: those the framework's criteria judge."""
    version = registry.framework_version(portfolio.framework, version=portfolio.framework_version)
    return list(dict.fromkeys(criterion.section for criterion in version.criteria))


def request_supplement(*, portfolio: Portfolio, by, sections: Sequence[str]) -> Portfolio:
    """in_assessment -> supplement_requested (workflow.md): ``sections`` reopen for the owner,
    everything else stays frozen. Called by the assessment's advice inside its transaction; the
    caller has checked that ``by`` may ask. Asking again with the same sections changes nothing."""
    unknown = set(sections) - set(reopenable_sections(portfolio))
    if unknown or not sections:
        raise TransitionError(_("Kies een of meer onderdelen die de eigenaar mag aanvullen."))
    with transaction.atomic():
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        if locked.state == PortfolioState.SUPPLEMENT_REQUESTED and set(
            locked.reopened_sections
        ) == set(sections):
            return locked
        if locked.state != PortfolioState.IN_ASSESSMENT:
            raise TransitionError(_("Voor dit portfolio kan nu geen aanvulling worden gevraagd."))
        locked.state = PortfolioState.SUPPLEMENT_REQUESTED
        locked.reopened_sections = list(sections)
        locked.save(update_fields=["state", "reopened_sections", "updated_at"])
        record(portfolio=locked, by=by, action="supplement_requested", sections=list(sections))
    return locked


def end_supplement(*, portfolio: Portfolio, by) -> Portfolio:
    """supplement_requested -> in_assessment when the deadline passed without a resubmission
    (workflow.md): the reopened sections freeze again and the assessors advise on what is there.
    ``by`` is None when the scheduled task ends it."""
    with transaction.atomic():
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        if locked.state != PortfolioState.SUPPLEMENT_REQUESTED:
            return locked
        locked.state = PortfolioState.IN_ASSESSMENT
        locked.reopened_sections = []
        locked.save(update_fields=["state", "reopened_sections", "updated_at"])
        record(portfolio=locked, by=by, action="supplement_deadline_passed")
    return locked


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
