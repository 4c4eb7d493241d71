"""Pages of the Jobcoach recertification portfolio. Views parse input, call a service, and
render; the rules are the engine's, the writes the services'."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kwaliteitskringen.models import Meeting
from noloc_portal.lists import RowUrl, page_of
from portfolios import hooks, services
from portfolios.checklist import PortfolioPages, rules_for
from portfolios.jobcoach import services as jobcoach_services
from portfolios.jobcoach.checklist import JOBCOACH_SECTIONS, fix_url, jobcoach_checklist
from portfolios.jobcoach.forms import (
    A1Form,
    A2Form,
    ConfirmationRequestForm,
    DeclarationForm,
    DevelopmentPlanForm,
    FacilitatorAnswerForm,
    PEActivityForm,
    ReflectionMeetingForm,
    ReflectionReportForm,
)
from portfolios.jobcoach.framework import JOBCOACH, jobcoach_framework
from portfolios.jobcoach.models import (
    ConfirmationState,
    FacilitatorConfirmation,
    JobcoachDetails,
    PEActivity,
    ReflectionMeeting,
)
from portfolios.jobcoach.rules import PEActivity as ActivitySnapshot
from portfolios.jobcoach.rules import overlap_pairs, pe_window, score_activity
from portfolios.jobcoach.selectors import activities_by_pk, activity_ids, meeting_ids, meetings_of
from portfolios.jobcoach.snapshot import jobcoach_details, jobcoach_snapshot
from portfolios.models import Portfolio, PortfolioState
from portfolios.overview import overview_context
from portfolios.pages import (
    change_and_return,
    model_values,
    owner_only,
    portfolio_or_404,
    posted_files,
    refused_change,
    section_page,
)
from portfolios.permissions import can_edit_portfolio
from portfolios.remembered import Key
from portfolios.selectors import previous_portfolio
from portfolios.snapshots import as_number, stored_for_snapshot
from portfolios.templatetags.jc_pe import written_rows

# The checklist Section.keys of the pages with rows (JOBCOACH_SECTIONS): A3.1 and B.
A31 = jobcoach_services.MEETINGS.section
B = jobcoach_services.ACTIVITIES.section


def _portfolio(request, pk: int) -> Portfolio:
    """The portfolio with its owner and Jobcoach row (the framework's ``summary_related``)."""
    return portfolio_or_404(request, pk, framework=JOBCOACH)


def _read_portfolio(request, pk: int) -> Portfolio:
    """:func:`_portfolio` for a page that writes nothing, with its revisions read in the same
    query (``services.current_key(portfolio, read=True)``)."""
    return portfolio_or_404(request, pk, framework=JOBCOACH, with_revisions=True)


def _anchor(portfolio) -> date:
    """The date the windows are counted from: the recertification date, else today."""
    return jobcoach_details(portfolio).recertification_date or timezone.localdate()


def _framework(portfolio):
    return jobcoach_framework(version=portfolio.framework_version)


def _is_owner(request, portfolio) -> bool:
    return portfolio.owner_id == request.user.pk


def _context(request, portfolio, *, section, evaluation=None, key: Key | None = None, **extra):
    """What every section page reads; ``section`` is the checklist Section.key it shows. With
    the ``key`` the ``evaluation`` is remembered under, the checklist is remembered beside it
    (it follows from the verdict and the portfolio's id alone)."""
    evaluation = evaluation or services.evaluate_portfolio(
        portfolio, live=_is_owner(request, portfolio)
    )

    def checklist():
        return jobcoach_checklist(portfolio, evaluation, meeting_ids=[], activity_ids=[])

    return {
        "portfolio": portfolio,
        "evaluation": evaluation,
        "nav": key.remembered(("section checklist",), checklist) if key else checklist(),
        "editable": can_edit_portfolio(request.user, portfolio, section),
        "is_owner": portfolio.owner_id == request.user.pk,
        **extra,
    }


def overview(request, portfolio: Portfolio):
    """``portfolios:detail`` of a Jobcoach portfolio: the shared overview plus the PE summary."""
    evaluation = services.shown_frozen_evaluation(portfolio, live=_is_owner(request, portfolio))
    if evaluation is None:
        key = services.current_key(portfolio)  # before the rows

        def judged():
            # Evaluated as it is now: the snapshot's rows name the rows the links go to.
            stored = stored_for_snapshot(portfolio.pk, portfolio.framework)
            return (
                services.evaluate(jobcoach_snapshot(stored), as_of=services.today()),
                [meeting.pk for meeting in stored.reflection_meetings.all()],
                [activity.pk for activity in stored.pe_activities.all()],
            )

        # Remembered with the rows' ids while they do not change (portfolios.remembered).
        evaluation, meetings, activities = key.judged(judged, what="overview")
    else:
        key = Key(None)
        meetings, activities = meeting_ids(portfolio), activity_ids(portfolio)
    pages = PortfolioPages(portfolio)
    context = overview_context(
        request,
        portfolio,
        sections=JOBCOACH_SECTIONS,
        fix_url=lambda path: fix_url(
            portfolio, path, meeting_ids=meetings, activity_ids=activities, pages=pages
        ),
        evaluation=evaluation,
        pages=pages,
    )
    context["pe"] = context["evaluation"].extra["pe"]
    # The cards and the checklist are written once per version of the rows ({% remembered %}).
    context["verdict_key"] = key
    return render(request, "portfolios/jobcoach/detail.html", context)


def _section(request, pk, *, form_class, section, template, rule_prefix, uploads=None, more=None):
    """A section kept on the Jobcoach row (or, for the cv and C, on the portfolio row), saved as
    a draft on every valid post."""
    portfolio = _portfolio(request, pk)
    instance = portfolio if form_class._meta.model is Portfolio else jobcoach_details(portfolio)
    return section_page(
        request,
        portfolio,
        form=lambda data, files: form_class(data, files, instance=instance),
        save=lambda form: services.update_section(
            portfolio=portfolio,
            by=request.user,
            section=section,
            values=model_values(form),
            uploads=posted_files(form, uploads or {}),
            details=JobcoachDetails,
        ),
        template=template,
        context=lambda form: _context(
            request,
            portfolio,
            section=section,
            form=form,
            **(more(portfolio) if more else {}),
        ),
        rule_prefix=rule_prefix,
        section=section,
    )


@login_required
def section_a1(request, pk):
    return _section(
        request,
        pk,
        form_class=A1Form,
        section="a1",
        template="portfolios/jobcoach/section_a1.html",
        rule_prefix="JC-A1",
        uploads={"cv_upload": "cv", "statement_upload": "a1_statement"},
    )


@login_required
def section_a2(request, pk):
    def more(portfolio):
        previous = previous_portfolio(portfolio.owner, before=portfolio)
        anchor = _anchor(portfolio)
        return {
            "previous": previous,
            # AS-6: what the assessors advised at the end of the previous portfolio.
            "development_advice": (
                hooks.development_advice(portfolio=previous) if previous is not None else ""
            ),
            "exempt": _framework(portfolio).a2_exempt(anchor),
            "framework": _framework(portfolio),
        }

    return _section(
        request,
        pk,
        form_class=A2Form,
        section="a2",
        template="portfolios/jobcoach/section_a2.html",
        rule_prefix="JC-A2",
        more=more,
    )


@login_required
def section_report(request, pk):
    return _section(
        request,
        pk,
        form_class=ReflectionReportForm,
        section="a32",
        template="portfolios/jobcoach/section_report.html",
        rule_prefix="JC-A3.2",
    )


@login_required
def section_plan(request, pk):
    return _section(
        request,
        pk,
        form_class=DevelopmentPlanForm,
        section="a4",
        template="portfolios/jobcoach/section_plan.html",
        rule_prefix="JC-A4",
    )


@login_required
def section_declaration(request, pk):
    return _section(
        request,
        pk,
        form_class=DeclarationForm,
        section="c",
        template="portfolios/jobcoach/section_declaration.html",
        rule_prefix="JC-C",
    )


# --- A3.1 reflection meetings ------------------------------------------------------------------


@login_required
def meetings(request, pk):
    portfolio = _portfolio(request, pk)

    def context(form):
        anchor = _anchor(portfolio)
        context = _context(
            request,
            portfolio,
            section=A31,
            form=form,
            meetings=meetings_of(portfolio),
            requirement=_framework(portfolio).reflection_requirement(anchor.year),
        )
        context["rules"] = rules_for(context["evaluation"], "JC-A3.1")
        context["circle_meetings"] = (
            [
                item
                for item in jobcoach_services.circle_meetings_offered(portfolio=portfolio)
                if item["as_reflection"]
            ]
            if context["editable"]
            else []
        )
        return context

    return section_page(
        request,
        portfolio,
        form=lambda data, files: ReflectionMeetingForm(data, files, prefix="new"),
        save=lambda form: jobcoach_services.add_meeting(
            portfolio=portfolio,
            by=request.user,
            values=model_values(form),
            statement=form.cleaned_data.get("statement_upload"),
        ),
        template="portfolios/jobcoach/meetings.html",
        context=context,
        section=A31,
        saved=_("Bijeenkomst toegevoegd."),
        next_url=reverse("portfolios:meetings", args=[portfolio.pk]),
        upload_field="statement_upload",
    )


@login_required
def meeting_edit(request, pk, meeting_pk):
    portfolio = _portfolio(request, pk)
    meeting = get_object_or_404(
        ReflectionMeeting.objects.select_related("statement"), pk=meeting_pk, portfolio=portfolio
    )
    last = meeting.confirmations.order_by("-created_at").first()
    return section_page(
        request,
        portfolio,
        form=lambda data, files: ReflectionMeetingForm(data, files, instance=meeting),
        save=lambda form: jobcoach_services.update_meeting(
            portfolio=portfolio,
            by=request.user,
            meeting_id=meeting.pk,
            values=model_values(form),
            statement=form.cleaned_data.get("statement_upload"),
        ),
        template="portfolios/jobcoach/meeting_edit.html",
        section=A31,
        context=lambda form: _context(
            request,
            portfolio,
            section=A31,
            meeting=meeting,
            form=form,
            confirm_form=ConfirmationRequestForm(initial={"email": last.email if last else ""}),
            confirmations=meeting.confirmations.all(),
        ),
        saved=_("Bijeenkomst opgeslagen."),
        next_url=reverse("portfolios:meetings", args=[portfolio.pk]),
        upload_field="statement_upload",
    )


@login_required
@require_POST
def meeting_delete(request, pk, meeting_pk):
    portfolio = _portfolio(request, pk)
    return change_and_return(
        request,
        portfolio,
        lambda: jobcoach_services.remove_meeting(
            portfolio=portfolio, by=request.user, meeting_id=meeting_pk
        ),
        done=_("Bijeenkomst verwijderd."),
        section=A31,
        next_url=reverse("portfolios:meetings", args=[portfolio.pk]),
    )


@login_required
@require_POST
def meeting_request_confirmation(request, pk, meeting_pk):
    portfolio = _portfolio(request, pk)
    meeting = get_object_or_404(ReflectionMeeting, pk=meeting_pk, portfolio=portfolio)
    refused = refused_change(request, portfolio, section=A31)
    if refused is not None:
        return refused
    form = ConfirmationRequestForm(request.POST)
    if form.is_valid():
        try:
            jobcoach_services.request_confirmation(
                meeting=meeting, email=form.cleaned_data["email"], by=request.user
            )
        except services.TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("We hebben %(email)s gevraagd de bijeenkomst te bevestigen.")
                % {"email": form.cleaned_data["email"]},
            )
        return redirect("portfolios:meeting_edit", portfolio.pk, meeting.pk)
    context = _context(
        request,
        portfolio,
        section=A31,
        meeting=meeting,
        form=ReflectionMeetingForm(instance=meeting),
        confirm_form=form,
        confirmations=meeting.confirmations.all(),
    )
    return render(request, "portfolios/jobcoach/meeting_edit.html", context, status=400)


