"""Circle pages: public list, applying, the members' page and the coordinator's dashboard.

Every view checks a predicate of permissions.py and answers outsiders with 404; every change
goes through a service; a refused transition comes back as a Dutch message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kwaliteitskringen import clock, forms, revisions, selectors, services
from kwaliteitskringen import rules as kk_rules
from kwaliteitskringen.models import (
    CURRENT_STATES,
    AnnualReport,
    Application,
    ApplicationState,
    Circle,
    CostShare,
    FoundingRequest,
    FoundingState,
    Interest,
    Meeting,
    Membership,
    ProgrammeItem,
    RenewalRound,
    Subgroup,
    SubsidyClaim,
)
from kwaliteitskringen.permissions import (
    CircleAccess,
    can_edit_meeting_report,
    can_manage_circle,
    can_manage_meeting,
    can_manage_meetings,
    can_manage_subgroup,
    can_propose_programme_item,
    can_record_finances,
    can_register_for_meeting,
    can_view_annual_report,
    can_view_application,
    can_view_circle_page,
    can_view_dashboard,
    can_view_founding_request,
    can_view_meeting,
    can_view_meeting_report,
    can_view_programme,
    can_view_region,
    can_view_region_circle,
    can_view_subgroup,
    is_member,
    is_subgroup_member,
)
from noloc_portal.accounts.ratelimit import within_limit
from noloc_portal.documents.services import store_upload
from noloc_portal.documents.validation import REPORT_KINDS
from noloc_portal.lists import RowUrl, form_html, page_of, unbound_form_html
from noloc_portal.prepared import PreparedQuery

TransitionError = services.TransitionError


# Every circle page starts here: compiled once per process.
# With the circle's revision, read before any row it keys (kwaliteitskringen.revisions).
_CIRCLE = PreparedQuery(
    lambda pk: (
        Circle.objects.select_related("coordinator", "secretary", "treasurer")
        .filter(pk=pk)
        .annotate(revision=revisions.revision_column())
    ),
    pk=int,
)
_LARGEST_PK = 2**63 - 1  # a bigger number in the URL matches no row (and no bigint)


def _circle_or_404(pk: int, user, allowed: Callable) -> Circle:
    found = _CIRCLE(pk=pk) if 0 < pk <= _LARGEST_PK else []
    if not found or not allowed(user, found[0]):
        raise Http404
    return found[0]


def _meeting_or_404(pk: int, user, allowed: Callable) -> Meeting:
    """The meeting if ``allowed(user, meeting)``; a subgroup or joint meeting has its own
    readers (permissions.can_view_meeting)."""
    meeting = get_object_or_404(
        Meeting.objects.select_related(
            "circle__coordinator",
            "circle__secretary",
            "circle__treasurer",
            "host",
            "note_taker",
            "subgroup__circle",
            "joint_with",
        ),
        pk=pk,
    )
    if not allowed(user, meeting):
        raise Http404
    return meeting


def _after_meeting_change(meeting: Meeting):
    """Where the coordinator (or a subgroup's convener) goes after changing a meeting."""
    if meeting.subgroup_id:
        return redirect("kwaliteitskringen:subgroup", meeting.subgroup_id)
    return redirect("kwaliteitskringen:manage_meetings", meeting.circle_id)


def _refused(request, error: TransitionError) -> None:
    messages.error(request, str(error))


def _dashboard(
    request,
    circle: Circle,
    tab: str,
    template: str,
    context: dict,
    *,
    figures: selectors.CircleFigures | None = None,
    revision: revisions.Revision | None = None,
):
    """Render one tab of the coordinator's dashboard with the tab bar and the signal count
    (``figures``: the circle's figures of today, ``revision``: the circle's, when the tab has
    them already)."""
    as_of = clock.today()
    user = request.user
    tabs = [
        ("members", _("Leden"), "kwaliteitskringen:manage_members", True),
        (
            "applications",
            _("Aanmeldingen en wachtlijst"),
            "kwaliteitskringen:manage_applications",
            can_manage_circle(user, circle),
        ),
        (
            "meetings",
            _("Bijeenkomsten"),
            "kwaliteitskringen:manage_meetings",
            True,
        ),
        (
            "signals",
            _("Signalen"),
            "kwaliteitskringen:manage_signals",
            can_manage_circle(user, circle),
        ),
        (
            "report",
            _("Jaarverslag"),
            "kwaliteitskringen:manage_annual_report",
            can_manage_circle(user, circle),
        ),
        (
            "subsidy",
            _("Subsidie"),
            "kwaliteitskringen:manage_subsidy",
            can_record_finances(user, circle),
        ),
    ]
    if not can_view_dashboard(user, circle):
        tabs = []  # a subgroup's convener edits its meetings without the circle's dashboard
    signal_count = None
    if can_manage_circle(user, circle):
        if figures is None:
            figures = selectors.circle_figures(circle, as_of=as_of, revision=revision)
        signal_count = len(figures.signals)
    return render(
        request,
        template,
        {
            "circle": circle,
            "tab": tab,
            "tabs": [
                (key, label, reverse(url, args=[circle.pk])) for key, label, url, ok in tabs if ok
            ],
            "signal_count": signal_count,
            "year": as_of.year,
            "today": as_of,
            "can_manage": can_manage_circle(user, circle),
            "can_manage_meetings": can_manage_meetings(user, circle),
            # The lists' rows are written once per revision ({% remembered %}).
            "revision": revision,
            **context,
        },
    )


# --- public --------------------------------------------------------------------------------


def public_list(request):
    """KK-1: circles by region, with meeting count, whether they take applicants and their
    published annual reports. Logged-in visitors see their own relation to each circle."""
    year = clock.today().year
    circles = selectors.public_circles_listed(year=year)
    relation: dict[int, str] = {}
    applications: dict[int, Application] = {}
    managed: set[int] = set()
    if request.user.is_authenticated:
        for membership in Membership.objects.filter(
            member=request.user, year=year, state__in=CURRENT_STATES
        ):
            relation[membership.circle_id] = "member"
        for application in Application.objects.filter(
            applicant=request.user,
            state__in=[
                ApplicationState.SUBMITTED,
                ApplicationState.WAITLISTED,
                ApplicationState.TRIAL,
            ],
        ):
            applications[application.circle_id] = application
        managed = set(selectors.circles_managed_by(request.user).values_list("pk", flat=True))
    regions: dict[str, list[Circle]] = {}
    for circle in circles:
        circle.relation = relation.get(circle.pk)
        circle.my_application = applications.get(circle.pk)
        circle.managed = circle.pk in managed
        regions.setdefault(circle.region, []).append(circle)
    email = request.user.email if request.user.is_authenticated else ""
    # Every circle is listed: the regions they use are here already.
    regions_used = sorted({circle.region for circle in circles})
    return render(
        request,
        "kwaliteitskringen/public_list.html",
        {
            "regions": sorted(regions.items()),
            "year": year,
            # Drawn by crispy, the form was a third of this page's CPU: once per process for
            # the values it shows (the e-mail address of who is logged in, the regions offered).
            "interest_fields": unbound_form_html(
                "kwaliteitskringen/_interest_fields.html",
                (email, tuple(regions_used)),
                lambda: forms.InterestForm(
                    initial={"email": email} if email else {}, regions=regions_used
                ),
            ),
        },
    )


def annual_report_public(request, pk: int):
    report = get_object_or_404(AnnualReport.objects.select_related("circle__coordinator"), pk=pk)
    if not can_view_annual_report(request.user, report):
        raise Http404
    pdf = selectors.latest_pdf(report)
    return render(
        request,
        "kwaliteitskringen/annual_report_public.html",
        {
            "report": report,
            "circle": report.circle,
            "activities": selectors.published_activities(report),
            "pdf": pdf,
        },
    )


# --- the person's own page -----------------------------------------------------------------


@login_required
def mine(request):
    """Start page of a circle coordinator: pick a circle; also one's memberships and
    applications, so every participant finds their way."""
    year = clock.today().year
    return render(
        request,
        "kwaliteitskringen/mine.html",
        {
            "managed": selectors.circles_managed_by(request.user),
            "memberships": selectors.memberships_of_user(request.user).filter(year=year),
            "applications": selectors.applications_of_user(request.user).filter(
                state__in=[
                    ApplicationState.SUBMITTED,
                    ApplicationState.WAITLISTED,
                    ApplicationState.TRIAL,
                ]
            ),
            "attended": selectors.attended_meetings_of(request.user)[:10],
            "founding_requests": selectors.founding_requests_of(request.user)[:10],
            "year": year,
        },
    )


@login_required
def apply(request, pk: int):
    """KK-4: apply with CV and expectations; a second application returns the first."""
    circle = get_object_or_404(Circle.objects.select_related("coordinator"), pk=pk)
    existing = Application.objects.filter(
        circle=circle,
        applicant=request.user,
        state__in=[ApplicationState.SUBMITTED, ApplicationState.WAITLISTED, ApplicationState.TRIAL],
    ).first()
    if existing:
        return redirect("kwaliteitskringen:application", existing.pk)
    if is_member(request.user, circle):
        return redirect("kwaliteitskringen:circle", circle.pk)
    form = forms.ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and circle.takes_applicants:
        try:
            cv = store_upload(
                upload=form.cleaned_data["cv"], owner=request.user, kinds=REPORT_KINDS
            )
            application = services.apply_to_circle(
                circle=circle,
                applicant=request.user,
                cv=cv,
                expectations=form.cleaned_data["expectations"],
            )
        except ValidationError as error:
            form.add_error("cv", error)
        except TransitionError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("Je aanmelding is verstuurd naar de coördinator van %(circle)s.")
                % {"circle": circle},
            )
            return redirect("kwaliteitskringen:application", application.pk)
    return render(request, "kwaliteitskringen/apply.html", {"circle": circle, "form": form})


