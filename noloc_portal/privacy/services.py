"""A person's own data: the download, and the removal of the account.

**The download** is built in the background (a Celery task, :func:`build_data_export`), not in
the request: a professional's portfolios carry their evidence (up to ``UPLOAD_MAX_BYTES`` a file,
hundreds of files over a few portfolios), so the zip can take long enough to outlast a request
and is written to a temporary file in chunks (:mod:`noloc_portal.privacy.export`). The page shows
its state and asks for it every few seconds (``data-render-job``, as for a PDF). A finished zip
can be downloaded for :data:`EXPORT_LIFETIME` and is then removed; asking again makes a new one.

**Removal** (AVG art. 17) is asked for by the person and carried out or declined by the
secretariat. Carrying it out (:func:`carry_out_removal`) keeps what the certifying body must keep
and erases the rest:

- kept: registrations, decisions, submitted portfolios with their submissions, rounds, advice and
  judgements (the record on which a registration was granted or refused; a current registration
  stays in the register until it ends), what the person wrote as assessor or coordinator, the
  security log, and the quality-circle history (memberships, attendance, contributions, cost
  shares: they back the circles' annual reports and subsidy). On these records the person keeps
  their name and membership number, so the register and the records still say whom they are
  about; someone with none of them becomes "Verwijderde gebruiker <n>";
- erased: e-mail address, place, password, two-step devices, API token, roles; draft and
  withdrawn portfolios with their evidence files and PDFs; circle applications with their CVs,
  meeting sign-ups, interest registrations, a regional chair or circle board role; every uploaded
  file no kept record refers to; earlier downloads. Current memberships end.

It is refused while something is still running that needs the person (a portfolio in
assessment, an open assignment as assessor, a circle they coordinate):
:func:`removal_blockers` says what, so the secretariat can settle that first.
"""

from __future__ import annotations

import logging
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import connections, transaction
from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from kombu.exceptions import KombuError

from assessments.models import (
    Advice,
    AssessmentRound,
    Assignment,
    AssignmentState,
    Decision,
    Registration,
)
from kwaliteitskringen.models import (
    Application,
    Circle,
    FoundingRequest,
    FoundingState,
    Interest,
    MeetingRegistration,
    Membership,
    MembershipState,
    RegionalChair,
    SubgroupMembership,
)
from noloc_portal.accounts.models import RoleGrant, User
from noloc_portal.accounts.tokens import revoke_api_tokens
from noloc_portal.audit.services import record_security_event
from noloc_portal.documents.models import Document
from noloc_portal.mail import mail_after_commit
from noloc_portal.pdf.models import RenderJob
from noloc_portal.privacy.export import write_data_export
from noloc_portal.privacy.models import (
    AccountRemovalRequest,
    DataExport,
    ExportState,
    RemovalState,
)
from portfolios.models import Portfolio, PortfolioState, Submission

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = timedelta(days=7)
# A download still queued or running after this lost its worker: asking again starts a new one.
EXPORT_STALE_AFTER = timedelta(hours=1)

# Portfolios that never reached a decision and are no longer in a procedure: erased on removal.
ERASED_PORTFOLIO_STATES = (PortfolioState.DRAFT, PortfolioState.WITHDRAWN)
RUNNING_PORTFOLIO_STATES = (
    PortfolioState.SUBMITTED,
    PortfolioState.IN_ASSESSMENT,
    PortfolioState.SUPPLEMENT_REQUESTED,
    PortfolioState.ADVISED,
)
OPEN_ASSIGNMENT_STATES = (AssignmentState.PENDING_DECLARATION, AssignmentState.JUDGING)


class RemovalError(Exception):
    """A removal request cannot take this step; the message says why, in Dutch."""


# --- The download ----------------------------------------------------------------------------


# One builder beside the requests of this process (the embedded default without a broker).
_BESIDE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="data-export")


def _build_beside_the_request(export_id: int) -> None:
    """Without a broker (RENDER_BESIDE_REQUEST, as for PDFs) the zip is built in a thread of
    this process, so the request answers at once and the page shows the download being made."""
    from noloc_portal.privacy.tasks import build_data_export_task

    def build() -> None:
        try:
            build_data_export_task.apply((export_id,))
        except Exception:
            logger.exception("data export %s failed beside the request", export_id)
        finally:
            connections.close_all()

    _BESIDE.submit(build)


def _dispatch_export(export_id: int) -> None:
    from noloc_portal.privacy.tasks import build_data_export_task

    if settings.CELERY_TASK_ALWAYS_EAGER and settings.RENDER_BESIDE_REQUEST:
        transaction.on_commit(lambda: _build_beside_the_request(export_id))
        return

    def publish() -> None:
        try:
            build_data_export_task.delay(export_id)
        except (KombuError, OSError):
            # The row stays queued; after EXPORT_STALE_AFTER the person can ask again.
            logger.warning("data export %s stays queued: the broker did not take it", export_id)

    transaction.on_commit(publish)


