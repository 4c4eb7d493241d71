"""Pages around a registration that runs out (AS-5): the list for the certification coordinator
and the secretariat, and the professional's start of the recertification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.forms import ExpiringRegistrationsForm
from assessments.models import Registration
from assessments.permissions import (
    can_recertify,
    can_see_expiring_registrations,
    is_certification_coordinator,
)
from assessments.recertification_selectors import (
    ASSESSING,
    current_registrations,
    expiring_for_page,
    recertification_frameworks,
    recertification_portfolio,
    register_label,
)
from assessments.recertification_services import RecertificationError, start_recertification
from noloc_portal.lists import RowUrl, form_html, get_page

PAGE_SIZE = 25


@login_required
def expiring(request):
    """Registrations that end within the chosen horizon, the soonest first."""
    if not can_see_expiring_registrations(request.user):
        raise Http404
    form = ExpiringRegistrationsForm(request.GET or None)
    months = form.horizon()
    today = timezone.localdate()
    page = get_page(
        expiring_for_page(as_of=today, months=months), PAGE_SIZE, request.GET.get("pagina")
    )
    labels = {}
    portfolio_url = RowUrl("assessments:certification_portfolio")
    for registration in page:
        if registration.register not in labels:
            labels[registration.register] = register_label(registration.register)
        registration.register_label = labels[registration.register]
        registration.days_left = (registration.valid_until - today).days
        if registration.recertification_pk is not None:
            registration.recertification_url = portfolio_url(registration.recertification_pk)
    return render(
        request,
        "assessments/coordinator/expiring.html",
        {
            "form": form,
            "filters": form_html("assessments/coordinator/_expiring_filters.html", form),
            "months": months,
            "page": page,
            "is_coordinator": is_certification_coordinator(request.user),
            "assessing": ASSESSING,
            "query": f"months={months}",
        },
    )


@login_required
def recertify(request, pk):
    """The link of the reminder and of the start page: what the recertification portfolio will
    cover, and the button that starts it (or the way to the one already started)."""
    registration = get_object_or_404(Registration.objects.select_related("owner"), pk=pk)
    if not can_recertify(request.user, registration):
        raise Http404
    renewed = not current_registrations().filter(pk=registration.pk).exists()
    portfolio = None if renewed else recertification_portfolio(registration)
    if request.method == "POST":
        try:
            portfolio = start_recertification(registration=registration, by=request.user)
        except RecertificationError as error:
            messages.error(request, str(error))
            return redirect("assessments:recertify", registration.pk)
        messages.success(
            request,
            _(
                "Je hercertificeringsportfolio staat klaar. De hercertificeringsdatum is de "
                "einddatum van je registratie."
            ),
        )
        return redirect("portfolios:detail", portfolio.pk)
    return render(
        request,
        "assessments/recertify.html",
        {
            "registration": registration,
            "register": register_label(registration.register),
            "renewed": renewed,
            "portfolio": portfolio,
            "assessing": portfolio is not None and portfolio.state in ASSESSING,
            "can_start": bool(recertification_frameworks(registration.register)),
            "ended": registration.valid_until < timezone.localdate(),
        },
    )
