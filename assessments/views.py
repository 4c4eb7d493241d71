from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import services, supplement_selectors
from assessments.diff import document_diff
from assessments.forms import (
    UNFILTERED,
    AdviceForm,
    AssignForm,
    DecisionForm,
    DeclineForm,
    InterviewRecordForm,
    InterviewScheduleForm,
    JudgementsForm,
    QueueFilterForm,
)
from assessments.models import (
    Advice,
    AdviceOutcome,
    AssessmentRound,
    Assignment,
    AssignmentState,
    Decision,
    Interview,
    InterviewState,
    Verdict,
)
from assessments.permissions import (
    can_coordinate,
    can_see_round_changes,
    can_view_audit_trail,
    declared_assignment,
    is_assessor,
    is_assessor_of,
    is_certification_coordinator,
)
from assessments.selectors import (
    QUEUE_PAGE_SIZE,
    ListedAssignment,
    all_judged,
    assessor_choices,
    assigned_rows,
    assignment_for,
    audit_trail,
    candidate_assessors,
    current_round,
    held_interview,
    judgements_side_by_side,
    judging_groups,
    listed_assessors,
    open_places,
    queue_for_page,
    queue_rows,
    same_assessors,
    section_choices,
    suggested_assessors,
)
from assessments.services import (
    JudgingError,
    declare_no_conflict,
    decline_assignment,
    finish_judging,
    frozen_rules,
    judged_criteria,
    save_judgements,
)
from assessments.trail import trail_entries
from noloc_portal.lists import form_html, get_page
from noloc_portal.pdf.services import latest_reports
from portfolios import registry
from portfolios.dossier import DOSSIER
from portfolios.models import Portfolio, PortfolioState
from portfolios.registry import framework_version

ASSIGNMENTS_PER_PAGE = 25


# --- coordinator: queue, assignment, decision, audit trail (AS-2, AS-5) ------------------------

TRAIL_PAGE_SIZE = 50


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


_QUEUE_FILTERS = "assessments/coordinator/_queue_filters.html"
# The queue's filters with nothing filtered, by language and the assessors a page of the queue
# was read with: most visits filter nothing, and building the form cost more than the rows of
# the page. Emptied when full. (form_html keys a bound form by its values.)
_UNFILTERED_HTML: dict[tuple, SafeString] = {}


def _unfiltered_filters(listed: str | None) -> SafeString:
    """The HTML of the queue's filter form with nothing filtered, for a page read with the
    assessors ``listed`` (``selectors.listed_assessors``: None for an empty page). Kept only
    when the assessors the form lists are those, so that nothing is kept under assessors that
    changed between the two reads."""
    key = (get_language(), listed)
    html = _UNFILTERED_HTML.get(key) if listed is not None else None
    if html is None:
        assessors = assessor_choices()
        html = render_to_string(_QUEUE_FILTERS, {"form": QueueFilterForm(assessors=assessors)})
        if listed is not None and same_assessors(listed, assessors):
            if len(_UNFILTERED_HTML) >= 100:
                _UNFILTERED_HTML.clear()
            _UNFILTERED_HTML[key] = html
    return html


@login_required
def certification(request):
    """The certification coordinator's queue: portfolios by state, longest waiting first."""
    if not is_certification_coordinator(request.user):
        raise Http404
    form = None
    filters = UNFILTERED
    if request.GET.keys() & QueueFilterForm.base_fields.keys():
        form = QueueFilterForm(request.GET, assessors=assessor_choices())
        filters = form.filters()
    now = timezone.now()
    page = get_page(queue_for_page(**filters, now=now), QUEUE_PAGE_SIZE, request.GET.get("pagina"))
    values = list(page)
    return render(
        request,
        "assessments/coordinator/queue.html",
        {
            "form": form,
            "filters": (
                _unfiltered_filters(listed_assessors(values))
                if form is None
                else form_html(_QUEUE_FILTERS, form)
            ),
            "page": page,
            "rows": queue_rows(values, now=now),
            "query": _query_without_page(request),
        },
    )


