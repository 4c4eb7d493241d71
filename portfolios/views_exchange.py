"""Download a whole portfolio as the exchange bundle: the owner's data portability, and the
assessor's and coordinator's copy of what was submitted."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from portfolios.evaluation.common import DocumentError
from portfolios.exchange.storage import export_bundle
from portfolios.models import Portfolio, PortfolioState
from portfolios.permissions import can_view_portfolio


@login_required
def bundle_download(request, pk: int):
    # The owner, and past the draft whoever may read the portfolio (the assigned assessor, the
    # certification coordinator, staff); anyone else gets 404 (house style §4).
    portfolio = get_object_or_404(Portfolio.objects.select_related("owner"), pk=pk)
    if portfolio.owner_id != request.user.pk and (
        portfolio.state == PortfolioState.DRAFT or not can_view_portfolio(request.user, portfolio)
    ):
        raise Http404
    try:
        data = export_bundle(portfolio)
    except DocumentError:
        messages.error(request, _("Downloaden is voor dit soort portfolio nog niet mogelijk."))
        return redirect("portfolios:detail", portfolio.pk)
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"portfolio-{portfolio.pk}.zip",
        content_type="application/zip",
    )
