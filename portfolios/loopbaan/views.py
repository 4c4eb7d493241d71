"""Pages of the Loopbaanprofessional initial-certification portfolio (LP-A … LP-E).

Every page loads the portfolio once with everything the snapshot reads, evaluates it with the
one engine, and renders the checklist and the coverage matrix from that evaluation. The owner
edits in draft; whoever may read the portfolio sees it read-only; everyone else gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from noloc_portal.documents.services import store_upload
from noloc_portal.documents.validation import EVIDENCE_KINDS
from noloc_portal.pdf.services import latest_reports
from portfolios import services
from portfolios.checklist import (
    rules_for,
)
from portfolios.dossier import DOSSIER
from portfolios.evaluation import Evaluation
from portfolios.loopbaan import services as loopbaan_services
from portfolios.loopbaan.checklist import coverage_matrix, loopbaan_checklist
from portfolios.loopbaan.forms import (
    CaseForm,
    CourseForm,
    DeclarationsForm,
    DevelopmentPlanForm,
    DiversityForm,
    EducationForm,
    ExperienceForm,
)
from portfolios.loopbaan.framework import LOOPBAAN, LoopbaanFramework, loopbaan_framework
from portfolios.loopbaan.models import Case, Course, LoopbaanDetails
from portfolios.loopbaan.rules import LoopbaanSnapshot, counted_course_hours
from portfolios.loopbaan.snapshot import loopbaan_details, loopbaan_snapshot, prefetch_loopbaan
from portfolios.models import Portfolio
from portfolios.permissions import can_edit_portfolio, can_view_portfolio


@dataclass
class Loaded:
    """An LP portfolio with its rows, its snapshot and the engine's evaluation of it."""

    portfolio: Portfolio
    details: LoopbaanDetails
    framework: LoopbaanFramework
    snapshot: LoopbaanSnapshot
    evaluation: Evaluation
    cases: list[Case]
    courses: list[Course]

    @property
    def case_ids(self) -> list[int]:
        return [case.pk for case in self.cases]

    @property
    def course_ids(self) -> list[int]:
        return [course.pk for course in self.courses]


def _load(request, pk: int) -> Loaded:
    """The portfolio if the user may read it and it is an LP portfolio; 404 otherwise."""
    queryset = prefetch_loopbaan(
        Portfolio.objects.select_related("owner").filter(pk=pk, framework=LOOPBAAN)
    )
    portfolio = queryset.first()
    if portfolio is None or not can_view_portfolio(request.user, portfolio):
        raise Http404
    return _evaluated(portfolio)


def _evaluated(portfolio: Portfolio) -> Loaded:
    snapshot = loopbaan_snapshot(portfolio)
    return Loaded(
        portfolio=portfolio,
        details=loopbaan_details(portfolio),
        framework=loopbaan_framework(version=portfolio.framework_version),
        snapshot=snapshot,
        evaluation=services.evaluate_portfolio(portfolio, snapshot=snapshot),
        cases=list(portfolio.cases.all()),
        courses=list(portfolio.courses.all()),
    )


def _context(request, loaded: Loaded, *, current_case_id=None, **extra) -> dict:
    portfolio = loaded.portfolio
    return {
        "portfolio": portfolio,
        "details": loaded.details,
        "framework": loaded.framework,
        "evaluation": loaded.evaluation,
        "nav": loopbaan_checklist(
            portfolio, loaded.evaluation, case_ids=loaded.case_ids, course_ids=loaded.course_ids
        ),
        "matrix": coverage_matrix(
            portfolio,
            loaded.evaluation.extra["coverage"],
            loaded.framework,
            case_ids=loaded.case_ids,
            current_case_id=current_case_id,
        ),
        "cases": loaded.cases,
        "editable": can_edit_portfolio(request.user, portfolio),
        "is_owner": portfolio.owner_id == request.user.pk,
        **extra,
    }