def _coordinated_portfolio(request, pk) -> Portfolio:
    portfolio = get_object_or_404(
        Portfolio.objects.select_related("owner").prefetch_related(
            Prefetch(
                "rounds",
                queryset=AssessmentRound.objects.select_related("advice__advised_by")
                .prefetch_related(
                    Prefetch(
                        "assignments",
                        queryset=Assignment.objects.select_related(
                            "assessor", "assigned_by"
                        ).order_by("pk"),
                    )
                )
                .order_by("-number"),
            )
        ),
        pk=pk,
    )
    if not can_coordinate(request.user, portfolio):
        raise Http404
    return portfolio


def _coordinator_page(request, portfolio, *, assign_form=None, decision_form=None, status=200):
    """The coordinator's page of one portfolio: its rounds and assessors, and what to do now
    (assign, record the decision) with the form for it."""
    round_ = current_round(portfolio)
    places = open_places(portfolio, round_)
    today = timezone.localdate()
    candidates = suggestion = []
    if places:
        candidates = candidate_assessors(portfolio, round=round_, as_of=today)
        suggestion = suggested_assessors(candidates, places=places)
        if assign_form is None:
            assign_form = AssignForm(
                candidates=candidates,
                places=places,
                initial={"assessors": [str(c.assessor.pk) for c in suggestion]},
            )
    advice = services.decidable_advice(portfolio) if portfolio.state == "advised" else None
    if advice is not None and decision_form is None:
        decision_form = DecisionForm(initial={"outcome": advice.outcome})
    decision = (
        Decision.objects.select_related("decided_by", "advice", "registration")
        .filter(portfolio=portfolio)
        .first()
    )
    chosen = set()
    if assign_form is not None:
        values = {str(value) for value in (assign_form["assessors"].value() or [])}
        chosen = {c.assessor.pk for c in candidates if str(c.assessor.pk) in values}
    return render(
        request,
        "assessments/coordinator/portfolio.html",
        {
            "portfolio": portfolio,
            "rounds": list(portfolio.rounds.all()),
            "current_round": round_,
            "places": places,
            "candidates": candidates,
            "suggestion": {c.assessor.pk for c in suggestion},
            "chosen": chosen,
            "assign_form": assign_form if places else None,
            "advice": advice,
            "decision_form": decision_form if advice is not None else None,
            "decision": decision,
            "register": registry.get(portfolio.framework).register_label,
        },
        status=status,
    )


@login_required
def certification_portfolio(request, pk):
    return _coordinator_page(request, _coordinated_portfolio(request, pk))


@login_required
@require_POST
def certification_assign(request, pk):
    """AS-2 through services.assign_assessors; a refusal is shown next to the choice."""
    portfolio = _coordinated_portfolio(request, pk)
    round_ = current_round(portfolio)
    places = open_places(portfolio, round_)
    if not places:
        messages.error(request, _("Dit portfolio wacht niet op een assessor."))
        return redirect("assessments:certification_portfolio", portfolio.pk)
    candidates = candidate_assessors(portfolio, round=round_, as_of=timezone.localdate())
    form = AssignForm(request.POST, candidates=candidates, places=places)
    if form.is_valid():
        chosen = [candidate.assessor for candidate in form.cleaned_data["assessors"]]
        try:
            services.assign_assessors(round=round_, assessors=chosen, by=request.user)
        except services.AssignmentError as error:
            form.add_error("assessors", str(error))
        else:
            messages.success(
                request,
                _("Toegewezen: %(names)s. De assessor krijgt een e-mail.")
                % {"names": ", ".join(str(person) for person in chosen)},
            )
            return redirect("assessments:certification_portfolio", portfolio.pk)
    return _coordinator_page(request, portfolio, assign_form=form)


