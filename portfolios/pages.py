"""Page behaviour every framework's views share: finding the portfolio (404 for outsiders),
refusing a change to a frozen portfolio, and saving a section form as a draft."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from portfolios.models import Portfolio
from portfolios.permissions import can_view_portfolio


def portfolio_or_404(request, pk: int, *, framework: str | None, queryset=None) -> Portfolio:
    """The portfolio if the user may read it; 404 for everyone else (style §4). A framework's
    pages only exist for portfolios of that framework (``framework=None``: any)."""
    portfolios = queryset if queryset is not None else Portfolio.objects.select_related("owner")
    if framework is not None:
        portfolios = portfolios.filter(framework=framework)
    portfolio = get_object_or_404(portfolios, pk=pk)
    if not can_view_portfolio(request.user, portfolio):
        raise Http404
    return portfolio


def owner_only(request, portfolio: Portfolio) -> Portfolio:
    """Only the owner changes a portfolio; anyone else who may read it gets 404 on a change."""
    if portfolio.owner_id != request.user.pk:
        raise Http404
    return portfolio


def frozen_redirect(request, portfolio: Portfolio):
    messages.warning(
        request,
        _("Dit portfolio is %(state)s; de inhoud kan niet meer worden gewijzigd.")
        % {"state": portfolio.get_state_display().lower()},
    )
    return redirect("portfolios:detail", portfolio.pk)


def refused_change(request, portfolio: Portfolio):
    """None when the user may change the portfolio now; else the response to give."""
    owner_only(request, portfolio)
    if not portfolio.is_editable:
        return frozen_redirect(request, portfolio)
    return None


def read_only(form) -> None:
    for field in form.fields.values():
        field.disabled = True


def not_saved(request) -> None:
    messages.error(request, _("Niet opgeslagen: verbeter de gemarkeerde velden."))


def save_section(request, portfolio: Portfolio, form, save: Callable[[], object], *, anchor=""):
    """Run ``save`` for a valid posted ``form``; the redirect on success, else None (the form
    then carries the errors and the page is shown again with everything the user entered)."""
    if form.is_valid():
        try:
            save()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect(request.path + anchor)
    not_saved(request)
    return None
