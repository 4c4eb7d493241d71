from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portfolios.selectors import portfolios_of


@login_required
def portfolio_list(request):
    return render(request, "portfolios/list.html", {"portfolios": portfolios_of(request.user)})
