from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments.forms import DeclineForm, JudgementsForm
from assessments.models import Assignment, AssignmentState, Verdict
from assessments.permissions import is_assessor, is_assessor_of, is_certification_coordinator
from assessments.selectors import (
    assignment_for,
    assignments_of,
    judging_groups,
    portfolios_for_certification,
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
from noloc_portal.pdf.services import latest_reports
from portfolios.dossier import DOSSIER

ASSIGNMENTS_PER_PAGE = 25


@login_required
def certification(request):
    if not is_certification_coordinator(request.user):
        raise Http404
    return render(
        request,
        "assessments/certification.html",
        {"portfolios": portfolios_for_certification()},
    )


# --- assessor: own list, declaration, judging (AS-2, AS-3) ------------------------------------


@login_required
def assigned(request):
    """The assessor's own assignments, what waits first, with the next step of each."""
    if not is_assessor(request.user):
        raise Http404
    page = Paginator(assignments_of(request.user), ASSIGNMENTS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    return render(request, "assessments/judge/list.html", {"page": page})


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
