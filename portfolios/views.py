"""Pages every framework shares: the list, starting a portfolio, its overview (the framework's
own page), submit and withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portfolios import registry, services
from portfolios.forms import NewPortfolioForm
from portfolios.models import PortfolioState
from portfolios.pages import owner_only, portfolio_or_404
from portfolios.permissions import can_start_portfolio
from portfolios.selectors import own_portfolios


@login_required
def portfolio_list(request):
    if not can_start_portfolio(request.user):
        raise Http404
    return render(request, "portfolios/list.html", {"portfolios": own_portfolios(request.user)})


@login_required
def portfolio_new(request):
    if not can_start_portfolio(request.user):
        raise Http404
    form = NewPortfolioForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        framework = registry.get(form.cleaned_data["framework"])
        try:
            portfolio = framework.start(owner=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Je portfolio is aangemaakt. Begin waar je wilt."))
            return redirect("portfolios:detail", portfolio.pk)
    return render(request, "portfolios/new.html", {"form": form})


@login_required
def portfolio_detail(request, pk):
    portfolio = portfolio_or_404(request, pk, framework=None)
    return registry.get(portfolio.framework).overview(request, portfolio)


@login_required
@require_POST
def submit(request, pk):
    portfolio = owner_only(request, portfolio_or_404(request, pk, framework=None))
    resubmission = portfolio.state == PortfolioState.SUPPLEMENT_REQUESTED
    try:
        services.submit_portfolio(portfolio=portfolio, by=request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Je aanvulling is ingediend. Dezelfde assessoren bekijken wat je hebt aangevuld; "
                "je hoort van ons zodra er een advies is."
            )
            if resubmission
            else _(
                "Je portfolio is ingediend. De coördinator certificeren wijst een assessor toe; "
                "je hoort van ons zodra er een advies is."
            ),
        )
    return redirect("portfolios:detail", portfolio.pk)


@login_required
@require_POST
def withdraw(request, pk):
    portfolio = owner_only(request, portfolio_or_404(request, pk, framework=None))
    try:
        services.withdraw_portfolio(portfolio=portfolio, by=request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Het portfolio is ingetrokken."))
    return redirect("portfolios:list")