@login_required
@require_POST
def certification_decide(request, pk):
    """AS-5 through services.record_decision; a refusal is shown on the form."""
    portfolio = _coordinated_portfolio(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decision = services.record_decision(
                portfolio=portfolio, by=request.user, **form.cleaned_data
            )
        except services.DecisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Het besluit (%(outcome)s) is vastgelegd en de eigenaar krijgt een e-mail.")
                % {"outcome": decision.get_outcome_display().lower()},
            )
            return redirect("assessments:certification_portfolio", portfolio.pk)
    if services.decidable_advice(portfolio) is None or portfolio.state != "advised":
        messages.error(request, form.non_field_errors().as_text() or _("Geen besluit mogelijk."))
        return redirect("assessments:certification_portfolio", portfolio.pk)
    return _coordinator_page(request, portfolio, decision_form=form)


@login_required
def certification_audit(request, pk):
    """The audit trail of one portfolio: every recorded event, who and when."""
    portfolio = get_object_or_404(Portfolio.objects.select_related("owner"), pk=pk)
    if not can_view_audit_trail(request.user, portfolio):
        raise Http404
    page = get_page(audit_trail(portfolio), TRAIL_PAGE_SIZE, request.GET.get("pagina"))
    return render(
        request,
        "assessments/coordinator/audit.html",
        {
            "portfolio": portfolio,
            "page": page,
            "entries": trail_entries(page),
            "coordinates": can_coordinate(request.user, portfolio),
        },
    )


# --- assessor: own list, declaration, judging (AS-2, AS-3) ------------------------------------


@login_required
def assigned(request):
    """The assessor's own assignments, what waits first, with the next step of each."""
    if not is_assessor(request.user):
        raise Http404
    page = get_page(assigned_rows(request.user), ASSIGNMENTS_PER_PAGE, request.GET.get("pagina"))
    rows = [ListedAssignment.of(values) for values in page]
    return render(request, "assessments/judge/list.html", {"page": page, "rows": rows})


def _own_assignment(request, pk: int) -> Assignment:
    """The assignment if the user is its assessor; 404 for anyone else and once declined."""
    try:
        assignment = assignment_for(pk)
    except Assignment.DoesNotExist:
        raise Http404 from None
    if not is_assessor_of(request.user, assignment):
        raise Http404
    if assignment.state == AssignmentState.DECLINED:
        raise Http404
    return assignment


@login_required
def assignment(request, pk: int):
    """Before declaring: the declaration (or the decline with a reason), no portfolio content.
    After: the round's page with the way to the portfolio, the judging and the next step."""
    assignment = _own_assignment(request, pk)
    decline_form = DeclineForm()
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "declare":
                declare_no_conflict(assignment=assignment, by=request.user)
                messages.success(
                    request, _("Je verklaring is vastgelegd. Het portfolio is nu voor je open.")
                )
                return redirect("assessments:judge", assignment.pk)
            if action == "decline":
                decline_form = DeclineForm(request.POST)
                if decline_form.is_valid():
                    decline_assignment(
                        assignment=assignment,
                        by=request.user,
                        reason=decline_form.cleaned_data["reason"],
                    )
                    messages.success(
                        request,
                        _(
                            "Je hebt deze beoordeling afgewezen. De coördinator certificeren "
                            "is op de hoogte gebracht en wijst een andere assessor toe."
                        ),
                    )
                    return redirect("assessments:assigned")
            else:
                error = _("Kies of je verklaart of afwijst.")
        except JudgingError as refused:
            error = str(refused)
            assignment = assignment_for(assignment.pk)
    portfolio = assignment.round.portfolio
    context = {
        "assignment": assignment,
        "portfolio": portfolio,
        "decline_form": decline_form,
        "error": error,
    }
    if assignment.state == AssignmentState.PENDING_DECLARATION:
        return render(request, "assessments/judge/declaration.html", context)
    submission = assignment.round.submission
    context["dossiers"] = latest_reports(submission, DOSSIER) if submission else []
    return render(request, "assessments/judge/assignment.html", context)