@login_required
@require_POST
def confirmation_revoke(request, pk, confirmation_pk):
    portfolio = owner_only(request, _portfolio(request, pk))
    confirmation = get_object_or_404(
        FacilitatorConfirmation, pk=confirmation_pk, meeting__portfolio=portfolio
    )
    try:
        jobcoach_services.revoke_confirmation(confirmation=confirmation, by=request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Het verzoek is ingetrokken; de link werkt niet meer."))
    return redirect("portfolios:meeting_edit", portfolio.pk, confirmation.meeting_id)


def _confirm_closed(request, confirmation):
    """The facilitator's page once the link no longer asks anything: thanks, expired, revoked,
    or the portfolio was submitted (no answer changes it any more)."""
    state = confirmation.meeting.portfolio.state
    return render(
        request,
        "portfolios/jobcoach/confirm_closed.html",
        {
            "confirmation": confirmation,
            "submitted": state not in (PortfolioState.DRAFT, PortfolioState.WITHDRAWN),
        },
    )


def facilitator_confirm(request, token):
    """The facilitator's page behind the single-use link; no account needed."""
    confirmation = jobcoach_services.open_confirmation(token)
    if confirmation is None:
        raise Http404
    meeting = confirmation.meeting
    if confirmation.state != ConfirmationState.PENDING or not meeting.portfolio.is_section_editable(
        A31
    ):
        return _confirm_closed(request, confirmation)
    initial = {
        "meeting_date": meeting.date,
        "facilitator": meeting.facilitator,
        "own_situation": "ja" if meeting.own_situation else "nee",
    }
    form = FacilitatorAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            confirmation = jobcoach_services.answer_confirmation(
                confirmation=confirmation, **form.cleaned_data
            )
        except services.TransitionError:
            # Submitted, revoked or expired while the facilitator was typing.
            confirmation = jobcoach_services.open_confirmation(token)
        return _confirm_closed(request, confirmation)
    return render(
        request,
        "portfolios/jobcoach/confirm.html",
        {
            "confirmation": confirmation,
            "meeting": meeting,
            "form": form,
            "owner": meeting.portfolio.owner,
        },
    )


# --- B: PE register ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """What the register knows of one activity before it reads the row: enough to filter, sort
    and page all of them (``index``: its place in the snapshot, as the engine counts)."""

    pk: int
    index: int
    type: str
    category: int
    sort_date: date | None
    title: str
    points: Any
    overlap: bool
    missing_evidence: bool


@dataclass(frozen=True)
class _Register:
    """The register of a portfolio's activities as their rows are: the verdict, an entry per
    activity, and what the offers beside the list need of them. Remembered with the verdict
    while the rows do not change (portfolios.remembered), so that a page reads only the rows it
    shows."""

    evaluation: Any
    entries: tuple[_Entry, ...]
    sources: frozenset[str]  # the statements taken over (JC-B-SOURCE)
    typed: tuple[tuple[str, date | None, date | None], ...]  # periods typed in by hand
    circle_meetings: frozenset[int]  # circle meetings already in the portfolio (KK-12)
    # The entries in each order of SORTS, sorted at the first visit that asks for it.
    orders: dict[str, tuple[_Entry, ...]] = field(default_factory=dict, compare=False)

    def in_order(self, sort: str, category: str = "") -> list[_Entry]:
        """The entries sorted by ``sort`` (a key of SORTS), only those of ``category`` (as the
        page writes its number) when given."""
        ordered = self.orders.get(sort)
        if ordered is None:
            # Two requests may sort at once: both give the same tuple.
            ordered = self.orders[sort] = tuple(sorted(self.entries, key=SORTS[sort]))
        if category:
            return [entry for entry in ordered if str(entry.category) == category]
        return list(ordered)


def _register_of(stored: Portfolio, snapshot, evaluation, framework) -> _Register:
    """The :class:`_Register` of ``stored`` (the portfolio with the rows its snapshot reads)."""
    doubles = {pair[0] for pair in overlap_pairs(snapshot)}
    scores = evaluation.extra["pe"]["activities"]
    activities = list(stored.pe_activities.all())  # in the snapshot's order (activities_of)
    entries = []
    for index, activity in enumerate(activities):
        kind = framework.activity_type(activity.type)
        entries.append(
            _Entry(
                pk=activity.pk,
                index=index,
                type=activity.type,
                category=kind.category,
                sort_date=activity.date or activity.start,
                title=activity.title,
                points=scores[index]["points"],
                overlap=index in doubles,
                missing_evidence=kind.evidence_required and activity.evidence_id is None,
            )
        )
    return _Register(
        evaluation=evaluation,
        entries=tuple(entries),
        sources=frozenset(a.source for a in activities if a.source),
        typed=tuple((a.type, a.start, a.end) for a in activities if a.source == ""),
        circle_meetings=frozenset(
            row.circle_meeting_id
            for rows in (activities, stored.reflection_meetings.all())
            for row in rows
            if row.circle_meeting_id is not None
        ),
    )


def _activity_rows(portfolio, framework, pe, entries, shown) -> list[dict]:
    """What :func:`written_rows` needs of each of ``entries`` whose activity is ``shown`` (read
    by its id)."""
    edit_url = RowUrl("portfolios:pe_edit", portfolio.pk)
    delete_url = RowUrl("portfolios:pe_delete", portfolio.pk)
    download_url = RowUrl("documents:download", key=UUID)
    rows = []
    for entry in entries:
        activity = shown.get(entry.pk)
        if activity is None:
            continue
        rows.append(
            {
                "activity": activity,
                "kind": framework.activity_type(entry.type),
                "score": pe["activities"][entry.index],
                "overlap": entry.overlap,
                "missing_evidence": entry.missing_evidence,
                "edit_url": edit_url(activity.pk),
                "delete_url": delete_url(activity.pk),
                "evidence_url": download_url(activity.evidence.uuid) if activity.evidence else "",
            }
        )
    return rows


SORTS = {
    "datum": lambda entry: (entry.sort_date or date.min, entry.pk),
    "punten": lambda entry: (-entry.points, entry.pk),
    "titel": lambda entry: (entry.title.lower(), entry.pk),
    "categorie": lambda entry: (entry.category, entry.pk),
}

SORT_LABELS = [
    ("datum", gettext_lazy("datum")),
    ("punten", gettext_lazy("punten")),
    ("titel", gettext_lazy("titel")),
    ("categorie", gettext_lazy("categorie")),
]


@login_required
def pe_register(request, pk):
    portfolio = _read_portfolio(request, pk)
    framework = _framework(portfolio)
    frozen = services.shown_frozen_evaluation(portfolio, live=_is_owner(request, portfolio))
    # Before the rows; a frozen verdict is not remembered (it is read from the submission).
    key = services.current_key(portfolio, read=True) if frozen is None else Key(None)

    def judged() -> _Register:
        stored = stored_for_snapshot(portfolio.pk, portfolio.framework)
        snapshot = jobcoach_snapshot(stored)
        evaluation = frozen or services.evaluate(snapshot, as_of=services.today())
        return _register_of(stored, snapshot, evaluation, framework)

    register = key.judged(judged, what="pe register")
    evaluation = register.evaluation
    context = _context(request, portfolio, section=B, evaluation=evaluation, key=key)
    pe = evaluation.extra["pe"]
    # Compared as the page writes them ("2"), never parsed: "²" passes isdigit() but not int().
    category_filter = request.GET.get("categorie", "")
    if category_filter not in {str(category.number) for category in framework.categories}:
        category_filter = ""
    sort = request.GET.get("sorteer", "datum")
    if sort not in SORTS:
        sort = "datum"
    page = page_of(request, register.in_order(sort, category_filter))
    editable = context["editable"]

    def written() -> str:
        # Only the rows of this page are read (one that went since the versions were read is
        # left out).
        shown = activities_by_pk(portfolio, [entry.pk for entry in page])
        return written_rows(_activity_rows(portfolio, framework, pe, page, shown), editable)

    # What the rows write depends on the rows (the key's revision), the verdict and these.
    rows_html = key.remembered(
        ("pe activity rows", sort, category_filter, page.number, editable), written
    )
    categories = [
        {"category": category, **pe["categories"][str(category.number)]}
        for category in framework.categories
    ]
    context.update(
        verdict_key=key,
        rows=page,
        rows_html=rows_html,
        categories=categories,
        pe=pe,
        sort=sort,
        sort_options=SORT_LABELS,
        category_filter=category_filter,
        framework=framework,
        overlap_rule=evaluation.rule("JC-B-OVERLAP"),
        evidence_rule=evaluation.rule("JC-B-EVIDENCE"),
        window_rule=evaluation.rule("JC-B-WINDOW"),
        rules=rules_for(evaluation, "JC-B"),
    )
    context.update(_offers_context(portfolio, framework, register, key, editable=editable))
    return render(request, "portfolios/jobcoach/pe_register.html", context)


def _offers_context(portfolio, framework, register: _Register, key: Key, *, editable) -> dict:
    """What the register offers its owner to take over (the apps' activity offers, the circle
    meetings they attended), and ``offers_shown``: with the verdict's key, all they depend on.
    Where PostgreSQL keeps the revision of the owner's offers that is it, and the offers are
    read only when the block is written (not when it is remembered); elsewhere what they show."""
    if not editable:
        return {"circle_meetings": [], "activity_offers": [], "offers_shown": ()}
    # Read with the portfolio (_read_portfolio).
    revision = portfolio.read_offers_revision if key.parts is not None else None

    def offers() -> list[hooks.ActivityOffer]:
        return jobcoach_services.activity_offers_for(portfolio=portfolio, held=register.sources)

    def meetings() -> list[dict]:
        return jobcoach_services.circle_meetings_offered(
            portfolio=portfolio, used=register.circle_meetings
        )

    if revision is None:
        offered, attended = offers(), meetings()
        offers, meetings = (lambda: offered), (lambda: attended)
        shown: tuple = (
            tuple(_offer_shown(offer) for offer in offered),
            tuple(_meeting_shown(item) for item in attended),
        )
    else:
        shown = ("revision", revision)
    return {
        "circle_meetings": SimpleLazyObject(meetings),
        # Scored only when the offers are written, not when they are remembered.
        "activity_offers": SimpleLazyObject(
            lambda: _activity_offers(portfolio, framework, offers(), typed=register.typed)
        ),
        "offers_shown": shown,
    }


def _offer_shown(offer: hooks.ActivityOffer) -> tuple:
    return (
        offer.source,
        offer.activity_type,
        offer.title,
        offer.description,
        offer.ready,
        tuple(sorted(offer.values.items())),
    )


def _meeting_shown(item: dict) -> tuple:
    meeting = item["meeting"]
    return (
        meeting.pk,
        meeting.date,
        meeting.circle.name,
        meeting.form,
        meeting.facilitator,
        item["as_reflection"],
    )


@login_required
def pe_new(request, pk):
    portfolio = _portfolio(request, pk)
    refused = refused_change(request, portfolio, section=B)
    if refused is not None:
        return refused
    framework = _framework(portfolio)
    groups = [
        {
            "category": category,
            "types": [t for t in framework.activity_types if t.category == category.number],
        }
        for category in framework.categories
    ]
    return render(
        request, "portfolios/jobcoach/pe_new.html", {"portfolio": portfolio, "groups": groups}
    )


def _activity_form_page(request, portfolio, kind, instance):
    """The form of one activity type, new or stored; GET and POST for the owner of a draft."""
    framework = _framework(portfolio)

    def save(form):
        values = model_values(form)
        evidence = form.cleaned_data.get("evidence_upload")
        if instance.pk is None:
            return jobcoach_services.add_activity(
                portfolio=portfolio,
                by=request.user,
                type=kind.code,
                values=values,
                evidence=evidence,
            )
        return jobcoach_services.update_activity(
            portfolio=portfolio,
            by=request.user,
            activity_id=instance.pk,
            values=values,
            evidence=evidence,
        )

    def context(form):
        anchor = _anchor(portfolio)
        meeting_dates = {m.date for m in portfolio.reflection_meetings.all() if m.date}
        return {
            "portfolio": portfolio,
            "form": form,
            "kind": kind,
            "category": framework.category(kind.category),
            "activity": instance if instance.pk else None,
            "window": pe_window(anchor=anchor, framework=framework),
            "meeting_dates": sorted(d.isoformat() for d in meeting_dates),
        }

    return section_page(
        request,
        portfolio,
        form=lambda data, files: PEActivityForm(data, files, instance=instance, activity_type=kind),
        save=save,
        template="portfolios/jobcoach/pe_form.html",
        context=context,
        section=B,
        saved=_("Activiteit opgeslagen."),
        next_url=reverse("portfolios:pe", args=[portfolio.pk]),
        upload_field="evidence_upload",
    )


@login_required
def pe_add(request, pk, type_code):
    portfolio = _portfolio(request, pk)
    refused = refused_change(request, portfolio, section=B)
    if refused is not None:
        return refused
    kind = _framework(portfolio).activity_type(type_code)
    if kind is None:
        raise Http404
    return _activity_form_page(request, portfolio, kind, PEActivity(portfolio=portfolio))


@login_required
def pe_edit(request, pk, activity_pk):
    portfolio = _portfolio(request, pk)
    activity = get_object_or_404(PEActivity, pk=activity_pk, portfolio=portfolio)
    refused = refused_change(request, portfolio, section=B)
    if refused is not None:
        return refused
    if activity.source:
        messages.info(request, str(jobcoach_services.TAKEN_OVER_IS_FIXED))
        return redirect("portfolios:pe", portfolio.pk)
    kind = _framework(portfolio).activity_type(activity.type)
    return _activity_form_page(request, portfolio, kind, activity)


@login_required
@require_POST
def pe_delete(request, pk, activity_pk):
    portfolio = _portfolio(request, pk)
    return change_and_return(
        request,
        portfolio,
        lambda: jobcoach_services.remove_activity(
            portfolio=portfolio, by=request.user, activity_id=activity_pk
        ),
        done=_("Activiteit verwijderd."),
        section=B,
        next_url=reverse("portfolios:pe", args=[portfolio.pk]),
    )


@login_required
@require_POST
def pe_points(request, pk, type_code):
    """Points as the user types: the engine scores the unsaved activity (one implementation)."""
    portfolio = owner_only(request, _portfolio(request, pk))
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
    anchor = _anchor(portfolio)
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


@login_required
@require_POST
def add_circle_meeting(request, pk, meeting_pk):
    """KK-12: a quality-circle meeting the owner attended, added as PE or as A3.1."""
    portfolio = owner_only(request, _portfolio(request, pk))
    meeting = get_object_or_404(Meeting.objects.select_related("circle"), pk=meeting_pk)
    as_reflection = request.POST.get("as") == "reflection"
    try:
        jobcoach_services.add_circle_meeting(
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


def _activity_offers(portfolio, framework, offers, *, typed) -> list[dict]:
    """JC-B-SOURCE: the statements offered to the owner (``offers``, those the portfolio has not
    taken over), each with its type and the points the engine gives it in this portfolio's
    window. ``typed``: the (type, start, end) of the activities typed in by hand."""
    window = pe_window(anchor=_anchor(portfolio), framework=framework)
    # Periods the owner typed in by hand for the same kind of work: taking the statement over as
    # well would count those months twice, so the offer says so.
    types = {offer.activity_type for offer in offers}
    typed = [period for period in typed if period[0] in types]
    rows = []
    for offer in offers:
        kind = framework.activity_type(offer.activity_type)
        values = {name: value for name, value in offer.values.items() if name in kind.fields}
        score = score_activity(
            ActivitySnapshot(type=kind.code, title=offer.title, **values),
            framework=framework,
            window=window,
        )
        start, end = values.get("start"), values.get("end")
        overlaps = bool(start and end) and any(
            code == kind.code
            and own_start is not None
            and own_start <= end
            and (own_end is None or own_end >= start)
            for code, own_start, own_end in typed
        )
        rows.append({"offer": offer, "kind": kind, "score": score, "overlaps": overlaps})
    return rows


@login_required
@require_POST
def take_over_offer(request, pk, source):
    """JC-B-SOURCE: take over a statement offered to the owner as a PE activity, once."""
    portfolio = owner_only(request, _portfolio(request, pk))
    try:
        jobcoach_services.take_over_offer(portfolio=portfolio, source=source, by=request.user)
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("De verklaring staat nu bij je PE-activiteiten, met de PDF als bewijs.")
        )
    return redirect("portfolios:pe", portfolio.pk)
