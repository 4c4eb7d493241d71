from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import services
from assessments.forms import AdviceForm, InterviewRecordForm, InterviewScheduleForm
from assessments.models import Advice, AdviceOutcome, AssessmentRound, Interview, InterviewState
from assessments.permissions import (
    declared_assignment,
    is_assessor,
    is_certification_coordinator,
)
from assessments.selectors import (
    all_judged,
    assignments_of,
    held_interview,
    judgements_side_by_side,
    portfolios_for_certification,
    section_choices,
)
from portfolios.registry import framework_version


@login_required
def assigned(request):
    if not is_assessor(request.user):
        raise Http404
    return render(
        request, "assessments/assigned.html", {"assignments": assignments_of(request.user)}
    )


@login_required
def certification(request):
    if not is_certification_coordinator(request.user):
        raise Http404
    return render(
        request,
        "assessments/certification.html",
        {"portfolios": portfolios_for_certification()},
    )


# --- interview and advice (AS-4, AS-5, AS-6) ---------------------------------------------------


def _round_of_assessor(request, pk: int):
    """The round and the visitor's declared assignment of it; a 404 for everybody else."""
    round_ = get_object_or_404(AssessmentRound.objects.select_related("portfolio__owner"), pk=pk)
    assignment = declared_assignment(request.user, round_)
    if assignment is None:
        raise Http404
    return round_, assignment


def _round_context(round_, assignment, *, page: str) -> dict:
    portfolio = round_.portfolio
    version = framework_version(portfolio.framework, version=portfolio.framework_version)
    return {
        "round": round_,
        "portfolio": portfolio,
        "assignment": assignment,
        "version": version,
        "page": page,
    }


@login_required
def compare(request, pk: int):
    """The judgements of the round per criterion, side by side (AS-4): the differences stand
    out, with the interview notes once recorded. Until both assessors finished, an assessor sees
    only their own judgements."""
    round_, assignment = _round_of_assessor(request, pk)
    shown, rows = judgements_side_by_side(round=round_, viewer=request.user)
    everyone_judged = all_judged(round_)
    interview = held_interview(round_)
    return render(
        request,
        "assessments/advice/compare.html",
        {
            **_round_context(round_, assignment, page="compare"),
            "assignments": shown,
            "rows": rows,
            "all_judged": everyone_judged,
            "differences": sum(1 for row in rows if row.differs) if everyone_judged else 0,
            "interview": interview,
        },
    )


@login_required
def advice(request, pk: int):
    """AS-5, AS-6: the certification advice of the round, once; shown as recorded afterwards."""
    round_, assignment = _round_of_assessor(request, pk)
    portfolio = round_.portfolio
    recorded = Advice.objects.filter(round=round_).select_related("advised_by").first()
    sections = section_choices(portfolio)
    form = AdviceForm(request.POST if request.method == "POST" else None, sections=sections)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.record_advice(
                round=round_,
                by=request.user,
                outcome=data["outcome"],
                motivation=data["motivation"],
                development_advice=data["development_advice"],
                supplement_sections=data["supplement_sections"],
                supplement_deadline=data["supplement_deadline"],
            )
        except services.AdviceError as error:
            form.add_error(error.field, str(error))
        else:
            if result.outcome == AdviceOutcome.SUPPLEMENT:
                messages.success(
                    request,
                    _(
                        "De aanvulling is gevraagd. De professional krijgt een e-mail met de "
                        "onderdelen en de uiterste datum."
                    ),
                )
            else:
                messages.success(
                    request,
                    _(
                        "Het advies is vastgelegd. De coördinator certificeren krijgt bericht "
                        "voor het besluit."
                    ),
                )
            return redirect("assessments:advice", round_.pk)
    refusal = None if recorded else services.advice_refusal(round=round_, by=request.user)
    titles = dict(sections)
    return render(
        request,
        "assessments/advice/advice.html",
        {
            **_round_context(round_, assignment, page="advice"),
            "advice": recorded,
            "advice_sections": [
                titles.get(key, key) for key in (recorded.supplement_sections if recorded else [])
            ],
            "refusal": refusal,
            "form": form,
            "show_form": (recorded is None and refusal is None) or bool(form.errors),
            "latest_deadline": services.latest_supplement_deadline(timezone.localdate()),
            "supplement_months": services.SUPPLEMENT_MONTHS,
        },
    )


def _interview_round(request, pk: int):
    round_, assignment = _round_of_assessor(request, pk)
    portfolio = round_.portfolio
    if not framework_version(portfolio.framework, version=portfolio.framework_version).interview:
        raise Http404
    return round_, assignment


@login_required
def interview(request, pk: int):
    """AS-4: plan (or move) the certification interview; the candidate is told by e-mail."""
    round_, assignment = _interview_round(request, pk)
    planned = (
        Interview.objects.filter(round=round_).select_related("scheduled_by", "recorded_by").first()
    )
    form = InterviewScheduleForm(
        request.POST if request.method == "POST" else None,
        initial=InterviewScheduleForm.initial_of(planned),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.schedule_interview(
                round=round_,
                by=request.user,
                starts_at=form.starts_at(),
                location=data["location"],
                online_link=data["online_link"],
            )
        except services.InterviewError as error:
            form.add_error({"starts_at": "date"}.get(error.field, error.field), str(error))
        else:
            messages.success(
                request,
                _("Het toetsingsgesprek is gepland. De kandidaat krijgt een e-mail."),
            )
            return redirect("assessments:interview", round_.pk)
    return render(
        request,
        "assessments/advice/interview.html",
        {
            **_round_context(round_, assignment, page="interview"),
            "interview": planned,
            "notes": planned.criterion_notes.all() if planned else [],
            "earlier": held_interview(round_) if planned is None else None,
            "form": form,
        },
    )


@login_required
def interview_record(request, pk: int):
    """AS-4: record the interview as held, with notes per criterion."""
    round_, assignment = _interview_round(request, pk)
    planned = Interview.objects.filter(round=round_).first()
    if planned is None or planned.state == InterviewState.HELD:
        return redirect("assessments:interview", round_.pk)
    context = _round_context(round_, assignment, page="interview")
    form = InterviewRecordForm(
        request.POST if request.method == "POST" else None,
        criteria=context["version"].criteria,
        initial={"held_on": timezone.localtime(planned.starts_at).date()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_interview(
                interview=planned,
                by=request.user,
                held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"],
                criterion_notes=form.criterion_notes(),
            )
        except services.InterviewError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("Het verslag van het toetsingsgesprek is vastgelegd."))
            return redirect("assessments:interview", round_.pk)
    return render(
        request,
        "assessments/advice/interview_record.html",
        {**context, "interview": planned, "form": form},
    )
