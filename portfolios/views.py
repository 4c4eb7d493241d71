"""Pages of the Jobcoach recertification portfolio. Views parse input, call a service or save
a section, and render; the rules are the engine's."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from noloc_portal.documents.services import store_upload
from noloc_portal.documents.validation import EVIDENCE_KINDS, REPORT_KINDS
from noloc_portal.pdf.services import latest_reports
from portfolios import services, views_loopbaan
from portfolios.checklist import build_checklist, rules_for
from portfolios.evaluation import evaluate
from portfolios.evaluation.jobcoach import PEActivity as ActivitySnapshot
from portfolios.evaluation.jobcoach import overlap_pairs, pe_window, score_activity
from portfolios.forms import (
    A1Form,
    A2Form,
    ConfirmationRequestForm,
    DeclarationForm,
    DevelopmentPlanForm,
    FacilitatorAnswerForm,
    NewPortfolioForm,
    PEActivityForm,
    ReflectionMeetingForm,
    ReflectionReportForm,
)
from portfolios.frameworks import JOBCOACH, LOOPBAAN
from portfolios.frameworks.jobcoach import jobcoach_framework
from portfolios.models import (
    ConfirmationState,
    FacilitatorConfirmation,
    PEActivity,
    Portfolio,
    ReflectionMeeting,
)
from portfolios.permissions import can_edit_portfolio, can_start_portfolio, can_view_portfolio
from portfolios.reports import DOSSIER
from portfolios.selectors import (
    activities_of,
    meetings_of,
    portfolios_of,
    previous_portfolio,
)
from portfolios.snapshots import as_number


def _portfolio(request, pk: int, *, framework: str | None = JOBCOACH) -> Portfolio:
    """The portfolio if the user may read it; 404 for everyone else (style §4). The Jobcoach
    section pages only exist for Jobcoach portfolios (``framework=None``: either framework)."""
    portfolios = Portfolio.objects.select_related("owner")
    if framework is not None:
        portfolios = portfolios.filter(framework=framework)
    portfolio = get_object_or_404(portfolios, pk=pk)
    if not can_view_portfolio(request.user, portfolio):
        raise Http404
    return portfolio


def _editable(request, pk: int, *, framework: str | None = JOBCOACH) -> Portfolio:
    portfolio = _portfolio(request, pk, framework=framework)
    if portfolio.owner_id != request.user.pk:
        raise Http404
    return portfolio


def _frozen_redirect(request, portfolio):
    messages.warning(
        request,
        _("Dit portfolio is %(state)s; de inhoud kan niet meer worden gewijzigd.")
        % {"state": portfolio.get_state_display().lower()},
    )
    return redirect("portfolios:detail", portfolio.pk)


def _framework(portfolio):
    return jobcoach_framework(version=portfolio.framework_version)


def _context(request, portfolio, *, evaluation=None, **extra):
    evaluation = evaluation or services.evaluate_portfolio(portfolio)
    return {
        "portfolio": portfolio,
        "evaluation": evaluation,
        "nav": build_checklist(portfolio, evaluation, meeting_ids=[], activity_ids=[]),
        "editable": can_edit_portfolio(request.user, portfolio),
        "is_owner": portfolio.owner_id == request.user.pk,
        **extra,
    }


def _store(upload, owner, kinds=EVIDENCE_KINDS):
    return store_upload(upload=upload, owner=owner, kinds=kinds) if upload else None


@login_required
def portfolio_list(request):
    if not can_start_portfolio(request.user):
        raise Http404
    return render(request, "portfolios/list.html", {"portfolios": portfolios_of(request.user)})


@login_required
def portfolio_new(request):
    if not can_start_portfolio(request.user):
        raise Http404
    previous = previous_portfolio(request.user)
    initial = {}
    if previous and previous.recertification_date:
        initial["recertification_date"] = previous.recertification_date.replace(
            year=previous.recertification_date.year + 4
        )
    form = NewPortfolioForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["framework"] == LOOPBAAN:
            portfolio = services.start_loopbaan_portfolio(owner=request.user)
        else:
            portfolio = services.start_jobcoach_portfolio(
                owner=request.user,
                recertification_date=form.cleaned_data["recertification_date"],
            )
        messages.success(request, _("Je portfolio is aangemaakt. Begin waar je wilt."))
        return redirect("portfolios:detail", portfolio.pk)
    return render(request, "portfolios/new.html", {"form": form})


@login_required
def portfolio_detail(request, pk):
    portfolio = _portfolio(request, pk, framework=None)
    if portfolio.framework == LOOPBAAN:
        return views_loopbaan.overview(request, portfolio)
    context = _context(request, portfolio)
    meeting_ids = list(portfolio.reflection_meetings.values_list("pk", flat=True))
    activity_ids = list(portfolio.pe_activities.values_list("pk", flat=True))
    context["sections"] = build_checklist(
        portfolio, context["evaluation"], meeting_ids=meeting_ids, activity_ids=activity_ids
    )
    context["pe"] = context["evaluation"].to_json()["pe"]
    submission = portfolio.submissions.order_by("-number").first()
    context["submission"] = submission
    context["dossiers"] = latest_reports(submission, DOSSIER) if submission else []
    return render(request, "portfolios/detail.html", context)


def _section(request, pk, *, form_class, template, rule_prefix, uploads=(), extra=None):
    """A section form on the portfolio row: saved as a draft on every valid post."""
    portfolio = _portfolio(request, pk)
    editable = can_edit_portfolio(request.user, portfolio)
    if request.method == "POST":
        if portfolio.owner_id != request.user.pk:
            raise Http404
        if not editable:
            return _frozen_redirect(request, portfolio)
        form = form_class(request.POST, request.FILES, instance=portfolio)
        if form.is_valid():
            try:
                with transaction.atomic():
                    section = form.save(commit=False)
                    for field_name, target, kinds in uploads:
                        upload = form.cleaned_data.get(field_name)
                        if upload:
                            setattr(section, target, _store(upload, request.user, kinds))
                    section.save()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Opgeslagen."))
                return redirect(request.path)
        messages.error(request, _("Niet opgeslagen: verbeter de gemarkeerde velden."))
    else:
        form = form_class(instance=portfolio)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    context = _context(request, portfolio, form=form, **(extra(portfolio) if extra else {}))
    context["section_rules"] = rules_for(context["evaluation"], rule_prefix)
    return render(request, template, context)


@login_required
def section_a1(request, pk):
    return _section(
        request,
        pk,
        form_class=A1Form,
        template="portfolios/section_a1.html",
        rule_prefix="JC-A1",
        uploads=(
            ("cv_upload", "cv", EVIDENCE_KINDS),
            ("statement_upload", "a1_statement", EVIDENCE_KINDS),
        ),
    )


@login_required
def section_a2(request, pk):
    def extra(portfolio):
        previous = previous_portfolio(portfolio.owner, before=portfolio)
        anchor = portfolio.recertification_date or timezone.localdate()
        return {
            "previous": previous,
            "exempt": _framework(portfolio).a2_exempt(anchor),
            "framework": _framework(portfolio),
        }

    return _section(
        request,
        pk,
        form_class=A2Form,
        template="portfolios/section_a2.html",
        rule_prefix="JC-A2",
        extra=extra,
    )


@login_required
def section_report(request, pk):
    return _section(
        request,
        pk,
        form_class=ReflectionReportForm,
        template="portfolios/section_report.html",
        rule_prefix="JC-A3.2",
    )


@login_required
def section_plan(request, pk):
    return _section(
        request,
        pk,
        form_class=DevelopmentPlanForm,
        template="portfolios/section_plan.html",
        rule_prefix="JC-A4",
    )


@login_required
def section_declaration(request, pk):
    return _section(
        request,
        pk,
        form_class=DeclarationForm,
        template="portfolios/section_declaration.html",
        rule_prefix="JC-C",
    )


# --- A3.1 reflection meetings ------------------------------------------------------------------


@login_required
def meetings(request, pk):
    portfolio = _portfolio(request, pk)
    editable = can_edit_portfolio(request.user, portfolio)
    form = ReflectionMeetingForm(prefix="new") if editable else None
    if request.method == "POST":
        if portfolio.owner_id != request.user.pk:
            raise Http404
        if not editable:
            return _frozen_redirect(request, portfolio)
        form = ReflectionMeetingForm(request.POST, request.FILES, prefix="new")
        if form.is_valid() and _save_meeting(request, form, portfolio):
            messages.success(request, _("Bijeenkomst toegevoegd."))
            return redirect("portfolios:meetings", portfolio.pk)
        messages.error(request, _("Niet opgeslagen: verbeter de gemarkeerde velden."))
    framework = _framework(portfolio)
    anchor = portfolio.recertification_date or timezone.localdate()
    context = _context(
        request,
        portfolio,
        form=form,
        meetings=meetings_of(portfolio),
        requirement=framework.reflection_requirement(anchor.year),
        rules=None,
    )
    context["rules"] = rules_for(context["evaluation"], "JC-A3.1")
    context["circle_meetings"] = (
        [
            item
            for item in services.circle_meetings_offered(portfolio=portfolio)
            if item["as_reflection"]
        ]
        if editable
        else []
    )
    return render(request, "portfolios/meetings.html", context)


def _save_meeting(request, form, portfolio) -> bool:
    try:
        with transaction.atomic():
            meeting = form.save(commit=False)
            meeting.portfolio = portfolio
            upload = form.cleaned_data.get("statement_upload")
            if upload:
                meeting.statement = _store(upload, request.user)
            meeting.save()
    except ValidationError as error:
        form.add_error("statement_upload", error)
        return False
    return True


@login_required
def meeting_edit(request, pk, meeting_pk):
    portfolio = _portfolio(request, pk)
    meeting = get_object_or_404(
        ReflectionMeeting.objects.select_related("statement"), pk=meeting_pk, portfolio=portfolio
    )
    editable = can_edit_portfolio(request.user, portfolio)
    form = ReflectionMeetingForm(instance=meeting)
    last = meeting.confirmations.order_by("-created_at").first()
    confirm_form = ConfirmationRequestForm(initial={"email": last.email if last else ""})
    if request.method == "POST":
        if portfolio.owner_id != request.user.pk:
            raise Http404
        if not editable:
            return _frozen_redirect(request, portfolio)
        form = ReflectionMeetingForm(request.POST, request.FILES, instance=meeting)
        if form.is_valid() and _save_meeting(request, form, portfolio):
            messages.success(request, _("Bijeenkomst opgeslagen."))
            return redirect("portfolios:meetings", portfolio.pk)
        messages.error(request, _("Niet opgeslagen: verbeter de gemarkeerde velden."))
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    confirmations = meeting.confirmations.all()
    context = _context(
        request,
        portfolio,
        meeting=meeting,
        form=form,
        confirm_form=confirm_form,
        confirmations=confirmations,
    )
    return render(request, "portfolios/meeting_edit.html", context)


@login_required
@require_POST
def meeting_delete(request, pk, meeting_pk):
    portfolio = _editable(request, pk)
    if not portfolio.is_editable:
        return _frozen_redirect(request, portfolio)
    ReflectionMeeting.objects.filter(pk=meeting_pk, portfolio=portfolio).delete()
    messages.success(request, _("Bijeenkomst verwijderd."))
    return redirect("portfolios:meetings", portfolio.pk)


@login_required
@require_POST
def meeting_request_confirmation(request, pk, meeting_pk):
    portfolio = _editable(request, pk)
    meeting = get_object_or_404(ReflectionMeeting, pk=meeting_pk, portfolio=portfolio)
    if not portfolio.is_editable:
        return _frozen_redirect(request, portfolio)
    form = ConfirmationRequestForm(request.POST)
    if form.is_valid():
        services.request_confirmation(
            meeting=meeting, email=form.cleaned_data["email"], by=request.user
        )
        messages.success(
            request,
            _("We hebben %(email)s gevraagd de bijeenkomst te bevestigen.")
            % {"email": form.cleaned_data["email"]},
        )
        return redirect("portfolios:meeting_edit", portfolio.pk, meeting.pk)
    context = _context(
        request,
        portfolio,
        meeting=meeting,
        form=ReflectionMeetingForm(instance=meeting),
        confirm_form=form,
        confirmations=meeting.confirmations.all(),
    )
    return render(request, "portfolios/meeting_edit.html", context, status=400)


@login_required
@require_POST
def confirmation_revoke(request, pk, confirmation_pk):
    portfolio = _editable(request, pk)
    confirmation = get_object_or_404(
        FacilitatorConfirmation, pk=confirmation_pk, meeting__portfolio=portfolio
    )
    try:
        services.revoke_confirmation(confirmation=confirmation, by=request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Het verzoek is ingetrokken; de link werkt niet meer."))
    return redirect("portfolios:meeting_edit", portfolio.pk, confirmation.meeting_id)


def facilitator_confirm(request, token):
    """The facilitator's page behind the single-use link; no account needed."""
    confirmation = services.open_confirmation(token)
    if confirmation is None:
        raise Http404
    meeting = confirmation.meeting
    if confirmation.state != ConfirmationState.PENDING:
        return render(request, "portfolios/confirm_closed.html", {"confirmation": confirmation})
    initial = {
        "meeting_date": meeting.date,
        "facilitator": meeting.facilitator,
        "own_situation": "ja" if meeting.own_situation else "nee",
    }
    form = FacilitatorAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            confirmation = services.answer_confirmation(
                confirmation=confirmation, **form.cleaned_data
            )
        except services.TransitionError:
            return render(request, "portfolios/confirm_closed.html", {"confirmation": confirmation})
        return render(request, "portfolios/confirm_closed.html", {"confirmation": confirmation})
    return render(
        request,
        "portfolios/confirm.html",
        {
            "confirmation": confirmation,
            "meeting": meeting,
            "form": form,
            "owner": meeting.portfolio.owner,
        },
    )