@login_required
def application(request, pk: int):
    """The applicant's view: state, waiting-list position, trial progress; withdraw or join."""
    application = get_object_or_404(
        Application.objects.select_related("circle__coordinator", "applicant", "cv"), pk=pk
    )
    if not can_view_application(request.user, application):
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                services.withdraw_application(application=application, by=request.user)
                messages.success(request, _("Je aanmelding is ingetrokken."))
            elif action == "join":
                services.join_circle(application=application, by=request.user)
                messages.success(request, _("Welkom in de kring!"))
                return redirect("kwaliteitskringen:circle", application.circle_id)
            else:
                raise Http404
        except TransitionError as error:
            _refused(request, error)
        return redirect("kwaliteitskringen:application", application.pk)
    rule = kk_rules.rules_for(clock.today().year)
    progress = None
    if application.state == ApplicationState.TRIAL:
        progress = selectors.trial_progress(application, trial_meetings=rule.trial_meetings)
    return render(
        request,
        "kwaliteitskringen/application.html",
        {
            "application": application,
            "circle": application.circle,
            "position": selectors.waiting_list_position(application),
            "progress": progress,
            "is_applicant": application.applicant_id == request.user.pk,
        },
    )


@login_required
def circle(request, pk: int):
    """The members' page of a circle: meetings to register for, attendance, rotation."""
    circle = _circle_or_404(pk, request.user, lambda user, found: True)
    access = CircleAccess(request.user, circle)
    if not access.circle_page:
        raise Http404
    as_of = clock.today()
    # Read before the rows it keys: the meetings, attendance and rotation of this revision.
    revision = revisions.Revision.of(circle)
    rule = kk_rules.rules_for(as_of.year)
    # Subgroup meetings live on the subgroup's page; joint meetings of another circle join in.
    since = date(as_of.year - 1, 1, 1)
    meetings = selectors.recent_meetings(circle, since=since, revision=revision)
    registered = selectors.registered_meeting_ids(
        request.user, circle, since=since, revision=revision
    )
    can_see_programme = access.programme
    user = request.user
    programme, programme_items = (
        revision.remembered(
            ("programme", as_of.year),
            lambda: selectors.programme_with_items(circle, as_of.year),
        )
        if can_see_programme
        else (None, [])
    )
    subgroups = (
        revision.remembered(("subgroups", user.pk), lambda: selectors.subgroups_for(circle, user))
        if can_see_programme
        else []
    )
    renewal = revision.remembered(
        ("renewal", as_of.year + 1), lambda: [selectors.open_renewal(circle, as_of.year + 1)]
    )[0]
    # This year's membership and whether next year's exists, in one query.
    mine = revision.remembered(
        ("memberships of", user.pk, as_of.year),
        lambda: selectors.memberships_in_years(circle, user, as_of.year, as_of.year + 1),
    )
    my_membership = mine.get(as_of.year)
    renewed = as_of.year + 1 in mine
    meeting_url = RowUrl("kwaliteitskringen:meeting")
    for meeting in meetings:
        meeting.url = meeting_url(meeting.pk)
    return render(
        request,
        "kwaliteitskringen/circle.html",
        {
            "circle": circle,
            "upcoming": [m for m in reversed(meetings) if m.date >= as_of and m.state == "planned"],
            "past": page_of(
                request,
                [m for m in meetings if m.date < as_of or m.state != "planned"],
                param="eerder",
                per_page=20,
            ),
            "registered": registered,
            # Read in one query with the rest; only a page of them is written.
            "attended": page_of(
                request,
                selectors.attended_in_circle(request.user, circle, revision=revision),
                param="aanwezig",
                per_page=20,
            ),
            "rotation": page_of(
                request,
                selectors.circle_rotation(
                    circle, as_of=as_of, rule=rule, revision=revision
                ).rotation,
                param="beurt",
                per_page=20,
            ),
            "revision": revision,
            "hosting_interval": rule.hosting_interval_years,
            "renewal": renewal,
            "my_membership": my_membership,
            "renewed": renewed,
            "can_dashboard": access.dashboard,
            "today": as_of,
            "programme": programme,
            "programme_items": programme_items,
            "subgroups": subgroups,
            "can_see_programme": can_see_programme,
        },
    )


