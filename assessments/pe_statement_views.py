"""Pages of the assessor's PE statement (JC-B category 4; assessments.pe_statements): the
certification coordinator's overview per period, one assessor's candidates with the button that
issues the statement, and the assessor's own statements with their PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import pe_statements as statements
from assessments.forms import PEStatementPeriodForm
from assessments.permissions import is_assessor, is_certification_coordinator
from assessments.selectors import assessors
from noloc_portal.accounts.models import User

PAGE_SIZE = 25


def _coordinator_only(request) -> None:
    if not is_certification_coordinator(request.user):
        raise Http404


def _period_form(request) -> PEStatementPeriodForm:
    """The period asked for in the query, else the previous calendar year."""
    if "period_start" in request.GET or "period_end" in request.GET:
        return PEStatementPeriodForm(request.GET)
    return PEStatementPeriodForm(PEStatementPeriodForm.default_period(timezone.localdate()))


def _period(form: PEStatementPeriodForm):
    if form.is_valid():
        return form.cleaned_data["period_start"], form.cleaned_data["period_end"]
    return None


def _period_query(period) -> str:
    return urlencode({"period_start": period[0].isoformat(), "period_end": period[1].isoformat()})


@login_required
def pe_statements(request):
    """The coordinator's overview: every assessor with the candidates of the chosen period from
    the records and the points a statement would prove; the statements issued so far."""
    _coordinator_only(request)
    form = _period_form(request)
    period = _period(form)
    rows, page = [], None
    if period is not None:
        page = Paginator(
            statements.assessors_in_period(period_start=period[0], period_end=period[1]),
            PAGE_SIZE,
        ).get_page(request.GET.get("pagina"))
        rows = [
            {
                "assessor": assessor,
                "proof": statements.proof(
                    candidates=assessor.candidates, period_start=period[0], period_end=period[1]
                ),
            }
            for assessor in page
        ]
    issued = Paginator(statements.issued_statements(), PAGE_SIZE).get_page(
        request.GET.get("verklaringen")
    )
    return render(
        request,
        "assessments/pe_statements/overview.html",
        {
            "form": form,
            "period": period,
            "period_query": _period_query(period) if period else "",
            "page": page,
            "rows": rows,
            "issued_page": issued,
            "issued": statements.with_latest_jobs(issued),
        },
    )


def _assessor_page(request, assessor, *, form, status=200):
    period = _period(form)
    candidates, proof, covered = [], None, False
    if period is not None:
        candidates = statements.candidates_of(
            assessor, period_start=period[0], period_end=period[1]
        )
        proof = statements.proof(
            candidates=len(candidates), period_start=period[0], period_end=period[1]
        )
        covered = (
            statements.statements_of(assessor)
            .filter(period_start__lte=period[1], period_end__gte=period[0])
            .first()
        )
    return render(
        request,
        "assessments/pe_statements/assessor.html",
        {
            "assessor": assessor,
            "form": form,
            "period": period,
            "period_query": _period_query(period) if period else "",
            "candidates": candidates,
            "proof": proof,
            "covered": covered,
            "ended": period is not None and period[1] <= timezone.localdate(),
            "statements": statements.with_latest_jobs(statements.statements_of(assessor)),
        },
        status=status,
    )


def _assessor(pk: int) -> User:
    return get_object_or_404(assessors(), pk=pk)


@login_required
def pe_statement_assessor(request, pk):
    """One assessor: the candidates of the period from the records, the statement it gives and
    the statements issued before."""
    _coordinator_only(request)
    return _assessor_page(request, _assessor(pk), form=_period_form(request))


@login_required
@require_POST
def pe_statement_issue(request, pk):
    """Issue (sign) the statement through pe_statements.issue_pe_statement; a refusal is shown
    next to the period, which stays as typed."""
    _coordinator_only(request)
    assessor = _assessor(pk)
    form = PEStatementPeriodForm(request.POST)
    if form.is_valid():
        try:
            statement = statements.issue_pe_statement(
                assessor=assessor,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                by=request.user,
            )
        except statements.PEStatementError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(
                request,
                _(
                    "De verklaring voor %(name)s is ondertekend (%(points)s PE-punten). De PDF "
                    "wordt gemaakt en de assessor krijgt een e-mail."
                )
                % {"name": assessor, "points": statement.points},
            )
            url = reverse("assessments:pe_statement_assessor", args=[assessor.pk])
            period = (statement.period_start, statement.period_end)
            return redirect(f"{url}?{_period_query(period)}")
    return _assessor_page(request, assessor, form=form, status=400)


@login_required
def my_pe_statements(request):
    """The assessor's own statements, each with its PDF, and where to take it over."""
    if not is_assessor(request.user):
        raise Http404
    page = Paginator(statements.statements_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "assessments/pe_statements/mine.html",
        {"page": page, "statements": statements.with_latest_jobs(page)},
    )