def _may_post(request, portfolio: Portfolio):
    """None when the user may change the portfolio now; else the response to give."""
    if portfolio.owner_id != request.user.pk:
        raise Http404
    if not portfolio.is_editable:
        messages.warning(
            request,
            _("Dit portfolio is %(state)s; de inhoud kan niet meer worden gewijzigd.")
            % {"state": portfolio.get_state_display().lower()},
        )
        return redirect("portfolios:detail", portfolio.pk)
    return None


def _owner_editable(request, pk: int) -> Loaded:
    loaded = _load(request, pk)
    if loaded.portfolio.owner_id != request.user.pk:
        raise Http404
    return loaded


def _store(upload, owner):
    return store_upload(upload=upload, owner=owner, kinds=EVIDENCE_KINDS)


def _read_only(form) -> None:
    for field in form.fields.values():
        field.disabled = True


def _not_saved(request) -> None:
    messages.error(request, _("Niet opgeslagen: verbeter de gemarkeerde velden."))


def _details_row(portfolio: Portfolio) -> LoopbaanDetails:
    details, _created = LoopbaanDetails.objects.get_or_create(portfolio=portfolio)
    return details


def _section(request, pk, *, form_class, template, rule_prefix, save, anchor=""):
    """A form on the LP details row: saved as a draft on every valid post."""
    loaded = _load(request, pk)
    portfolio = loaded.portfolio
    editable = can_edit_portfolio(request.user, portfolio)
    if request.method == "POST":
        refused = _may_post(request, portfolio)
        if refused:
            return refused
        form = form_class(request.POST, request.FILES, instance=_details_row(portfolio))
        if form.is_valid():
            try:
                with transaction.atomic():
                    save(request, form, portfolio)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Opgeslagen."))
                return redirect(request.path + anchor)
        _not_saved(request)
    else:
        form = form_class(instance=loaded.details)
    if not editable:
        _read_only(form)
    context = _context(request, loaded, form=form)
    context["section_rules"] = rules_for(loaded.evaluation, rule_prefix)
    return render(request, template, context)


def _save_form(request, form, portfolio) -> None:
    form.save()


# --- Overview ------------------------------------------------------------------------------------


def overview(request, portfolio: Portfolio):
    """``portfolios:detail`` of an LP portfolio: checklist, matrix, diversity, submit."""
    loaded = _load(request, portfolio.pk)
    context = _context(request, loaded)
    context["sections"] = context["nav"]
    submission = loaded.portfolio.submissions.order_by("-number").first()
    context["submission"] = submission
    context["dossiers"] = latest_reports(submission, DOSSIER) if submission else []
    return render(request, "portfolios/loopbaan/detail.html", context)


# --- A: Education --------------------------------------------------------------------------------


@login_required
def education(request, pk):
    loaded = _load(request, pk)
    portfolio = loaded.portfolio
    editable = can_edit_portfolio(request.user, portfolio)
    if request.method == "POST":
        refused = _may_post(request, portfolio)
        if refused:
            return refused
        form = EducationForm(
            request.POST,
            request.FILES,
            instance=_details_row(portfolio),
            framework=loaded.framework,
        )
        if form.is_valid():
            try:
                with transaction.atomic():
                    details = form.save(commit=False)
                    for target, upload in form.uploads():
                        setattr(details, target, _store(upload, request.user))
                    details.save()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Opgeslagen."))
                return redirect("portfolios:lp_education", portfolio.pk)
        _not_saved(request)
    else:
        form = EducationForm(instance=loaded.details, framework=loaded.framework)
    if not editable:
        _read_only(form)
    counted = counted_course_hours(loaded.snapshot.education.courses)
    rejected = dict(counted.rejected)
    route = loaded.framework.route(form.chosen_route) if form.chosen_route else None
    context = _context(
        request,
        loaded,
        form=form,
        section_rules=rules_for(loaded.evaluation, "LP-A"),
        courses=[
            {"course": course, "failures": rejected.get(index, ())}
            for index, course in enumerate(loaded.courses)
        ],
        hours_total=counted.total,
        hours_minimum=loaded.framework.course_hours_minimum,
        hours_percent=min(100, round(100 * counted.total / loaded.framework.course_hours_minimum)),
        hours_rule=loaded.evaluation.rule("LP-A-HOURS"),
        course_routes=" ".join(
            str(r.number) for r in loaded.framework.routes if r.needs_course_hours
        ),
        courses_shown=route is not None and route.needs_course_hours,
        documents={
            "diploma": loaded.details.diploma,
            "evc": loaded.details.evc_report,
            "assessment": loaded.details.assessment_report,
        },
    )
    return render(request, "portfolios/loopbaan/education.html", context)