def delete_exports(exports) -> None:
    """Delete the rows, and their zips once that commits."""
    for export in exports:
        name = export.file.name
        storage = export.file.storage
        export.delete()
        if name:
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))


def request_data_export(*, user: User, now: datetime | None = None) -> DataExport:
    """Queue a new download of the person's data, or return the one already being made.

    Earlier downloads are removed: there is one zip of a person at a time.
    """
    now = now or timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).get()
        exports = list(DataExport.objects.filter(user=user))
        pending = [e for e in exports if e.is_pending and e.requested_at > now - EXPORT_STALE_AFTER]
        if pending:
            return pending[0]
        delete_exports(exports)
        export = DataExport.objects.create(user=user)
        record_security_event(action="privacy.export_requested", actor=user, target=export)
        _dispatch_export(export.pk)
    return export


def build_data_export(*, export_id: int) -> DataExport:
    """Build the zip of a queued download. Idempotent: a download that is not queued any more
    (built, failed, or taken by another worker) is left as it is."""
    with transaction.atomic():
        export = DataExport.objects.select_for_update().select_related("user").get(pk=export_id)
        if export.state != ExportState.QUEUED:
            return export
        export.state = ExportState.RUNNING
        export.started_at = timezone.now()
        export.save(update_fields=["state", "started_at"])
    try:
        with tempfile.TemporaryFile() as spool:
            write_data_export(export.user, spool)
            size = spool.tell()
            spool.seek(0)
            export.file.save("export.zip", File(spool), save=False)
    except Exception as error:
        logger.exception("data export %s failed", export.pk)
        export.state = ExportState.FAILED
        export.error = f"{type(error).__name__}: {error}"[:2000]
        export.finished_at = timezone.now()
        export.save(update_fields=["state", "error", "finished_at"])
        return export
    finished = timezone.now()
    export.state = ExportState.DONE
    export.size = size
    export.finished_at = finished
    export.expires_at = finished + EXPORT_LIFETIME
    export.save(update_fields=["state", "file", "size", "finished_at", "expires_at"])
    return export