# --- B: PE register ----------------------------------------------------------------------------

SORTS = {
    "datum": lambda row: (row["sort_date"] or date.min, row["activity"].pk),
    "punten": lambda row: (-row["score"]["points"], row["activity"].pk),
    "titel": lambda row: (row["activity"].title.lower(), row["activity"].pk),
    "categorie": lambda row: (row["kind"].category, row["activity"].pk),
}

SORT_LABELS = [
    ("datum", _lazy("datum")),
    ("punten", _lazy("punten")),
    ("titel", _lazy("titel")),
    ("categorie", _lazy("categorie")),
]


@login_required
def pe_register(request, pk):
    portfolio = _portfolio(request, pk)
    snapshot = services.portfolio_snapshot(portfolio)
    evaluation = evaluate(snapshot, as_of=services.today())
    context = _context(request, portfolio, evaluation=evaluation)
    framework = _framework(portfolio)
    doubles = {pair[0] for pair in overlap_pairs(snapshot)}
    pe = evaluation.to_json()["pe"]
    overlap = evaluation.rule("JC-B-OVERLAP")
    evidence_rule = evaluation.rule("JC-B-EVIDENCE")
    activities = list(activities_of(portfolio))
    rows = []
    for index, activity in enumerate(activities):
        kind = framework.activity_type(activity.type)
        score = pe["activities"][index]
        rows.append(
            {
                "activity": activity,
                "kind": kind,
                "score": score,
                "sort_date": activity.date or activity.start,
                "overlap": index in doubles,
                "missing_evidence": kind.evidence_required and activity.evidence_id is None,
            }
        )
    category_filter = request.GET.get("categorie", "")
    if category_filter.isdigit():
        rows = [row for row in rows if row["kind"].category == int(category_filter)]
    sort = request.GET.get("sorteer", "datum")
    rows.sort(key=SORTS.get(sort, SORTS["datum"]))
    categories = [
        {"category": category, **pe["categories"][str(category.number)]}
        for category in framework.categories
    ]
    context.update(
        rows=rows,
        categories=categories,
        pe=pe,
        sort=sort,
        sort_options=SORT_LABELS,
        category_filter=category_filter,
        framework=framework,
        overlap_rule=overlap,
        evidence_rule=evidence_rule,
        window_rule=evaluation.rule("JC-B-WINDOW"),
        rules=rules_for(evaluation, "JC-B"),
        circle_meetings=services.circle_meetings_offered(portfolio=portfolio)
        if context["editable"]
        else [],
    )
    return render(request, "portfolios/pe_register.html", context)