@login_required
@require_POST
def name_consent(request, pk: int):
    """The member's own choice whether published annual reports of the circle name them."""
    membership = get_object_or_404(Membership, pk=pk, member=request.user)
    form = forms.NameConsentForm(request.POST)
    form.is_valid()  # one checkbox: absent means no
    services.set_name_consent(
        membership=membership,
        consent=form.cleaned_data["name_in_annual_report"],
        by=request.user,
    )
    messages.success(request, _("Je keuze voor de jaarverslagen is opgeslagen."))
    return redirect("kwaliteitskringen:mine")


@login_required
@require_POST
def renew(request, pk: int):
    circle = _circle_or_404(pk, request.user, can_view_circle_page)
    year = clock.today().year + 1
    try:
        services.renew_membership(circle=circle, member=request.user, year=year, by=request.user)
        messages.success(request, _("Je bent ingeschreven voor %(year)s.") % {"year": year})
    except TransitionError as error:
        _refused(request, error)
    return redirect("kwaliteitskringen:circle", circle.pk)


@login_required
def meeting(request, pk: int):
    """A meeting: agenda, who comes, the report for members; register or unregister."""
    meeting = _meeting_or_404(pk, request.user, can_view_meeting)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "unregister":
                services.unregister_from_meeting(meeting=meeting, participant=request.user)
                messages.success(request, _("Je bent afgemeld."))
            else:
                services.register_for_meeting(meeting=meeting, participant=request.user)
                messages.success(request, _("Je bent aangemeld. Je krijgt vooraf een herinnering."))
        except TransitionError as error:
            _refused(request, error)
        return redirect("kwaliteitskringen:meeting", meeting.pk)
    registrations = meeting.registrations.select_related("participant").order_by(
        "participant__full_name"
    )
    home = meeting.circle
    if meeting.joint_with_id and not can_view_circle_page(request.user, meeting.circle):
        home = meeting.joint_with
    return render(
        request,
        "kwaliteitskringen/meeting.html",
        {
            "meeting": meeting,
            "circle": home,
            "can_register": can_register_for_meeting(request.user, meeting),
            "registrations": registrations,
            "is_registered": any(r.participant_id == request.user.pk for r in registrations),
            "attendances": meeting.attendances.select_related("participant").order_by(
                "-present", "participant__full_name"
            ),
            "can_see_report": can_view_meeting_report(request.user, meeting),
            "can_edit_report": can_edit_meeting_report(request.user, meeting),
            "can_manage_meetings": can_manage_meeting(request.user, meeting),
            "today": clock.today(),
        },
    )


# --- dashboard: members --------------------------------------------------------------------


@login_required
def manage_members(request, pk: int):
    circle = _circle_or_404(pk, request.user, can_view_dashboard)
    today = clock.today()
    year = today.year
    # Read before the rows it keys: the members, their contributions and the form's choices.
    revision = revisions.Revision.of(circle)
    memberships = page_of(
        request,
        revisions.RememberedRows(
            revision, ("memberships", year), selectors.memberships_of_year_pageable(circle, year)
        ),
    )
    next_year = revision.remembered(
        ("member ids", year + 1), lambda: selectors.member_ids_of_year(circle, year + 1)
    )
    remove_url = RowUrl("kwaliteitskringen:remove_member", circle.pk)
    for membership in memberships:
        membership.renewed_next = membership.member_id in next_year
        membership.remove_url = remove_url(membership.pk)
    by_year = selectors.renewal_rounds(circle, year, year + 1)
    renewal = by_year.get(year + 1)
    closable = by_year.get(year)
    if closable is not None and closable.closed_at is not None:
        closable = None
    return _dashboard(
        request,
        circle,
        "members",
        "kwaliteitskringen/manage_members.html",
        {
            "memberships": memberships,
            "participant_total": revision.remembered(
                ("member count", year), lambda: selectors.current_member_count(circle, year)
            ),
            "renewal": renewal,
            "closable": closable,
            # Drawn by crispy, the form was a quarter of this tab's CPU: once per process for
            # the participants and the date it shows, and only when the tab shows it.
            "contribution_fields": lambda: revision.remembered(
                ("contribution form", today),
                lambda: form_html(
                    "kwaliteitskringen/_contribution_fields.html",
                    forms.ContributionForm(
                        circle=circle, year=year, initial={"date": today}
                    ).with_choices_read(),
                ),
            ),
            "contributions": revision.remembered(
                ("contributions", year),
                lambda: selectors.contributions_of_year(circle, year, limit=50),
            ),
        },
        revision=revision,
    )


