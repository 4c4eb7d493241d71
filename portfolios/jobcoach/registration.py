"""Register Jobcoach recertification, as the core sees it (one entry in the registry)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portfolios import hooks, registry
from portfolios.jobcoach import admin, demo, selectors, tasks, urls, views  # noqa: F401
from portfolios.jobcoach.dossier import build_jobcoach_dossier
from portfolios.jobcoach.exchange import EXAMPLE_DOCUMENT, dump_jobcoach, parse_jobcoach
from portfolios.jobcoach.forms import start_fields
from portfolios.jobcoach.framework import JOBCOACH, JOBCOACH_REGISTER
from portfolios.jobcoach.rules import JobcoachSnapshot, evaluate_jobcoach
from portfolios.jobcoach.services import revoke_pending_confirmations, start_jobcoach_portfolio
from portfolios.jobcoach.snapshot import (
    JOBCOACH_ROWS,
    jobcoach_document_holders,
    jobcoach_snapshot,
    jobcoach_summary,
    load_jobcoach,
    prefetch_jobcoach,
)
from portfolios.jobcoach.storage import (
    confirmation_pdf,
    jobcoach_creator,
    jobcoach_evidence,
    jobcoach_evidence_sections,
    jobcoach_sources,
)


def _start(*, owner, data):
    """A new draft. Its recertification date is the end of the owner's registration when the
    portal holds one (whatever was posted), else the date typed in."""
    registered_until = hooks.registration_end(owner=owner, register=JOBCOACH_REGISTER)
    if registered_until is not None:
        return start_jobcoach_portfolio(owner=owner, recertification_date=registered_until)
    recertification_date = data.get("recertification_date")
    if not recertification_date:
        raise ValidationError({"recertification_date": _("Vul de hercertificeringsdatum in.")})
    return start_jobcoach_portfolio(owner=owner, recertification_date=recertification_date)


def _previous_registration_end(portfolio):
    """The registration being recertified ends on the portfolio's recertification date."""
    details = getattr(portfolio, "jobcoach", None)
    return None if details is None else details.recertification_date


registry.register(
    registry.Framework(
        code=JOBCOACH,
        label=_("Register Jobcoach – hercertificering"),
        snapshot_type=JobcoachSnapshot,
        evaluate=evaluate_jobcoach,
        parse=parse_jobcoach,
        dump=dump_jobcoach,
        prefetch=prefetch_jobcoach,
        load=load_jobcoach,
        snapshot_of=jobcoach_snapshot,
        row_versions=JOBCOACH_ROWS,
        evidence=jobcoach_evidence,
        evidence_sections=jobcoach_evidence_sections,
        creator=jobcoach_creator,
        sources=jobcoach_sources,
        export_file=confirmation_pdf,
        start=_start,
        start_fields=start_fields,
        overview=views.overview,
        urlpatterns=urls.urlpatterns,
        summary_values=jobcoach_summary,
        summary_related=("jobcoach",),
        admin_inlines=admin.INLINES,
        admin_fields=admin.CONTENT_FIELDS,
        demo=demo.seed,
        demo_complete_portfolio=demo.complete_portfolio,
        dossier=build_jobcoach_dossier,
        on_submit=revoke_pending_confirmations,
        document_holders=jobcoach_document_holders,
        list_annotations=selectors.list_annotations,
        summary=selectors.summary,
        example_document=EXAMPLE_DOCUMENT,
        register_code=JOBCOACH_REGISTER,
        register_label=_("Register Jobcoach"),
        recertification=True,
        previous_registration_end=_previous_registration_end,
    )
)