@login_required
def pe_new(request, pk):
    portfolio = _editable(request, pk)
    if not portfolio.is_editable:
        return _frozen_redirect(request, portfolio)
    framework = _framework(portfolio)
    groups = [
        {
            "category": category,
            "types": [t for t in framework.activity_types if t.category == category.number],
        }
        for category in framework.categories
    ]
    return render(request, "portfolios/pe_new.html", {"portfolio": portfolio, "groups": groups})


def _activity_form_page(request, portfolio, kind, instance):
    form = PEActivityForm(
        request.POST or None, request.FILES or None, instance=instance, activity_type=kind
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    activity = form.save(commit=False)
                    activity.portfolio = portfolio
                    activity.type = kind.code
                    upload = form.cleaned_data.get("evidence_upload")
                    if upload:
                        activity.evidence = _store(upload, request.user, REPORT_KINDS)
                    activity.save()
            except ValidationError as error:
                form.add_error("evidence_upload", error)
            else:
                messages.success(request, _("Activiteit opgeslagen."))
                return redirect("portfolios:pe", portfolio.pk)
        messages.error(request, _("Niet opgeslagen: verbeter de gemarkeerde velden."))
    framework = _framework(portfolio)
    anchor = portfolio.recertification_date or timezone.localdate()
    meeting_dates = {m.date for m in portfolio.reflection_meetings.all() if m.date}
    return render(
        request,
        "portfolios/pe_form.html",
        {
            "portfolio": portfolio,
            "form": form,
            "kind": kind,
            "category": framework.category(kind.category),
            "activity": instance if instance.pk else None,
            "window": pe_window(anchor=anchor, framework=framework),
            "meeting_dates": sorted(d.isoformat() for d in meeting_dates),
        },
    )


@login_required
def pe_add(request, pk, type_code):
    portfolio = _editable(request, pk)
    if not portfolio.is_editable:
        return _frozen_redirect(request, portfolio)
    kind = _framework(portfolio).activity_type(type_code)
    if kind is None:
        raise Http404
    return _activity_form_page(request, portfolio, kind, PEActivity(portfolio=portfolio))


@login_required
def pe_edit(request, pk, activity_pk):
    portfolio = _portfolio(request, pk)
    activity = get_object_or_404(PEActivity, pk=activity_pk, portfolio=portfolio)
    if portfolio.owner_id != request.user.pk:
        raise Http404
    if not portfolio.is_editable:
        return _frozen_redirect(request, portfolio)
    kind = _framework(portfolio).activity_type(activity.type)
    return _activity_form_page(request, portfolio, kind, activity)


@login_required
@require_POST
def pe_delete(request, pk, activity_pk):
    portfolio = _editable(request, pk)
    if not portfolio.is_editable:
        return _frozen_redirect(request, portfolio)
    PEActivity.objects.filter(pk=activity_pk, portfolio=portfolio).delete()
    messages.success(request, _("Activiteit verwijderd."))
    return redirect("portfolios:pe", portfolio.pk)


@login_required
@require_POST
def pe_points(request, pk, type_code):
    """Points as the user types: the engine scores the unsaved activity (one implementation)."""
    portfolio = _editable(request, pk)
    framework = _framework(portfolio)
    kind = framework.activity_type(type_code)
    if kind is None:
        raise Http404
    form = PEActivityForm(request.POST, activity_type=kind)
    form.is_valid()
    data = {name: value for name, value in form.cleaned_data.items() if value is not None}
    if any(name in form.errors for name in kind.required_fields) or not all(
        data.get(name) is not None for name in kind.required_fields
    ):
        return JsonResponse({"complete": False})
    activity = ActivitySnapshot(
        type=kind.code,
        title=data.get("title", ""),
        date=data.get("date"),
        start=data.get("start"),
        end=data.get("end"),
        sbu=as_number(data.get("sbu")),
        hours=as_number(data.get("hours")),
        half_days=data.get("half_days") or 0,
        days=data.get("days") or 0,
        words=data.get("words"),
        candidates=data.get("candidates"),
    )
    anchor = portfolio.recertification_date or timezone.localdate()
    score = score_activity(
        activity, framework=framework, window=pe_window(anchor=anchor, framework=framework)
    )
    return JsonResponse(
        {
            "complete": True,
            "points": score.points,
            "in_window": score.in_window,
            "explanation": score.explanation,
        }
    )


# --- Submit and withdraw ------------------------------------------------------------------------


@login_required
@require_POST
def submit(request, pk):
    portfolio = _editable(request, pk, framework=None)
    try:
        services.submit_portfolio(portfolio=portfolio, by=request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Je portfolio is ingediend. De coördinator certificeren wijst een assessor toe; "
                "je hoort van ons zodra er een advies is."
            ),
        )
    return redirect("portfolios:detail", portfolio.pk)


@login_required
@require_POST
def withdraw(request, pk):
    portfolio = _editable(request, pk, framework=None)
    try:
        services.withdraw_portfolio(portfolio=portfolio, by=request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Het portfolio is ingetrokken."))
    return redirect("portfolios:list")


@login_required
@require_POST
def add_circle_meeting(request, pk, meeting_pk):
    """KK-12: a quality-circle meeting the owner attended, added as PE or as A3.1."""
    from kwaliteitskringen.models import Meeting

    portfolio = _editable(request, pk)
    meeting = get_object_or_404(Meeting.objects.select_related("circle"), pk=meeting_pk)
    as_reflection = request.POST.get("as") == "reflection"
    try:
        services.add_circle_meeting(
            portfolio=portfolio, meeting=meeting, as_reflection=as_reflection, by=request.user
        )
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("De bijeenkomst staat nu bij A3.1.")
            if as_reflection
            else _("De bijeenkomst staat nu bij je PE-activiteiten (categorie 2)."),
        )
    return redirect("portfolios:meetings" if as_reflection else "portfolios:pe", portfolio.pk)