def delete_expired_exports(*, now: datetime | None = None) -> int:
    """Remove downloads past their date, and ones that never finished (beat, daily)."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(
            DataExport.objects.select_for_update().filter(
                Q(expires_at__lt=now)
                | Q(state__in=(ExportState.QUEUED, ExportState.RUNNING, ExportState.FAILED))
                & Q(requested_at__lt=now - EXPORT_LIFETIME)
            )
        )
        delete_exports(expired)
    return len(expired)


def latest_export(user: User) -> DataExport | None:
    return DataExport.objects.filter(user=user).order_by("-requested_at", "-pk").first()


def is_stale(export: DataExport, *, now: datetime | None = None) -> bool:
    """A download still queued or running after EXPORT_STALE_AFTER lost its worker."""
    now = now or timezone.now()
    return export.is_pending and export.requested_at <= now - EXPORT_STALE_AFTER


# --- Asking for removal ----------------------------------------------------------------------


def _page_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("privacy:mine")


def _mail(request: AccountRemovalRequest, template: str) -> None:
    mail_after_commit(
        address=request.user.email,
        template=f"privacy/{template}",
        context={"request": request, "user": request.user, "url": _page_url()},
    )


def open_removal_request(user: User) -> AccountRemovalRequest | None:
    return AccountRemovalRequest.objects.filter(user=user, state=RemovalState.REQUESTED).first()


def request_removal(*, user: User, reason: str = "") -> AccountRemovalRequest:
    """The person asks for their account to be removed (the view checked their password).

    Raises RemovalError when a request is already open.
    """
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).get()
        if open_removal_request(user) is not None:
            raise RemovalError(_("Je hebt al om verwijdering van je account gevraagd."))
        request = AccountRemovalRequest.objects.create(user=user, reason=reason.strip())
        record_security_event(action="privacy.removal_requested", actor=user, target=request)
        _mail(request, "removal_requested")
    return request


def _locked_open(request: AccountRemovalRequest) -> AccountRemovalRequest:
    request = AccountRemovalRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise RemovalError(
            _("Dit verzoek is al afgehandeld (%(state)s).")
            % {"state": request.get_state_display().lower()}
        )
    return request


def withdraw_removal(*, request: AccountRemovalRequest, by: User) -> AccountRemovalRequest:
    """The person takes their request back. Raises RemovalError when it is no longer open."""
    with transaction.atomic():
        request = _locked_open(request)
        request.state = RemovalState.WITHDRAWN
        request.withdrawn_at = timezone.now()
        request.save(update_fields=["state", "withdrawn_at"])
        record_security_event(action="privacy.removal_withdrawn", actor=by, target=request)
        _mail(request, "removal_withdrawn")
    return request


def decline_removal(
    *, request: AccountRemovalRequest, by: User, note: str
) -> AccountRemovalRequest:
    """The secretariat declines the request; ``note`` (required) tells the person why."""
    if not note.strip():
        raise RemovalError(_("Schrijf erbij waarom het verzoek wordt afgewezen."))
    with transaction.atomic():
        request = _locked_open(request)
        request.state = RemovalState.DECLINED
        request.handled_by = by
        request.handled_at = timezone.now()
        request.note = note.strip()
        request.save(update_fields=["state", "handled_by", "handled_at", "note"])
        record_security_event(action="privacy.removal_declined", actor=by, target=request)
        _mail(request, "removal_declined")
    return request


# --- Carrying out a removal ------------------------------------------------------------------


def removal_blockers(user: User) -> list[str]:
    """What has to be settled before the account can be removed, in Dutch; empty when nothing."""
    blockers = []
    for portfolio in Portfolio.objects.filter(owner=user, state__in=RUNNING_PORTFOLIO_STATES):
        blockers.append(
            _(
                "Het portfolio %(portfolio)s (nr. %(pk)s) is %(state)s: rond de procedure eerst "
                "af, of laat het portfolio intrekken."
            )
            % {
                "portfolio": portfolio.get_framework_display(),
                "pk": portfolio.pk,
                "state": portfolio.get_state_display().lower(),
            }
        )
    for assignment in Assignment.objects.filter(
        assessor=user, state__in=OPEN_ASSIGNMENT_STATES
    ).select_related("round__portfolio"):
        blockers.append(
            _(
                "Als assessor loopt nog de beoordeling van portfolio nr. %(pk)s: wijs eerst een "
                "andere assessor toe."
            )
            % {"pk": assignment.round.portfolio_id}
        )
    for circle in Circle.objects.filter(coordinator=user).order_by("name"):
        blockers.append(
            _("Kringcoördinator van %(circle)s: wijs eerst een andere kringcoördinator aan.")
            % {"circle": circle.name}
        )
    return blockers


def keeps_name(user: User) -> bool:
    """Whether records the certifying body keeps name the person (see the module docstring)."""
    return (
        Registration.objects.filter(owner=user).exists()
        or Portfolio.objects.filter(owner=user).exclude(state__in=ERASED_PORTFOLIO_STATES).exists()
        or Assignment.objects.filter(assessor=user).exists()
        or Advice.objects.filter(advised_by=user).exists()
        or Decision.objects.filter(decided_by=user).exists()
    )


@dataclass
class RemovalPlan:
    """What a removal will keep and erase, counted now (shown before the secretariat confirms)."""

    keeps_name: bool
    kept: dict[str, int] = field(default_factory=dict)
    erased: dict[str, int] = field(default_factory=dict)


def removal_plan(user: User) -> RemovalPlan:
    portfolios = Portfolio.objects.filter(owner=user)
    return RemovalPlan(
        keeps_name=keeps_name(user),
        kept={
            _("registraties"): Registration.objects.filter(owner=user).count(),
            _("ingediende portfolio's met besluit of beoordeling"): portfolios.exclude(
                state__in=ERASED_PORTFOLIO_STATES
            ).count(),
            _("toewijzingen als assessor"): Assignment.objects.filter(assessor=user).count(),
            _("lidmaatschappen van kwaliteitskringen (geschiedenis)"): Membership.objects.filter(
                member=user
            ).count(),
        },
        erased={
            _("concept- en ingetrokken portfolio's"): portfolios.filter(
                state__in=ERASED_PORTFOLIO_STATES
            ).count(),
            _("aanmeldingen bij kwaliteitskringen (met cv)"): Application.objects.filter(
                applicant=user
            ).count(),
            _("aanmeldingen voor bijeenkomsten"): MeetingRegistration.objects.filter(
                participant=user
            ).count(),
            _(
                "geüploade bestanden (wat bij een bewaard dossier hoort, blijft)"
            ): Document.objects.filter(owner=user).count(),
        },
    )


def _try_delete(obj, *first) -> bool:
    """Delete the querysets ``first`` and then ``obj``, unless a kept record still refers to
    them (PROTECT); then nothing is deleted."""
    try:
        with transaction.atomic():
            for queryset in first:
                queryset.delete()
            obj.delete()
    except ProtectedError:
        return False
    return True


def _delete_file_after_commit(file) -> None:
    name, storage = file.name, file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _erase_portfolios(user: User) -> int:
    erased = 0
    portfolio_type = ContentType.objects.get_for_model(Portfolio)
    submission_type = ContentType.objects.get_for_model(Submission)
    for portfolio in Portfolio.objects.filter(owner=user, state__in=ERASED_PORTFOLIO_STATES):
        submission_ids = list(portfolio.submissions.values_list("pk", flat=True))
        jobs = list(
            RenderJob.objects.filter(
                Q(content_type=portfolio_type, object_id=portfolio.pk)
                | Q(content_type=submission_type, object_id__in=submission_ids)
            )
        )
        # A portfolio withdrawn before assignment may have an empty round, which holds on to
        # its submission (PROTECT): the round goes first. A round with an advice stays
        # protected by its decision, and so does the portfolio.
        if not _try_delete(portfolio, AssessmentRound.objects.filter(portfolio=portfolio)):
            continue
        erased += 1
        for job in jobs:
            _delete_file_after_commit(job.file)
            job.delete()
    return erased


def _leave_circles(user: User, *, by: User, now: datetime) -> None:
    Membership.objects.filter(
        member=user, state__in=(MembershipState.ACTIVE, MembershipState.RENEWED)
    ).update(
        state=MembershipState.REMOVED,
        end_reason=_("Account verwijderd op verzoek van de deelnemer."),
        ended_at=now,
        ended_by=by,
    )
    Membership.objects.filter(member=user).update(name_in_annual_report=False)
    SubgroupMembership.objects.filter(member=user, left_at__isnull=True).update(left_at=now)
    MeetingRegistration.objects.filter(participant=user).delete()
    Application.objects.filter(applicant=user).delete()
    FoundingRequest.objects.filter(founder=user, state=FoundingState.SUBMITTED).update(
        state=FoundingState.WITHDRAWN
    )
    Circle.objects.filter(secretary=user).update(secretary=None)
    Circle.objects.filter(treasurer=user).update(treasurer=None)
    RegionalChair.objects.filter(user=user).delete()
    Interest.objects.filter(email__iexact=user.email).delete()


def _erase_documents(user: User) -> int:
    erased = 0
    for document in Document.objects.filter(owner=user):
        file = document.file
        if _try_delete(document):
            _delete_file_after_commit(file)
            erased += 1
    return erased


def _erase_account(user: User, *, name_kept: bool) -> None:
    RoleGrant.objects.filter(user=user).delete()
    revoke_api_tokens(user=user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.groups.set(Group.objects.none())
    user.user_permissions.clear()
    # A new (unusable) password hash also ends every session (get_session_auth_hash).
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.email = f"verwijderd-{user.pk}@verwijderd.invalid"
    user.place = ""
    user.show_place_in_register = False
    if not name_kept:
        user.full_name = _("Verwijderde gebruiker %(pk)s") % {"pk": user.pk}
        user.membership_number = ""
        user.membership_verified = False
    user.save()


def carry_out_removal(
    *, request: AccountRemovalRequest, by: User, note: str = ""
) -> AccountRemovalRequest:
    """Deactivate the account and erase the personal data the portal need not keep (module
    docstring). The person is told by e-mail at the address they had.

    Raises RemovalError when the request is not open, when the secretariat member would remove
    their own account, or while :func:`removal_blockers` names something to settle first.
    """
    with transaction.atomic():
        request = _locked_open(request)
        user = User.objects.select_for_update().get(pk=request.user_id)
        if user.pk == by.pk:
            raise RemovalError(_("Je eigen account laat je door een ander verwijderen."))
        blockers = removal_blockers(user)
        if blockers:
            raise RemovalError(" ".join(blockers))
        now = timezone.now()
        request.note = note.strip()
        # Rendered now, with the name and address the person still has.
        _mail(request, "removal_done")
        name_kept = keeps_name(user)
        plan = removal_plan(user)
        delete_exports(DataExport.objects.filter(user=user))
        portfolios = _erase_portfolios(user)
        _leave_circles(user, by=by, now=now)
        documents = _erase_documents(user)
        _erase_account(user, name_kept=name_kept)
        request.state = RemovalState.DONE
        request.handled_by = by
        request.handled_at = now
        request.outcome = {
            "naam_bewaard": name_kept,
            "bewaard": plan.kept,
            "portfolios_verwijderd": portfolios,
            "bestanden_verwijderd": documents,
        }
        request.save(update_fields=["state", "handled_by", "handled_at", "note", "outcome"])
        record_security_event(
            action="privacy.account_removed", actor=by, target=user, request_id=request.pk
        )
    return request
