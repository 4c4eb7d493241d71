"""Register Loopbaanprofessional initial certification, as the core sees it."""

from django.utils.translation import gettext_lazy as _

from portfolios import registry
from portfolios.loopbaan import admin, demo, urls, views
from portfolios.loopbaan.dossier import build_loopbaan_dossier
from portfolios.loopbaan.exchange import EXAMPLE_DOCUMENT, dump_loopbaan, parse_loopbaan
from portfolios.loopbaan.framework import LOOPBAAN
from portfolios.loopbaan.rules import LoopbaanSnapshot, evaluate_loopbaan
from portfolios.loopbaan.services import start_loopbaan_portfolio
from portfolios.loopbaan.snapshot import (
    LOOPBAAN_ROWS,
    load_loopbaan,
    loopbaan_document_holders,
    loopbaan_snapshot,
    prefetch_loopbaan,
)
from portfolios.loopbaan.storage import (
    loopbaan_creator,
    loopbaan_evidence,
    loopbaan_evidence_sections,
    loopbaan_sources,
)


def _start(*, owner, data):
    return start_loopbaan_portfolio(owner=owner)


registry.register(
    registry.Framework(
        code=LOOPBAAN,
        label=_("Register Loopbaanprofessional – initiële certificering"),
        snapshot_type=LoopbaanSnapshot,
        evaluate=evaluate_loopbaan,
        parse=parse_loopbaan,
        dump=dump_loopbaan,
        prefetch=prefetch_loopbaan,
        load=load_loopbaan,
        snapshot_of=loopbaan_snapshot,
        evidence=loopbaan_evidence,
        evidence_sections=loopbaan_evidence_sections,
        creator=loopbaan_creator,
        sources=loopbaan_sources,
        start=_start,
        overview=views.overview,
        urlpatterns=urls.urlpatterns,
        admin_inlines=admin.INLINES,
        admin_fields=admin.CONTENT_FIELDS,
        demo=demo.seed,
        demo_complete_portfolio=demo.complete_portfolio,
        dossier=build_loopbaan_dossier,
        document_holders=loopbaan_document_holders,
        row_versions=LOOPBAAN_ROWS,
        example_document=EXAMPLE_DOCUMENT,
        register_code="loopbaanprofessional",
        register_label=_("Register Loopbaanprofessional"),
    )
)
