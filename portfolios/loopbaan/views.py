"""Pages of the Loopbaanprofessional initial-certification portfolio (LP-A … LP-E).

Every page loads the portfolio once with everything the snapshot reads, evaluates it with the
one engine, and renders the checklist and the coverage matrix from that evaluation. The owner
edits in draft; whoever may read the portfolio sees it read-only; everyone else gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portfolios import services
from portfolios.checklist import PortfolioPages, rules_for
from portfolios.evaluation import Evaluation
from portfolios.loopbaan import services as loopbaan_services
from portfolios.loopbaan.checklist import (
    LOOPBAAN_SECTIONS,
    coverage_matrix,
    loopbaan_checklist,
    loopbaan_fix_url,
)
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
from portfolios.loopbaan.snapshot import (
    load_loopbaan,
    load_loopbaan_rows,
    loopbaan_details,
    loopbaan_snapshot,
)
from portfolios.models import Portfolio
from portfolios.overview import overview_context
from portfolios.pages import (
    change_and_return,
    model_values,
    portfolio_or_404,
    posted_files,
    refused_change,
    section_page,
)
from portfolios.permissions import can_edit_portfolio, can_view_portfolio
from portfolios.remembered import Key

# The checklist Section.keys (LOOPBAAN_SECTIONS) of the pages with rows of their own.
EDUCATION = loopbaan_services.COURSES.section
CASES = loopbaan_services.CASES


@dataclass(frozen=True)
class CaseCard:
    """What a page shows of a case without its tasks and texts: its card on the cases page and
    its column of the coverage matrix."""

    pk: int
    number: int
    title: str
    started: date | None
    ended: date | None

    @classmethod
    def of(cls, case: Case) -> CaseCard:
        return cls(case.pk, case.number, case.title, case.started, case.ended)


@dataclass
class Loaded:
    """An LP portfolio with its rows, the engine's evaluation of it and where that is remembered
    (``key``: keeps nothing for a frozen verdict). Read without its rows (``rows_read``), the
    courses and cases are read when first asked for; their ids are remembered under the key."""

    portfolio: Portfolio
    details: LoopbaanDetails
    framework: LoopbaanFramework
    rows_read: bool
    evaluation: Evaluation | None = None
    key: Key = field(default_factory=lambda: Key(None))

    def with_rows(self) -> Portfolio:
        """The portfolio with every row its snapshot reads."""
        if not self.rows_read:
            load_loopbaan_rows(self.portfolio)
            self.rows_read = True
        return self.portfolio

    @cached_property
    def cases(self) -> list[Case]:
        return list(self.with_rows().cases.all())

    @cached_property
    def courses(self) -> list[Course]:
        return list(self.with_rows().courses.all())

    @cached_property
    def case_cards(self) -> list[CaseCard]:
        """The cases as their cards show them, remembered under the key: a page that shows no
        more of them reads none of the rows while the portfolio does not change."""
        return self.key.remembered(
            ("case cards",), lambda: [CaseCard.of(case) for case in self.cases]
        )

    @cached_property
    def _row_ids(self) -> tuple[list[int], list[int]]:
        return self.key.remembered(
            ("case and course ids",),
            lambda: ([case.pk for case in self.cases], [course.pk for course in self.courses]),
        )

    @property
    def case_ids(self) -> list[int]:
        return self._row_ids[0]

    @property
    def course_ids(self) -> list[int]:
        return self._row_ids[1]

    @cached_property
    def snapshot(self) -> LoopbaanSnapshot:
        return loopbaan_snapshot(self.with_rows())


def _load(request, pk: int, *, rows: bool = True) -> Loaded:
    """The portfolio if the user may read it and it is an LP portfolio; 404 otherwise. The owner
    sees the live evaluation during a supplement round, everyone else the frozen one.
    ``rows=False``: the courses and cases only when the page needs them (the overview, whose
    verdict and ids are remembered, reads none of them while the portfolio does not change)."""
    # Asked before any of the rows is read (portfolios.remembered).
    key = services.current_key(Portfolio(pk=pk, framework=LOOPBAAN))
    portfolio = load_loopbaan(pk, rows=rows)
    if portfolio is None or not can_view_portfolio(request.user, portfolio):
        raise Http404
    loaded = Loaded(
        portfolio=portfolio,
        details=loopbaan_details(portfolio),
        framework=loopbaan_framework(version=portfolio.framework_version),
        rows_read=rows,
    )
    live = portfolio.owner_id == request.user.pk
    frozen = services.shown_frozen_evaluation(portfolio, live=live)
    if frozen is None:
        as_of = services.today()
        loaded.key = key
        loaded.evaluation = key.judged(
            lambda: services.evaluate(loopbaan_snapshot(loaded.with_rows()), as_of=as_of)
        )
    else:
        loaded.evaluation = frozen
    return loaded


def _context(request, loaded: Loaded, *, section, current_case_id=None, nav=None, **extra) -> dict:
    """What every page reads; ``section`` is the checklist Section.key the page shows (None on
    the overview); ``nav``, the checklist when the page built it already."""
    portfolio = loaded.portfolio
    return {
        "portfolio": portfolio,
        "details": loaded.details,
        "framework": loaded.framework,
        "evaluation": loaded.evaluation,
        "nav": nav
        if nav is not None
        else loopbaan_checklist(
            portfolio, loaded.evaluation, case_ids=loaded.case_ids, course_ids=loaded.course_ids
        ),
        # Built when the page writes it, not where it is remembered ({% remembered %}).
        "matrix": lambda: coverage_matrix(
            portfolio,
            loaded.evaluation.extra["coverage"],
            loaded.framework,
            case_ids=loaded.case_ids,
            current_case_id=current_case_id,
        ),
        "verdict_key": loaded.key,
        # Read when the page writes them (the overview's matrix is remembered).
        "cases": lambda: loaded.case_cards,
        "editable": can_edit_portfolio(request.user, portfolio, section),
        "is_owner": portfolio.owner_id == request.user.pk,
        **extra,
    }


def _section(
    request, pk, *, form_class, section, template, rule_prefix, uploads=None, anchor="", rows=True
):
    """A section kept on the LP details row, saved as a draft on every valid post. ``rows=False``:
    a page that needs no more of the courses and cases than ``_context`` gives (their ids and
    cards) reads them only when they are not remembered."""
    loaded = _load(request, pk, rows=rows)
    return section_page(
        request,
        loaded.portfolio,
        form=lambda data, files: form_class(data, files, instance=loaded.details),
        save=lambda form: loopbaan_services.update_details(
            portfolio=loaded.portfolio,
            by=request.user,
            section=section,
            values=model_values(form),
            uploads=posted_files(form, uploads or {}),
            cv=form.cleaned_data.get("cv_upload"),
        ),
        template=template,
        context=lambda form: _context(request, loaded, section=section, form=form),
        rule_prefix=rule_prefix,
        section=section,
        next_url=request.path + anchor,
    )


# --- Overview ------------------------------------------------------------------------------------


def overview(request, portfolio: Portfolio):
    """``portfolios:detail`` of an LP portfolio: the shared overview plus matrix and diversity."""
    loaded = _load(request, portfolio.pk, rows=False)
    pages = PortfolioPages(loaded.portfolio)
    case_ids, course_ids = loaded.case_ids, loaded.course_ids
    context = overview_context(
        request,
        loaded.portfolio,
        sections=LOOPBAAN_SECTIONS,
        fix_url=lambda path: loopbaan_fix_url(
            loaded.portfolio, path, case_ids=case_ids, course_ids=course_ids, pages=pages
        ),
        evaluation=loaded.evaluation,
        pages=pages,
    )
    # The checklist and the matrix are written once per version of the rows ({% remembered %}).
    page = _context(request, loaded, section=None, nav=context["nav"]) | context
    return render(request, "portfolios/loopbaan/detail.html", page)


# --- A: Education --------------------------------------------------------------------------------


@login_required
def education(request, pk):
    loaded = _load(request, pk)

    def context(form):
        counted = counted_course_hours(loaded.snapshot.education.courses)
        rejected = dict(counted.rejected)
        route = loaded.framework.route(form.chosen_route) if form.chosen_route else None
        minimum = loaded.framework.course_hours_minimum
        return _context(
            request,
            loaded,
            section=EDUCATION,
            form=form,
            courses=[
                {"course": course, "failures": rejected.get(index, ())}
                for index, course in enumerate(loaded.courses)
            ],
            hours_total=counted.total,
            hours_minimum=minimum,
            hours_percent=min(100, round(100 * counted.total / minimum)),
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

    return section_page(
        request,
        loaded.portfolio,
        form=lambda data, files: EducationForm(
            data, files, instance=loaded.details, framework=loaded.framework
        ),
        save=lambda form: loopbaan_services.update_details(
            portfolio=loaded.portfolio,
            by=request.user,
            section=EDUCATION,
            values=model_values(form),
            uploads=dict(form.uploads()),
        ),
        template="portfolios/loopbaan/education.html",
        context=context,
        rule_prefix="LP-A",
        section=EDUCATION,
    )


def _course_page(request, loaded: Loaded, course: Course):
    portfolio = loaded.portfolio

    def save(form):
        values = model_values(form)
        certificate = form.cleaned_data.get("certificate_upload")
        if course.pk is None:
            return loopbaan_services.add_course(
                portfolio=portfolio, by=request.user, values=values, certificate=certificate
            )
        return loopbaan_services.update_course(
            portfolio=portfolio,
            by=request.user,
            course_id=course.pk,
            values=values,
            certificate=certificate,
        )

    return section_page(
        request,
        portfolio,
        form=lambda data, files: CourseForm(data, files, instance=course),
        save=save,
        template="portfolios/loopbaan/course_form.html",
        context=lambda form: _context(
            request, loaded, section=EDUCATION, form=form, course=course if course.pk else None
        ),
        section=EDUCATION,
        saved=_("Cursus opgeslagen."),
        next_url=reverse("portfolios:lp_education", args=[portfolio.pk]) + "#cursussen",
        upload_field="certificate_upload",
    )


@login_required
def course_new(request, pk):
    loaded = _load(request, pk)
    refused = refused_change(request, loaded.portfolio, section=EDUCATION)
    if refused is not None:
        return refused
    return _course_page(request, loaded, Course(portfolio=loaded.portfolio))


@login_required
def course_edit(request, pk, course_pk):
    loaded = _load(request, pk)
    course = next((c for c in loaded.courses if c.pk == course_pk), None)
    if course is None:
        raise Http404
    refused = refused_change(request, loaded.portfolio, section=EDUCATION)
    if refused is not None:
        return refused
    return _course_page(request, loaded, course)


@login_required
@require_POST
def course_delete(request, pk, course_pk):
    portfolio = portfolio_or_404(request, pk, framework=LOOPBAAN)
    return change_and_return(
        request,
        portfolio,
        lambda: loopbaan_services.remove_course(
            portfolio=portfolio, by=request.user, course_id=course_pk
        ),
        done=_("Cursus verwijderd."),
        section=EDUCATION,
        next_url=reverse("portfolios:lp_education", args=[portfolio.pk]) + "#cursussen",
    )


# --- B: Experience, cv and motivation ----------------------------------------------------------


@login_required
def experience(request, pk):
    return _section(
        request,
        pk,
        form_class=ExperienceForm,
        section="experience",
        template="portfolios/loopbaan/experience.html",
        rule_prefix="LP-B",
        uploads={
            "experience_statement_upload": "experience_statement",
            "working_statement_upload": "working_statement",
        },
    )


# --- C: Cases ------------------------------------------------------------------------------------


@login_required
def cases(request, pk):
    """The two cases, the coverage matrix and the diversity explanation next to it."""
    return _section(
        request,
        pk,
        form_class=DiversityForm,
        section=CASES,
        template="portfolios/loopbaan/cases.html",
        rule_prefix="LP-C",
        anchor="#diversiteit",
        rows=False,
    )


@login_required
@require_POST
def case_add(request, pk):
    portfolio = portfolio_or_404(request, pk, framework=LOOPBAAN)
    refused = refused_change(request, portfolio, section=CASES)
    if refused is not None:
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
    portfolio = portfolio_or_404(request, pk, framework=LOOPBAAN)
    case = get_object_or_404(
        Case.objects.select_related("portfolio"), pk=case_pk, portfolio=portfolio
    )
    refused = refused_change(request, portfolio, section=CASES)
    if refused is not None:
        return refused
    try:
        loopbaan_services.remove_case(case=case, by=request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Casus verwijderd."))
    return redirect("portfolios:lp_cases", portfolio.pk)


@login_required
def case_edit(request, pk, case_pk):
    loaded = _load(request, pk)
    case = next((c for c in loaded.cases if c.pk == case_pk), None)
    if case is None:
        raise Http404

    def save(form):
        data = form.cleaned_data
        return loopbaan_services.update_case(
            case=case,
            by=request.user,
            title=data["title"],
            started=data["started"],
            ended=data["ended"],
            rationale=data["rationale"],
            tasks=form.tasks_payload(),
            texts=form.texts_payload(),
        )

    def context(form):
        index = loaded.cases.index(case)
        return _context(
            request,
            loaded,
            section=CASES,
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

    return section_page(
        request,
        loaded.portfolio,
        form=lambda data, files: CaseForm(data, framework=loaded.framework, case=case),
        save=save,
        template="portfolios/loopbaan/case.html",
        context=context,
        section=CASES,
        saved=_("Casus opgeslagen."),
    )


# --- D: Development plan, E: Declarations -------------------------------------------------------


@login_required
def plan(request, pk):
    return _section(
        request,
        pk,
        form_class=DevelopmentPlanForm,
        section="plan",
        template="portfolios/loopbaan/plan.html",
        rule_prefix="LP-D",
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
    return section_page(
        request,
        portfolio,
        form=lambda data, files: DeclarationsForm(data, initial=initial),
        save=lambda form: loopbaan_services.update_declarations(
            portfolio=portfolio, by=request.user, **form.cleaned_data
        ),
        template="portfolios/loopbaan/declaration.html",
        context=lambda form: _context(request, loaded, section="declaration", form=form),
        rule_prefix="LP-E",
        section="declaration",
    )
