"""The owner's "download my whole portfolio" (data portability): the exchange bundle."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from portfolios.evaluation.common import DocumentError
from portfolios.exchange.storage import export_bundle
from portfolios.models import Portfolio


@login_required
def bundle_download(request, pk: int):
    # Owner only; anyone else gets 404 (house style §4), staff included: they have the admin.
    portfolio = get_object_or_404(Portfolio, pk=pk, owner=request.user)
    try:
        data = export_bundle(portfolio)
    except DocumentError:
        messages.error(request, _("Downloaden is voor dit soort portfolio nog niet mogelijk."))
        return redirect("portfolios:list")
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"portfolio-{portfolio.pk}.zip",
        content_type="application/zip",
    )