@login_required
def judge(request, pk: int):
    """AS-3: a verdict and an explanation per criterion, beside each the frozen rule results and
    the evidence. Saving keeps a draft; finishing checks every criterion and closes the
    judgement, which is read-only from then on."""
    assignment = _own_assignment(request, pk)
    if assignment.state == AssignmentState.PENDING_DECLARATION:
        return redirect("assessments:assignment", assignment.pk)
    criteria = judged_criteria(assignment)
    rules = frozen_rules(assignment.round)
    typed = None
    errors: dict[str, str] = {}
    error = ""
    if request.method == "POST" and assignment.state == AssignmentState.JUDGING:
        form = JudgementsForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                save_judgements(assignment=assignment, by=request.user, values=form.values())
                if request.POST.get("action") == "finish":
                    finish_judging(assignment=assignment, by=request.user)
                    messages.success(request, _("Je beoordeling is afgerond."))
                    return redirect("assessments:assignment", assignment.pk)
                messages.success(request, _("Je beoordeling is als concept opgeslagen."))
                return redirect("assessments:judge", assignment.pk)
            except JudgingError as refused:
                error, errors = str(refused), refused.errors
                typed = form.typed()
        else:
            error = _("Niet opgeslagen: verbeter de gemarkeerde criteria.")
            errors, typed = form.criterion_errors(), form.typed()
        assignment = assignment_for(assignment.pk)
    elif request.method == "POST":
        error = _("Je beoordeling is afgerond en kan niet meer worden gewijzigd.")
    groups = judging_groups(assignment, criteria, rules, typed=typed, errors=errors)
    return render(
        request,
        "assessments/judge/judge.html",
        {
            "assignment": assignment,
            "portfolio": assignment.round.portfolio,
            "groups": groups,
            "editable": assignment.state == AssignmentState.JUDGING,
            "error": error,
            "verdicts": Verdict.choices,
            "explanation_limit": JudgementsForm.explanation_limit(),
        },
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


# --- supplement rounds: what changed since the previous round --------------------------------


@login_required
def supplement_diff(request, pk):
    """Per section and per item, the round's submission beside the previous round's."""
    round = get_object_or_404(
        AssessmentRound.objects.select_related("portfolio__owner", "submission"), pk=pk
    )
    if not can_see_round_changes(request.user, round):
        raise Http404
    previous = (
        round.portfolio.rounds.filter(number__lt=round.number)
        .select_related("submission")
        .order_by("-number")
        .first()
    )
    if previous is None:
        raise Http404
    old = previous.submission.document if previous.submission else None
    new = round.submission.document if round.submission else None
    sections = document_diff(round.portfolio.framework, old, new)
    return render(
        request,
        "assessments/supplement/diff.html",
        {
            "round": round,
            "previous": previous,
            "portfolio": round.portfolio,
            "sections": sections,
            "changed_count": sum(section.changed for section in sections),
            "perms_assessor": is_assessor(request.user),
            "perms_coordinator": is_certification_coordinator(request.user),
        },
    )


def overview_notice(*, request, portfolio, place) -> str:
    """At the top of the portfolio overview (portfolios.hooks.on_overview_notice): the owner's
    status card; for those who may read the current round's changes, a link to them. On a
    section page only the owner's banner of a supplement round: what was asked, by when."""
    if place == "section":
        if (
            portfolio.owner_id != request.user.pk
            or portfolio.state != PortfolioState.SUPPLEMENT_REQUESTED
        ):
            return ""
        context = supplement_selectors.owner_status(portfolio)
        return render_to_string(
            "assessments/supplement/section_banner.html", context, request=request
        )
    if portfolio.owner_id == request.user.pk:
        context = supplement_selectors.owner_status(portfolio)
        if context is None:
            return ""
        template = "assessments/supplement/owner_status.html"
        return render_to_string(template, context, request=request)
    latest = portfolio.rounds.order_by("-number").first()
    if latest is None or latest.number == 1 or not can_see_round_changes(request.user, latest):
        return ""
    return render_to_string(
        "assessments/supplement/changes_notice.html", {"round": latest}, request=request
    )