def _course_page(request, loaded: Loaded, course: Course):
    portfolio = loaded.portfolio
    form = CourseForm(request.POST or None, request.FILES or None, instance=course)
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = form.save(commit=False)
                    saved.portfolio = portfolio
                    upload = form.cleaned_data.get("certificate_upload")
                    if upload:
                        saved.certificate = _store(upload, request.user)
                    saved.save()
            except ValidationError as error:
                form.add_error("certificate_upload", error)
            else:
                messages.success(request, _("Cursus opgeslagen."))
                return redirect(
                    reverse("portfolios:lp_education", args=[portfolio.pk]) + "#cursussen"
                )
        _not_saved(request)
    context = _context(request, loaded, form=form, course=course if course.pk else None)
    return render(request, "portfolios/loopbaan/course_form.html", context)


@login_required
def course_new(request, pk):
    loaded = _owner_editable(request, pk)
    refused = _may_post(request, loaded.portfolio)
    if refused:
        return refused
    return _course_page(request, loaded, Course(portfolio=loaded.portfolio))


@login_required
def course_edit(request, pk, course_pk):
    loaded = _owner_editable(request, pk)
    course = next((c for c in loaded.courses if c.pk == course_pk), None)
    if course is None:
        raise Http404
    refused = _may_post(request, loaded.portfolio)
    if refused:
        return refused
    return _course_page(request, loaded, course)


@login_required
@require_POST
def course_delete(request, pk, course_pk):
    portfolio = get_object_or_404(Portfolio, pk=pk, framework=LOOPBAAN)
    if not can_view_portfolio(request.user, portfolio):
        raise Http404
    refused = _may_post(request, portfolio)
    if refused:
        return refused
    Course.objects.filter(pk=course_pk, portfolio=portfolio).delete()
    messages.success(request, _("Cursus verwijderd."))
    return redirect(reverse("portfolios:lp_education", args=[portfolio.pk]) + "#cursussen")


# --- B: Experience, cv and motivation ----------------------------------------------------------


def _save_experience(request, form, portfolio) -> None:
    details = form.save(commit=False)
    for field, target in (
        ("experience_statement_upload", "experience_statement"),
        ("working_statement_upload", "working_statement"),
    ):
        upload = form.cleaned_data.get(field)
        if upload:
            setattr(details, target, _store(upload, request.user))
    details.save()
    upload = form.cleaned_data.get("cv_upload")
    if upload:
        portfolio.cv = _store(upload, request.user)
        portfolio.save(update_fields=["cv", "updated_at"])


@login_required
def experience(request, pk):
    return _section(
        request,
        pk,
        form_class=ExperienceForm,
        template="portfolios/loopbaan/experience.html",
        rule_prefix="LP-B",
        save=_save_experience,
    )


# --- C: Cases ------------------------------------------------------------------------------------


@login_required
def cases(request, pk):
    """The two cases, the coverage matrix and the diversity explanation next to it."""
    return _section(
        request,
        pk,
        form_class=DiversityForm,
        template="portfolios/loopbaan/cases.html",
        rule_prefix="LP-C",
        save=_save_form,
        anchor="#diversiteit",
    )