@login_required
def manage_settings(request, pk: int):
    circle = _circle_or_404(pk, request.user, can_manage_circle)
    year = clock.today().year
    form = forms.CircleSettingsForm(request.POST or None, instance=circle, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_circle(
                circle=circle,
                by=request.user,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except TransitionError as error:
            _refused(request, error)
        else:
            messages.success(request, _("De instellingen van de kring zijn opgeslagen."))
            return redirect("kwaliteitskringen:manage_members", circle.pk)
    circle.refresh_from_db()
    return _dashboard(
        request, circle, "members", "kwaliteitskringen/manage_settings.html", {"form": form}
    )


@login_required
def remove_member(request, pk: int, membership_pk: int):
    """KK-3: end a participation, with a reason."""
    circle = _circle_or_404(pk, request.user, can_manage_circle)
    membership = get_object_or_404(
        Membership.objects.select_related("member"), pk=membership_pk, circle=circle
    )
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_member(
                membership=membership, reason=form.cleaned_data["reason"], by=request.user
            )
        except TransitionError as error:
            _refused(request, error)
        else:
            messages.success(
                request, _("De deelname van %(name)s is beëindigd.") % {"name": membership.member}
            )
            return redirect("kwaliteitskringen:manage_members", circle.pk)
    return _dashboard(
        request,
        circle,
        "members",
        "kwaliteitskringen/remove_member.html",
        {"membership": membership, "form": form},
    )


@login_required
@require_POST
def record_contribution(request, pk: int):
    circle = _circle_or_404(pk, request.user, can_manage_meetings)
    year = clock.today().year
    form = forms.ContributionForm(request.POST, circle=circle, year=year)
    if form.is_valid():
        try:
            services.record_contribution(
                circle=circle,
                participant=form.cleaned_data["participant"],
                on=form.cleaned_data["date"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
            messages.success(request, _("De bijdrage is vastgelegd."))
        except TransitionError as error:
            _refused(request, error)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
    return redirect("kwaliteitskringen:manage_members", circle.pk)


@login_required
@require_POST
def renewal(request, pk: int):
    """KK-2: open the sign-up for next year, or close this year's round."""
    circle = _circle_or_404(pk, request.user, can_manage_circle)
    year = clock.today().year
    try:
        if request.POST.get("action") == "close":
            round_ = get_object_or_404(RenewalRound, circle=circle, year=year)
            services.close_renewal_round(renewal=round_, by=request.user)
            messages.success(request, _("De inschrijving is gesloten."))
        else:
            services.open_renewal_round(circle=circle, year=year + 1, by=request.user)
            messages.success(
                request,
                _(
                    "De inschrijving voor %(year)s is geopend. Deelnemers zien nu een knop om "
                    "zich opnieuw in te schrijven."
                )
                % {"year": year + 1},
            )
    except TransitionError as error:
        _refused(request, error)
    return redirect("kwaliteitskringen:manage_members", circle.pk)


@login_required
def split(request, pk: int):
    """KK-6: split a full circle or start a new one, moving members and waiting applicants."""
    circle = _circle_or_404(pk, request.user, can_manage_circle)
    year = clock.today().year
    form = forms.SplitForm(request.POST or None, circle=circle, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.split_circle(
                circle=circle,
                name=form.cleaned_data["name"],
                region=form.cleaned_data["region"],
                memberships=list(form.cleaned_data["memberships"]),
                applications=list(form.cleaned_data["applications"]),
                by=request.user,
            )
        except TransitionError as error:
            _refused(request, error)
        else:
            messages.success(request, _("%(name)s is gestart.") % {"name": new.name})
            return redirect("kwaliteitskringen:manage_members", new.pk)
    return _dashboard(request, circle, "members", "kwaliteitskringen/split.html", {"form": form})


# --- dashboard: applications ---------------------------------------------------------------


@login_required
def manage_applications(request, pk: int):
    circle = _circle_or_404(pk, request.user, can_manage_circle)
    as_of = clock.today()
    rule = kk_rules.rules_for(as_of.year)
    applications = list(selectors.open_applications(circle))
    position = 0
    for item in applications:
        if item.state == ApplicationState.WAITLISTED:
            position += 1
            item.position = position
        if item.state == ApplicationState.TRIAL:
            item.progress = selectors.trial_progress(item, trial_meetings=rule.trial_meetings)
    return _dashboard(
        request,
        circle,
        "applications",
        "kwaliteitskringen/manage_applications.html",
        {
            "new": [a for a in applications if a.state == ApplicationState.SUBMITTED],
            "waiting": [a for a in applications if a.state == ApplicationState.WAITLISTED],
            "trial": [a for a in applications if a.state == ApplicationState.TRIAL],
            "occupied": selectors.occupied_places(circle, as_of.year),
            "rule": rule,
            "closed": Application.objects.filter(circle=circle)
            .exclude(
                state__in=[
                    ApplicationState.SUBMITTED,
                    ApplicationState.WAITLISTED,
                    ApplicationState.TRIAL,
                ]
            )
            .select_related("applicant")
            .order_by("-closed_at")[:20],
        },
    )


@login_required
def decide_application(request, pk: int):
    """The coordinator's decisions on an application: trial, waiting list, decline (with a
    reason), trial fee, join or withdraw on the applicant's behalf."""
    application = get_object_or_404(
        Application.objects.select_related("circle__coordinator", "applicant"), pk=pk
    )
    circle = application.circle
    if not can_manage_circle(request.user, circle):
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else request.GET.get("action")
    reason_form = forms.ReasonForm(request.POST if action == "decline" else None)
    fee_form = forms.TrialFeeForm(request.POST if action == "fee" else None)
    if request.method == "POST":
        try:
            if action == "trial":
                services.accept_for_trial(application=application, by=request.user)
                messages.success(
                    request, _("%(name)s mag meedraaien.") % {"name": application.applicant}
                )
            elif action == "waitlist":
                services.waitlist_application(application=application, by=request.user)
                messages.success(
                    request,
                    _("%(name)s staat op de wachtlijst.") % {"name": application.applicant},
                )
            elif action == "decline":
                if not reason_form.is_valid():
                    return _decision_page(request, application, reason_form, fee_form, action)
                services.decline_application(
                    application=application,
                    reason=reason_form.cleaned_data["reason"],
                    by=request.user,
                )
                messages.success(request, _("De aanmelding is afgewezen."))
            elif action == "fee":
                if not fee_form.is_valid():
                    return _decision_page(request, application, reason_form, fee_form, action)
                services.record_trial_fee(
                    application=application,
                    amount=fee_form.cleaned_data["amount"],
                    by=request.user,
                )
                messages.success(request, _("De bijdrage is vastgelegd."))
            elif action == "join":
                services.join_circle(application=application, by=request.user)
                messages.success(
                    request, _("%(name)s is toegetreden.") % {"name": application.applicant}
                )
            elif action == "withdraw":
                services.withdraw_application(application=application, by=request.user)
                messages.success(request, _("De aanmelding is ingetrokken."))
            else:
                return HttpResponseNotAllowed(["GET"])
        except TransitionError as error:
            _refused(request, error)
        return redirect("kwaliteitskringen:manage_applications", circle.pk)
    return _decision_page(request, application, reason_form, fee_form, action)


def _decision_page(request, application, reason_form, fee_form, action):
    return _dashboard(
        request,
        application.circle,
        "applications",
        "kwaliteitskringen/decide_application.html",
        {
            "application": application,
            "reason_form": reason_form,
            "fee_form": fee_form,
            "action": action,
            "position": selectors.waiting_list_position(application),
        },
    )


# --- dashboard: meetings -------------------------------------------------------------------


@login_required
def manage_meetings(request, pk: int):
    circle = _circle_or_404(pk, request.user, can_view_dashboard)
    as_of = clock.today()
    revision = revisions.Revision.of(circle)
    rule = kk_rules.rules_for(as_of.year)
    figures = selectors.circle_figures(circle, as_of=as_of, rule=rule, revision=revision)
    meetings = selectors.circle_meetings_pageable(circle, revision=revision)
    return _dashboard(
        request,
        circle,
        "meetings",
        "kwaliteitskringen/manage_meetings.html",
        {
            "meetings": _with_urls(page_of(request, meetings)),
            "guest_meetings": selectors.latest_guest_meetings(circle, limit=20, revision=revision),
            "rotation": page_of(request, figures.rotation, param="beurt", per_page=20),
            "history": selectors.latest_hosting(circle, limit=30, revision=revision),
            "rule": rule,
            "meeting_total": revision.remembered(
                ("meeting count", as_of.year),
                lambda: selectors.meeting_count(circle, as_of.year),
            ),
        },
        figures=figures,
        revision=revision,
    )


def _with_urls(meetings):
    """Each meeting of the meetings tab with the links of its row, reversed once per list."""
    urls = {
        name: RowUrl(f"kwaliteitskringen:{name}")
        for name in ("meeting", "meeting_attendance", "meeting_edit", "meeting_cancel")
    }
    for meeting in meetings:
        meeting.urls = {name: url(meeting.pk) for name, url in urls.items()}
    return meetings


def _meeting_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}


@login_required
def meeting_create(request, pk: int):
    circle = _circle_or_404(pk, request.user, can_manage_meetings)
    year = clock.today().year
    form = forms.MeetingForm(request.POST or None, circle=circle, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(
                circle=circle, by=request.user, **_meeting_fields(form)
            )
        except TransitionError as error:
            form.add_error("joint_with", str(error))
        else:
            messages.success(
                request,
                _("De bijeenkomst van %(date)s is gepland.") % {"date": f"{meeting.date:%d-%m-%Y}"},
            )
            return redirect("kwaliteitskringen:manage_meetings", circle.pk)
    return _dashboard(
        request,
        circle,
        "meetings",
        "kwaliteitskringen/meeting_form.html",
        {"form": form, "back_url": reverse("kwaliteitskringen:manage_meetings", args=[circle.pk])},
    )


@login_required
def meeting_edit(request, pk: int):
    meeting = _meeting_or_404(pk, request.user, can_manage_meeting)
    circle = meeting.circle
    form = forms.MeetingForm(
        request.POST or None, instance=meeting, circle=circle, year=meeting.date.year
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(meeting=meeting, by=request.user, **_meeting_fields(form))
        except TransitionError as error:
            _refused(request, error)
        else:
            messages.success(request, _("De bijeenkomst is bijgewerkt."))
            return redirect("kwaliteitskringen:meeting", meeting.pk)
    return _dashboard(
        request,
        circle,
        "meetings",
        "kwaliteitskringen/meeting_form.html",
        {
            "form": form,
            "meeting": meeting,
            "back_url": reverse("kwaliteitskringen:meeting", args=[meeting.pk]),
        },
    )


@login_required
def meeting_cancel(request, pk: int):
    meeting = _meeting_or_404(pk, request.user, can_manage_meeting)
    form = forms.OptionalReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_meeting(
                meeting=meeting, reason=form.cleaned_data["reason"], by=request.user
            )
            messages.success(request, _("De bijeenkomst is geannuleerd."))
        except TransitionError as error:
            _refused(request, error)
        return _after_meeting_change(meeting)
    return _dashboard(
        request,
        meeting.circle,
        "meetings",
        "kwaliteitskringen/meeting_cancel.html",
        {
            "form": form,
            "meeting": meeting,
            "back_url": reverse("kwaliteitskringen:meeting", args=[meeting.pk]),
        },
    )


@login_required
def meeting_attendance(request, pk: int):
    """KK-11: the attendance list, ticked from the registrations."""
    meeting = _meeting_or_404(pk, request.user, can_manage_meeting)
    expected = services.expected_attendees(meeting)
    recorded = {a.participant_id: a.present for a in meeting.attendances.all()}
    if recorded:
        initial = [pk for pk, present in recorded.items() if present]
    else:
        initial = list(meeting.registrations.values_list("participant_id", flat=True))
    form = forms.AttendanceForm(
        request.POST or None, expected=expected, initial={"present": initial}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(
                meeting=meeting, present=set(form.cleaned_data["present"]), by=request.user
            )
        except TransitionError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("De aanwezigheid is vastgelegd. Maak nu het verslag, zolang het vers is."),
            )
            return redirect("kwaliteitskringen:meeting_report", meeting.pk)
    return _dashboard(
        request,
        meeting.circle,
        "meetings",
        "kwaliteitskringen/meeting_attendance.html",
        {
            "form": form,
            "meeting": meeting,
            "today": clock.today(),
            "back_url": reverse("kwaliteitskringen:meeting", args=[meeting.pk]),
        },
    )


@login_required
def meeting_report(request, pk: int):
    """KK-11: the report, from the template, right after the meeting (also the note-taker)."""
    meeting = _meeting_or_404(pk, request.user, can_view_meeting)
    if not can_edit_meeting_report(request.user, meeting):
        raise Http404
    initial = meeting.report or services.report_template(meeting)
    form = forms.MeetingReportForm(request.POST or None, initial={"report": initial})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_meeting_report(
                meeting=meeting, report=form.cleaned_data["report"], by=request.user
            )
        except TransitionError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Het verslag is opgeslagen."))
            return redirect("kwaliteitskringen:meeting", meeting.pk)
    return render(
        request,
        "kwaliteitskringen/meeting_report.html",
        {"form": form, "meeting": meeting, "circle": meeting.circle},
    )


# --- dashboard: signals, annual report, subsidy --------------------------------------------


@login_required
def manage_signals(request, pk: int):
    """The portal flags, the coordinator decides: remove with a reason, or dismiss."""
    circle = _circle_or_404(pk, request.user, can_manage_circle)
    form = forms.DismissSignalForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.dismiss_signal(
                    circle=circle,
                    key=form.cleaned_data["key"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
                messages.success(request, _("Het signaal is afgehandeld."))
                return redirect("kwaliteitskringen:manage_signals", circle.pk)
            except TransitionError as error:
                _refused(request, error)
        else:
            messages.error(request, _("Schrijf kort op waarom je dit signaal afhandelt."))
    figures = selectors.circle_figures(circle, as_of=clock.today())
    signals, dismissals = figures.signals, figures.dismissals
    page = page_of(request, signals, per_page=25)
    remove_url = RowUrl("kwaliteitskringen:remove_member", circle.pk)
    return _dashboard(
        request,
        circle,
        "signals",
        "kwaliteitskringen/manage_signals.html",
        {
            "signals": page,
            "signal_rows": [
                (signal, remove_url(signal.membership_id) if signal.membership_id else None)
                for signal in page
            ],
            "meeting_create_url": reverse("kwaliteitskringen:meeting_create", args=[circle.pk]),
            "dismissals": dismissals[:20],
            "failed_key": form.data.get("key") if form.is_bound else None,
            "form": form,
        },
        figures=figures,
    )


def _report_year(request, default: int) -> int:
    try:
        return int(request.GET.get("jaar") or request.POST.get("year") or default)
    except ValueError:
        return default


@login_required
def manage_annual_report(request, pk: int):
    """KK-10: draft from the records, edit the narrative, render the PDF, submit."""
    circle = _circle_or_404(pk, request.user, can_manage_circle)
    as_of = clock.today()
    year = _report_year(request, as_of.year - 1)
    if not 2000 <= year <= as_of.year:
        year = as_of.year - 1
    report = AnnualReport.objects.filter(circle=circle, year=year).first()
    form = forms.AnnualReportForm(
        request.POST if request.POST.get("action") == "save" else None, instance=report
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "prepare":
                services.prepare_annual_report(circle=circle, year=year, by=request.user)
                messages.success(request, _("Het concept is bijgewerkt met de cijfers."))
            elif report is None:
                raise Http404
            elif action == "save":
                if form.is_valid():
                    services.update_annual_report(
                        report=report,
                        objective=form.cleaned_data["objective"],
                        narrative=form.cleaned_data["narrative"],
                        by=request.user,
                    )
                    messages.success(request, _("Het jaarverslag is opgeslagen."))
                else:
                    return _report_page(request, circle, year, report, form)
            elif action == "pdf":
                services.render_annual_report(report=report, by=request.user)
                messages.success(
                    request,
                    _("De PDF wordt gemaakt; de link verschijnt hieronder zodra hij klaar is."),
                )
            elif action == "submit":
                services.submit_annual_report(report=report, by=request.user)
                messages.success(request, _("Het jaarverslag is ingediend bij Noloc."))
            else:
                raise Http404
        except TransitionError as error:
            _refused(request, error)
        return redirect(
            reverse("kwaliteitskringen:manage_annual_report", args=[circle.pk]) + f"?jaar={year}"
        )
    return _report_page(request, circle, year, report, form)


def _report_page(request, circle, year, report, form):
    as_of = clock.today()
    return _dashboard(
        request,
        circle,
        "report",
        "kwaliteitskringen/manage_annual_report.html",
        {
            "report": report,
            "activities": selectors.published_activities(report) if report else [],
            "report_year": year,
            "form": form,
            "pdf": selectors.latest_pdf(report) if report else None,
            "figures": selectors.annual_report_figures(circle, year) if report is None else None,
            "years": list(range(as_of.year, max(circle.started_on.year, as_of.year - 5) - 1, -1)),
            "reports": AnnualReport.objects.filter(circle=circle).order_by("-year"),
        },
    )


@login_required
def manage_subsidy(request, pk: int):
    """KK-9: the claim with its conditions and staffel; the treasurer's cost shares."""
    circle = _circle_or_404(pk, request.user, can_record_finances)
    as_of = clock.today()
    year = as_of.year
    claim = SubsidyClaim.objects.filter(circle=circle, year=year).first()
    share_form = forms.CostShareForm(
        request.POST if request.POST.get("action") == "cost_share" else None,
        circle=circle,
        year=year,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "prepare":
                services.prepare_subsidy_claim(circle=circle, year=year, by=request.user)
                messages.success(request, _("De declaratie staat klaar."))
            elif action == "submit" and claim:
                services.submit_subsidy_claim(claim=claim, by=request.user)
                messages.success(request, _("De declaratie is ingediend bij het secretariaat."))
            elif action == "cost_share":
                if share_form.is_valid():
                    services.record_cost_share(
                        circle=circle,
                        member=share_form.cleaned_data["member"],
                        year=year,
                        amount=share_form.cleaned_data["amount"],
                        description=share_form.cleaned_data["description"],
                        by=request.user,
                    )
                    messages.success(request, _("De ledenbijdrage is vastgelegd."))
                else:
                    return _subsidy_page(request, circle, year, claim, share_form)
            else:
                raise Http404
        except TransitionError as error:
            _refused(request, error)
        return redirect("kwaliteitskringen:manage_subsidy", circle.pk)
    return _subsidy_page(request, circle, year, claim, share_form)


def _subsidy_page(request, circle, year, claim, share_form):
    conditions, money = selectors.subsidy_conditions(circle, year)
    shares = CostShare.objects.filter(circle=circle, year=year).select_related("member")
    return _dashboard(
        request,
        circle,
        "subsidy",
        "kwaliteitskringen/manage_subsidy.html",
        {
            "claim": claim,
            "conditions": conditions,
            "money": money,
            "deadline_passed": kk_rules.claim_deadline_passed(year=year, as_of=clock.today()),
            "share_form": share_form,
            "shares": shares,
            "share_total": shares.aggregate(total=Sum("amount"))["total"] or 0,
            "claims": SubsidyClaim.objects.filter(circle=circle).order_by("-year"),
        },
    )


# --- founding a circle ---------------------------------------------------------------------


@login_required
def found(request):
    """A member asks to start a circle; one open request at a time."""
    open_request = FoundingRequest.objects.filter(
        founder=request.user, state=FoundingState.SUBMITTED
    ).first()
    if open_request:
        return redirect("kwaliteitskringen:founding_request", open_request.pk)
    form = forms.FoundingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            founding = services.submit_founding_request(
                founder=request.user,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Je verzoek is verstuurd. Het secretariaat laat je weten wat het besluit."),
            )
            return redirect("kwaliteitskringen:founding_request", founding.pk)
    return render(request, "kwaliteitskringen/found.html", {"form": form})


@login_required
def founding_request(request, pk: int):
    """The founder follows their request (and may withdraw it while it is open)."""
    founding = get_object_or_404(FoundingRequest.objects.select_related("founder", "circle"), pk=pk)
    if not can_view_founding_request(request.user, founding):
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") != "withdraw":
            raise Http404
        try:
            services.withdraw_founding_request(founding=founding, by=request.user)
            messages.success(request, _("Je verzoek is ingetrokken."))
        except TransitionError as error:
            _refused(request, error)
        return redirect("kwaliteitskringen:founding_request", founding.pk)
    return render(
        request,
        "kwaliteitskringen/founding_request.html",
        {"founding": founding, "is_founder": founding.founder_id == request.user.pk},
    )


# --- interest where no circle has room -----------------------------------------------------


def interest(request):
    """Register interest in a circle in one's region. The answer is the same whether or not
    the address was known, and past the limit per address nothing more is registered."""
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = forms.InterestForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not within_limit(
            f"interest:address:{get_client_ip_address(request)}",
            limit=settings.INTEREST_LIMIT_PER_ADDRESS,
            window=settings.INTEREST_LIMIT_WINDOW,
        ):
            return render(request, "kwaliteitskringen/interest_throttled.html", status=429)
        if form.is_valid():
            email = form.cleaned_data["email"].strip().lower()
            if within_limit(
                f"interest:email:{email}",
                limit=settings.INTEREST_LIMIT_PER_EMAIL,
                window=settings.INTEREST_LIMIT_WINDOW,
            ):
                try:
                    services.register_interest(
                        email=email,
                        region=form.cleaned_data["region"],
                        consent=form.cleaned_data["consent"],
                    )
                except TransitionError as error:
                    form.add_error(None, str(error))
                    return render(request, "kwaliteitskringen/interest.html", {"form": form})
            messages.success(
                request,
                _(
                    "Dank je. Je krijgt een bevestiging per e-mail; zodra er in je regio een kring "
                    "plaats heeft, laten we het je weten."
                ),
            )
            return redirect("kwaliteitskringen:public_list")
    return render(request, "kwaliteitskringen/interest.html", {"form": form})


def interest_manage(request, token: str):
    """Renew or withdraw one's interest from the link in the e-mail (no login)."""
    found_interest = Interest.objects.filter(token=token[:64]).first()
    if found_interest is None or found_interest.token != token:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew":
            services.renew_interest(interest=found_interest)
            messages.success(request, _("Je belangstelling is met een jaar verlengd."))
        elif action == "withdraw":
            services.withdraw_interest(interest=found_interest)
            messages.success(
                request, _("Je belangstelling is ingetrokken; we mailen je niet meer.")
            )
        else:
            raise Http404
        return redirect("kwaliteitskringen:interest_manage", token)
    return render(request, "kwaliteitskringen/interest_manage.html", {"interest": found_interest})


# --- the regional chair (read-only) ---------------------------------------------------------


@login_required
def region(request):
    """The regional chair's circles with their figures, annual reports and subsidy claims."""
    if not can_view_region(request.user):
        raise Http404
    year = clock.today().year
    page = Paginator(selectors.region_circles(request.user, year=year), 25).get_page(
        request.GET.get("pagina")
    )
    regions: dict[str, list[Circle]] = {}
    for item in page.object_list:
        regions.setdefault(item.region, []).append(item)
    return render(
        request,
        "kwaliteitskringen/region.html",
        {"regions": list(regions.items()), "page": page, "year": year},
    )


@login_required
def region_circle(request, pk: int):
    """One circle of the chair's region: signals, annual reports, subsidy claims (read-only)."""
    circle = _circle_or_404(pk, request.user, can_view_region_circle)
    as_of = clock.today()
    signals = selectors.circle_figures(circle, as_of=as_of).signals
    conditions, money = selectors.subsidy_conditions(circle, as_of.year)
    return render(
        request,
        "kwaliteitskringen/region_circle.html",
        {
            "circle": circle,
            "signals": signals,
            "reports": AnnualReport.objects.filter(circle=circle).order_by("-year"),
            "claims": SubsidyClaim.objects.filter(circle=circle).order_by("-year"),
            "conditions": conditions,
            "money": money,
            "participants": selectors.participant_count(circle, as_of.year),
            "meetings": selectors.meeting_count(circle, as_of.year),
            "year": as_of.year,
        },
    )


# --- the year's programme (KK-7) ------------------------------------------------------------


def _programme_year(request, as_of) -> int:
    try:
        year = int(request.GET.get("jaar") or request.POST.get("year") or as_of.year)
    except ValueError:
        return as_of.year
    return year if year in (as_of.year, as_of.year + 1) else as_of.year


@login_required
def programme(request, pk: int):
    """KK-7: the members draft the year's programme: each proposes meetings (date, theme, form,
    host); the rotation suggests who is due to host; the coordinator records the agreement."""
    circle = _circle_or_404(pk, request.user, can_view_programme)
    as_of = clock.today()
    year = _programme_year(request, as_of)
    here = reverse("kwaliteitskringen:programme", args=[circle.pk]) + f"?jaar={year}"
    current = selectors.programme_of(circle, year)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "draft":
        try:
            services.draft_programme(circle=circle, year=year, by=request.user)
            messages.success(
                request,
                _("Het jaarprogramma %(year)s staat klaar; de leden kunnen nu voorstellen doen.")
                % {"year": year},
            )
        except TransitionError as error:
            _refused(request, error)
        return redirect(here)
    if action and current is None:
        raise Http404
    rule = kk_rules.rules_for(year)
    rotation = selectors.hosting_rotation(
        circle, as_of=as_of, interval_years=rule.hosting_interval_years
    )
    suggestions = selectors.host_suggestions(current, rotation) if current else {}
    taken = {item.host_id for item in current.items.all()} if current else set()
    taken |= {member.pk for member in suggestions.values()}
    next_host = next((row["member"] for row in rotation if row["member"].pk not in taken), None)
    form = (
        forms.ProgrammeItemForm(
            request.POST if action == "propose" else None,
            programme=current,
            suggested=next_host,
            initial={"host": next_host.pk if next_host else None},
        )
        if current
        else None
    )
    agree_form = forms.AgreeProgrammeForm(request.POST if action == "agree" else None)
    if action == "propose" and form.is_valid():
        data = form.cleaned_data
        try:
            services.propose_programme_item(
                programme=current,
                by=request.user,
                on=data["date"],
                theme=data["theme"],
                form=data["form"],
                host=data["host"],
                place=data["place"],
                note=data["note"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Je voorstel staat in het programma."))
            return redirect(here)
    elif action == "withdraw":
        item = get_object_or_404(ProgrammeItem, pk=request.POST.get("item") or 0, programme=current)
        try:
            services.withdraw_programme_item(item=item, by=request.user)
            messages.success(request, _("Het voorstel is uit het programma gehaald."))
        except TransitionError as error:
            _refused(request, error)
        return redirect(here)
    elif action == "agree" and agree_form.is_valid():
        try:
            services.agree_programme(
                programme=current,
                by=request.user,
                default_place=agree_form.cleaned_data["default_place"],
            )
        except TransitionError as error:
            agree_form.add_error("default_place", str(error))
        else:
            messages.success(
                request,
                _("Het programma is vastgesteld; de bijeenkomsten staan gepland."),
            )
            return redirect(here)
    elif action not in (None, "propose", "agree"):
        raise Http404
    items = list(current.items.all()) if current else []
    for item in items:
        item.suggested_host = suggestions.get(item.pk)
        item.can_withdraw = current.is_draft and (
            item.proposed_by_id == request.user.pk or can_manage_circle(request.user, circle)
        )
    return render(
        request,
        "kwaliteitskringen/programme.html",
        {
            "circle": circle,
            "programme": current,
            "items": items,
            "year": year,
            "years": [as_of.year, as_of.year + 1],
            "form": form,
            "agree_form": agree_form,
            "can_manage": can_manage_circle(request.user, circle),
            "can_propose": current is not None
            and current.is_draft
            and can_propose_programme_item(request.user, current),
        },
    )


# --- subgroups (KK-7) -----------------------------------------------------------------------


@login_required
def subgroups(request, pk: int):
    """The circle's subgroups; a member starts one with colleagues from the circle."""
    circle = _circle_or_404(pk, request.user, can_view_programme)
    year = clock.today().year
    may_form = is_member(request.user, circle) or can_manage_circle(request.user, circle)
    form = forms.SubgroupForm(
        request.POST if request.method == "POST" and may_form else None,
        circle=circle,
        year=year,
        exclude=request.user,
    )
    if request.method == "POST":
        if not may_form:
            raise Http404
        if form.is_valid():
            try:
                subgroup = services.form_subgroup(
                    circle=circle,
                    name=form.cleaned_data["name"],
                    purpose=form.cleaned_data["purpose"],
                    members=list(form.cleaned_data["members"]),
                    by=request.user,
                )
            except TransitionError as error:
                form.add_error("name", str(error))
            else:
                messages.success(
                    request, _("De subgroep %(name)s is gestart.") % {"name": subgroup.name}
                )
                return redirect("kwaliteitskringen:subgroup", subgroup.pk)
    return render(
        request,
        "kwaliteitskringen/subgroups.html",
        {
            "circle": circle,
            "subgroups": selectors.subgroups_of(circle, user=request.user),
            "form": form if may_form else None,
        },
    )


def _subgroup_or_404(pk: int, user, allowed: Callable) -> Subgroup:
    subgroup = get_object_or_404(
        Subgroup.objects.select_related(
            "circle__coordinator", "circle__secretary", "circle__treasurer", "convener"
        ),
        pk=pk,
    )
    if not allowed(user, subgroup):
        raise Http404
    return subgroup


@login_required
def subgroup(request, pk: int):
    """A subgroup: its members, its meetings with their own agenda and attendance; join or
    leave."""
    subgroup = _subgroup_or_404(pk, request.user, can_view_subgroup)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "join":
                services.join_subgroup(subgroup=subgroup, member=request.user, by=request.user)
                messages.success(request, _("Je doet mee met deze subgroep."))
            elif action == "leave":
                services.leave_subgroup(subgroup=subgroup, member=request.user, by=request.user)
                messages.success(request, _("Je bent uit de subgroep gegaan."))
            else:
                raise Http404
        except TransitionError as error:
            _refused(request, error)
        return redirect("kwaliteitskringen:subgroup", subgroup.pk)
    as_of = clock.today()
    meetings = list(selectors.subgroup_meetings(subgroup).filter(date__year__gte=as_of.year - 1))
    return render(
        request,
        "kwaliteitskringen/subgroup.html",
        {
            "circle": subgroup.circle,
            "subgroup": subgroup,
            "members": selectors.subgroup_members(subgroup),
            "upcoming": [m for m in reversed(meetings) if m.date >= as_of and m.state == "planned"],
            "past": [m for m in meetings if m.date < as_of or m.state != "planned"],
            "is_in": is_subgroup_member(request.user, subgroup),
            "may_join": is_member(request.user, subgroup.circle),
            "can_manage": can_manage_subgroup(request.user, subgroup),
            "today": as_of,
        },
    )


@login_required
def subgroup_meeting_create(request, pk: int):
    """The convener (or the circle's coordinator or secretary) plans a subgroup meeting."""
    subgroup = _subgroup_or_404(pk, request.user, can_manage_subgroup)
    circle = subgroup.circle
    form = forms.MeetingForm(
        request.POST or None, circle=circle, year=clock.today().year, subgroup=subgroup
    )
    if request.method == "POST" and form.is_valid():
        meeting = services.schedule_subgroup_meeting(
            subgroup=subgroup, by=request.user, **_meeting_fields(form)
        )
        messages.success(
            request,
            _("De bijeenkomst van %(date)s is gepland.") % {"date": f"{meeting.date:%d-%m-%Y}"},
        )
        return redirect("kwaliteitskringen:subgroup", subgroup.pk)
    return render(
        request,
        "kwaliteitskringen/subgroup_meeting_form.html",
        {"circle": circle, "subgroup": subgroup, "form": form},
    )