@login_required
@require_POST
def case_add(request, pk):
    portfolio = get_object_or_404(Portfolio, pk=pk, framework=LOOPBAAN)
    if not can_view_portfolio(request.user, portfolio):
        raise Http404
    refused = _may_post(request, portfolio)
    if refused:
        return refused
    try:
        case = loopbaan_services.add_case(portfolio=portfolio, by=request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
        return redirect("portfolios:lp_cases", portfolio.pk)
    return redirect("portfolios:lp_case", portfolio.pk, case.pk)


@login_required
@require_POST
def case_delete(request, pk, case_pk):
    portfolio = get_object_or_404(Portfolio, pk=pk, framework=LOOPBAAN)
    if not can_view_portfolio(request.user, portfolio):
        raise Http404
    case = get_object_or_404(
        Case.objects.select_related("portfolio"), pk=case_pk, portfolio=portfolio
    )
    refused = _may_post(request, portfolio)
    if refused:
        return refused
    loopbaan_services.remove_case(case=case, by=request.user)
    messages.success(request, _("Casus verwijderd."))
    return redirect("portfolios:lp_cases", portfolio.pk)


@login_required
def case_edit(request, pk, case_pk):
    loaded = _load(request, pk)
    portfolio = loaded.portfolio
    case = next((c for c in loaded.cases if c.pk == case_pk), None)
    if case is None:
        raise Http404
    editable = can_edit_portfolio(request.user, portfolio)
    if request.method == "POST":
        refused = _may_post(request, portfolio)
        if refused:
            return refused
        form = CaseForm(request.POST, framework=loaded.framework, case=case)
        if form.is_valid():
            data = form.cleaned_data
            try:
                loopbaan_services.update_case(
                    case=case,
                    by=request.user,
                    title=data["title"],
                    started=data["started"],
                    ended=data["ended"],
                    rationale=data["rationale"],
                    tasks=form.tasks_payload(),
                    texts=form.texts_payload(),
                )
            except services.TransitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Casus opgeslagen."))
                return redirect("portfolios:lp_case", portfolio.pk, case.pk)
        _not_saved(request)
    else:
        form = CaseForm(framework=loaded.framework, case=case)
    if not editable:
        _read_only(form)
    index = loaded.cases.index(case)
    context = _context(
        request,
        loaded,
        current_case_id=case.pk,
        form=form,
        case=case,
        case_index=index,
        other_case=next((c for c in loaded.cases if c.pk != case.pk), None),
        section_rules=[
            rule
            for rule in rules_for(loaded.evaluation, "LP-C")
            if rule.path.startswith(f"cases[{index}]")
        ],
    )
    return render(request, "portfolios/loopbaan/case.html", context)


# --- D: Development plan, E: Declarations -------------------------------------------------------


@login_required
def plan(request, pk):
    return _section(
        request,
        pk,
        form_class=DevelopmentPlanForm,
        template="portfolios/loopbaan/plan.html",
        rule_prefix="LP-D",
        save=_save_form,
    )


@login_required
def declaration(request, pk):
    loaded = _load(request, pk)
    portfolio = loaded.portfolio
    initial = {
        "code_of_conduct": portfolio.declares_code_of_conduct,
        "complaints_regulation": portfolio.declares_complaints_regulation,
        "truthful": loaded.details.declares_truthful,
    }
    if request.method == "POST":
        refused = _may_post(request, portfolio)
        if refused:
            return refused
        form = DeclarationsForm(request.POST, initial=initial)
        if form.is_valid():
            with transaction.atomic():
                portfolio.declares_code_of_conduct = form.cleaned_data["code_of_conduct"]
                portfolio.declares_complaints_regulation = form.cleaned_data[
                    "complaints_regulation"
                ]
                portfolio.save(
                    update_fields=[
                        "declares_code_of_conduct",
                        "declares_complaints_regulation",
                        "updated_at",
                    ]
                )
                details = _details_row(portfolio)
                details.declares_truthful = form.cleaned_data["truthful"]
                details.save(update_fields=["declares_truthful"])
            messages.success(request, _("Opgeslagen."))
            return redirect("portfolios:lp_declaration", portfolio.pk)
        _not_saved(request)
    else:
        form = DeclarationsForm(initial=initial)
    if not can_edit_portfolio(request.user, portfolio):
        _read_only(form)
    context = _context(
        request, loaded, form=form, section_rules=rules_for(loaded.evaluation, "LP-E")
    )
    return render(request, "portfolios/loopbaan/declaration.html", context)
