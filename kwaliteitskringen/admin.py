"""Admin for every circle model. Actions call the services, so the secretariat's clicks follow
the same rules as the coordinator's; actions that need a reason ask for it on a second page."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kwaliteitskringen import selectors, services
from kwaliteitskringen.models import (
    AnnualReport,
    Application,
    Attendance,
    Circle,
    CircleEvent,
    CircleRules,
    Contribution,
    CostShare,
    FoundingRequest,
    FoundingState,
    Interest,
    InterestInvitation,
    InterestState,
    Meeting,
    MeetingRegistration,
    Membership,
    Programme,
    ProgrammeItem,
    ProgrammeState,
    RegionalChair,
    RenewalRound,
    SignalDismissal,
    Subgroup,
    SubgroupMembership,
    SubsidyClaim,
)
from noloc_portal.admin_lists import BoundedDateHierarchy
from noloc_portal.forms import BoundedAdminFields


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), max_length=2000
    )


def _run(modeladmin, request, queryset, call: Callable, done: str) -> None:
    ok = 0
    for obj in queryset:
        try:
            call(obj)
            ok += 1
        except services.TransitionError as error:
            modeladmin.message_user(request, f"{obj}: {error}", messages.ERROR)
    if ok:
        modeladmin.message_user(request, done % {"count": ok}, messages.SUCCESS)


def reason_action(*, service: Callable, kwarg: str, description: str, done: str):
    """An admin action that asks for a reason on an intermediate page, then calls ``service``
    per selected object as ``service(<kwarg>=obj, reason=..., by=request.user)``."""

    def action(modeladmin, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            _run(
                modeladmin,
                request,
                queryset,
                lambda obj: service(**{kwarg: obj}, reason=reason, by=request.user),
                done,
            )
            return None
        return TemplateResponse(
            request,
            "kwaliteitskringen/admin/reason_action.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": description,
                "objects": queryset,
                "form": form,
                "action": request.POST.get("action"),
                "select_across": request.POST.get("select_across", "0"),
                "opts": modeladmin.model._meta,
            },
        )

    action.short_description = description
    action.__name__ = f"{service.__name__}_action"
    return action


@admin.register(CircleRules)
class CircleRulesAdmin(admin.ModelAdmin):
    list_display = [
        "effective_year",
        "min_participants",
        "min_meetings",
        "subsidy_amount",
        "staffel_method",
        "hosting_interval_years",
        "trial_meetings",
        "reminder_days_before",
    ]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["member", "year", "state", "end_reason"]
    readonly_fields = ["state", "end_reason"]
    autocomplete_fields = ["member"]
    show_change_link = True


@admin.register(Circle)
class CircleAdmin(BoundedAdminFields, admin.ModelAdmin):
    list_display = ["name", "region", "coordinator", "status", "capacity", "started_on"]
    list_filter = ["status", "region"]
    search_fields = ["name", "region", "coordinator__full_name", "coordinator__email"]
    autocomplete_fields = ["coordinator", "secretary", "treasurer", "split_from"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "circle", "year", "state", "ended_at"]
    list_filter = ["state", "year", "circle"]
    search_fields = ["member__full_name", "member__email", "circle__name"]
    autocomplete_fields = ["member", "circle"]
    # The consent is the member's own choice (set on their page), not the secretariat's.
    readonly_fields = ["ended_at", "ended_by", "created_at", "name_in_annual_report"]
    actions = [
        reason_action(
            service=services.remove_member,
            kwarg="membership",
            description=_("Deelname beëindigen (met reden)"),
            done=_("%(count)s deelname(s) beëindigd."),
        )
    ]


@admin.register(RenewalRound)
class RenewalRoundAdmin(admin.ModelAdmin):
    list_display = ["circle", "year", "opened_at", "closed_at"]
    list_filter = ["year"]
    search_fields = ["circle__name", "circle__region"]
    list_select_related = ["circle"]
    actions = ["close_round"]

    @admin.action(description=_("Inschrijving sluiten (niet-verlengd vervalt)"))
    def close_round(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda obj: services.close_renewal_round(renewal=obj, by=request.user),
            gettext("%(count)s inschrijving(en) gesloten."),
        )


@admin.register(Application)
class ApplicationAdmin(BoundedAdminFields, admin.ModelAdmin):
    list_display = ["applicant", "circle", "state", "submitted_at", "decided_at"]
    list_filter = ["state", "circle"]
    search_fields = ["applicant__full_name", "applicant__email", "circle__name"]
    autocomplete_fields = ["applicant", "circle"]
    raw_id_fields = ["cv"]
    readonly_fields = ["decided_at", "decided_by", "closed_at", "trial_fee_recorded_at"]
    actions = [
        "accept_for_trial",
        "waitlist",
        reason_action(
            service=services.decline_application,
            kwarg="application",
            description=_("Aanmelding afwijzen (met reden)"),
            done=_("%(count)s aanmelding(en) afgewezen."),
        ),
    ]

    @admin.action(description=_("Laten meedraaien op proef"))
    def accept_for_trial(self, request, queryset):
        _run(
            self,
            request,
            queryset.order_by("submitted_at"),
            lambda obj: services.accept_for_trial(application=obj, by=request.user),
            gettext("%(count)s aanmelder(s) draaien mee."),
        )

    @admin.action(description=_("Op de wachtlijst plaatsen"))
    def waitlist(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda obj: services.waitlist_application(application=obj, by=request.user),
            gettext("%(count)s aanmelding(en) op de wachtlijst."),
        )


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["participant", "present", "on_trial"]
    readonly_fields = ["participant", "present", "on_trial"]
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(BoundedDateHierarchy, BoundedAdminFields, admin.ModelAdmin):
    list_display = ["date", "circle", "theme", "form", "host", "state", "subgroup", "joint_with"]
    list_filter = [
        "state",
        "form",
        "circle",
        ("subgroup", admin.EmptyFieldListFilter),
        ("joint_with", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["circle", "host", "subgroup", "joint_with"]
    date_hierarchy = "date"
    search_fields = ["theme", "circle__name", "host__full_name", "joint_with__name"]
    autocomplete_fields = ["circle", "host", "note_taker", "subgroup", "joint_with"]
    inlines = [AttendanceInline]
    actions = [
        reason_action(
            service=services.cancel_meeting,
            kwarg="meeting",
            description=_("Bijeenkomst annuleren"),
            done=_("%(count)s bijeenkomst(en) geannuleerd."),
        )
    ]


@admin.register(MeetingRegistration)
class MeetingRegistrationAdmin(admin.ModelAdmin):
    list_display = ["participant", "meeting", "registered_at", "reminder_sent_at"]
    list_filter = ["meeting__circle"]
    search_fields = ["participant__full_name", "meeting__theme"]
    readonly_fields = ["reminder_sent_at"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["participant", "meeting", "present", "on_trial", "recorded_by"]
    list_select_related = ["participant", "meeting__circle", "recorded_by"]
    list_filter = ["present", "on_trial", "meeting__circle"]
    search_fields = ["participant__full_name", "meeting__theme"]
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Contribution)
class ContributionAdmin(BoundedDateHierarchy, BoundedAdminFields, admin.ModelAdmin):
    list_display = ["participant", "circle", "date", "description"]
    list_filter = ["circle"]
    date_hierarchy = "date"
    search_fields = ["participant__full_name", "description"]


@admin.register(CostShare)
class CostShareAdmin(admin.ModelAdmin):
    list_display = ["member", "circle", "year", "amount", "description", "recorded_by"]
    list_select_related = ["member", "circle", "recorded_by"]
    list_filter = ["year", "circle"]
    search_fields = ["member__full_name", "description"]


@admin.register(SignalDismissal)
class SignalDismissalAdmin(admin.ModelAdmin):
    list_display = ["circle", "key", "note", "dismissed_by", "dismissed_at"]
    list_select_related = ["circle", "dismissed_by"]
    list_filter = ["circle"]
    search_fields = ["key", "note"]


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ["circle", "year", "state", "member_count", "meeting_count", "submitted_at"]
    list_filter = ["state", "year"]
    search_fields = ["circle__name"]
    readonly_fields = [
        "member_count",
        "meeting_count",
        "activities",
        "figures_updated_at",
        "submitted_at",
        "submitted_by",
        "published_at",
        "published_by",
    ]
    actions = ["publish", "render_pdf"]

    @admin.action(description=_("Publiceren op de openbare pagina"))
    def publish(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda obj: services.publish_annual_report(report=obj, by=request.user),
            gettext("%(count)s jaarverslag(en) gepubliceerd."),
        )

    @admin.action(description=_("PDF opnieuw maken"))
    def render_pdf(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda obj: services.render_annual_report(report=obj, by=request.user),
            gettext("%(count)s PDF('s) in de wachtrij."),
        )


@admin.register(SubsidyClaim)
class SubsidyClaimAdmin(admin.ModelAdmin):
    list_display = ["circle", "year", "state", "amount", "conditions_met", "submitted_at"]
    list_filter = ["state", "year"]
    search_fields = ["circle__name"]
    readonly_fields = [
        "amount",
        "conditions",
        "submitted_at",
        "submitted_by",
        "decided_at",
        "decided_by",
    ]
    actions = [
        "approve",
        reason_action(
            service=services.reject_subsidy_claim,
            kwarg="claim",
            description=_("Afwijzen (met reden)"),
            done=_("%(count)s declaratie(s) afgewezen."),
        ),
    ]

    @admin.display(description=_("voorwaarden voldaan"), boolean=True)
    def conditions_met(self, obj) -> bool | None:
        if not obj.conditions:
            return None
        return all(condition.get("met") for condition in obj.conditions)

    @admin.action(description=_("Goedkeuren"))
    def approve(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda obj: services.approve_subsidy_claim(claim=obj, by=request.user),
            gettext("%(count)s declaratie(s) goedgekeurd."),
        )


@admin.register(CircleEvent)
class CircleEventAdmin(admin.ModelAdmin):
    list_display = ["at", "circle", "action", "actor"]
    list_filter = ["action", "circle"]
    readonly_fields = ["circle", "actor", "action", "detail", "at"]
    search_fields = ["circle__name", "action", "actor__email"]
    list_select_related = ["circle", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# --- founding requests, interest, regional chairs --------------------------------------------


@admin.register(FoundingRequest)
class FoundingRequestAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "founder", "state", "submitted_at", "decided_at", "circle"]
    list_filter = ["state", "region"]
    search_fields = ["name", "region", "founder__full_name", "founder__email"]
    list_select_related = ["founder", "circle"]
    readonly_fields = [
        "founder",
        "state",
        "submitted_at",
        "decision_reason",
        "decided_at",
        "decided_by",
        "circle",
    ]
    actions = [
        "approve",
        reason_action(
            service=services.decline_founding_request,
            kwarg="founding",
            description=_("Afwijzen (met reden)"),
            done=_("%(count)s oprichtingsverzoek(en) afgewezen."),
        ),
    ]

    def has_add_permission(self, request) -> bool:
        return False  # members ask through the portal

    def get_readonly_fields(self, request, obj=None):
        # The secretariat may correct name and place while the request is open, not after.
        if obj is not None and obj.state != FoundingState.SUBMITTED:
            return [f.name for f in self.model._meta.fields]
        return self.readonly_fields

    @admin.action(description=_("Goedkeuren: de kring oprichten"))
    def approve(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda obj: services.approve_founding_request(founding=obj, by=request.user),
            gettext("%(count)s kring(en) opgericht."),
        )


class InviteForm(forms.Form):
    circle = forms.ModelChoiceField(
        label=_("Kring om zich bij aan te melden"),
        queryset=Circle.objects.exclude(status="full").order_by("region", "name"),
    )


class InterestInvitationInline(admin.TabularInline):
    model = InterestInvitation
    extra = 0
    fields = ["circle", "sent_at", "sent_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    """The interest per region; never shown outside the admin."""

    change_list_template = "admin/kwaliteitskringen/interest/change_list.html"
    list_display = ["email", "region", "state", "expires_on", "invitation_total", "created_at"]
    list_filter = ["state", "region"]
    search_fields = ["email", "region"]
    fields = [
        "email",
        "region",
        "state",
        "consent_at",
        "expires_on",
        "created_at",
        "renewed_at",
        "reminded_at",
        "ended_at",
    ]
    readonly_fields = fields
    inlines = [InterestInvitationInline]
    actions = ["invite", "withdraw"]

    def has_add_permission(self, request) -> bool:
        return False  # only the person registers their interest, with their consent

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(invitation_count=Count("invitations"))

    @admin.display(description=_("uitnodigingen"), ordering="invitation_count")
    def invitation_total(self, obj) -> int:
        return obj.invitation_count

    def changelist_view(self, request, extra_context=None):
        per_region = (
            Interest.objects.values("region")
            .annotate(
                active=Count("pk", filter=Q(state=InterestState.ACTIVE)),
                total=Count("pk"),
            )
            .order_by("region")
        )
        return super().changelist_view(request, {**(extra_context or {}), "per_region": per_region})

    @admin.action(description=_("Uitnodigen voor een nieuwe of gesplitste kring"))
    def invite(self, request, queryset):
        form = InviteForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            circle = form.cleaned_data["circle"]
            _run(
                self,
                request,
                queryset,
                lambda obj: services.invite_interest(interest=obj, circle=circle, by=request.user),
                gettext("%(count)s belangstellende(n) uitgenodigd."),
            )
            return None
        return TemplateResponse(
            request,
            "kwaliteitskringen/admin/reason_action.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Uitnodigen voor een kring"),
                "objects": queryset,
                "form": form,
                "action": request.POST.get("action"),
                "select_across": request.POST.get("select_across", "0"),
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Intrekken: niet meer mailen"))
    def withdraw(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda obj: services.withdraw_interest(interest=obj),
            gettext("%(count)s belangstelling(en) ingetrokken."),
        )


@admin.register(InterestInvitation)
class InterestInvitationAdmin(admin.ModelAdmin):
    list_display = ["interest", "circle", "sent_at", "sent_by"]
    list_filter = ["circle__region", "circle"]
    search_fields = ["interest__email", "circle__name"]
    list_select_related = ["interest", "circle", "sent_by"]
    readonly_fields = ["interest", "circle", "sent_at", "sent_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RegionalChair)
class RegionalChairAdmin(admin.ModelAdmin):
    """Appointing a chair grants the role; removing their last region takes it away."""

    list_display = ["user", "region", "appointed_at"]
    list_filter = ["region"]
    search_fields = ["user__full_name", "user__email", "region"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "region", "appointed_at"] if obj else ["appointed_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        chair = services.appoint_regional_chair(user=obj.user, region=obj.region, by=request.user)
        obj.pk = chair.pk

    def delete_model(self, request, obj):
        services.dismiss_regional_chair(chair=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for chair in queryset:
            services.dismiss_regional_chair(chair=chair, by=request.user)


class ProgrammeItemInline(admin.TabularInline):
    """Items are proposed by the members on the portal; here they are read."""

    model = ProgrammeItem
    extra = 0
    fields = ["date", "theme", "form", "host", "place", "proposed_by", "meeting"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["circle", "year", "state", "created_at", "agreed_at"]
    list_filter = ["state", "year", "circle__region"]
    search_fields = ["circle__name", "circle__region"]
    list_select_related = ["circle"]
    autocomplete_fields = ["circle"]
    readonly_fields = ["state", "drafted_by", "created_at", "agreed_at", "agreed_by"]
    inlines = [ProgrammeItemInline]
    actions = ["agree"]

    def get_readonly_fields(self, request, obj=None):
        # Circle and year are fixed once the programme exists.
        return [*self.readonly_fields, "circle", "year"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.drafted_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Programma vaststellen (onderdelen worden bijeenkomsten)"))
    def agree(self, request, queryset):
        _run(
            self,
            request,
            queryset.filter(state=ProgrammeState.DRAFT),
            lambda obj: services.agree_programme(programme=obj, by=request.user),
            gettext("%(count)s programma('s) vastgesteld."),
        )


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(BoundedDateHierarchy, admin.ModelAdmin):
    list_display = ["date", "theme", "form", "host", "programme", "proposed_by", "meeting"]
    list_filter = ["form", "programme__state", "programme__year"]
    search_fields = ["theme", "programme__circle__name", "host__full_name", "proposed_by__email"]
    list_select_related = ["programme__circle", "host", "proposed_by", "meeting"]
    date_hierarchy = "date"
    readonly_fields = [
        "programme",
        "date",
        "theme",
        "form",
        "host",
        "place",
        "note",
        "proposed_by",
        "proposed_at",
        "meeting",
    ]
    actions = ["withdraw"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Voorstel intrekken (alleen bij een conceptprogramma)"))
    def withdraw(self, request, queryset):
        _run(
            self,
            request,
            queryset.select_related("programme"),
            lambda obj: services.withdraw_programme_item(item=obj, by=request.user),
            gettext("%(count)s voorstel(len) ingetrokken."),
        )


class SubgroupMembershipInline(admin.TabularInline):
    model = SubgroupMembership
    extra = 0
    fields = ["member", "joined_at", "left_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Subgroup)
class SubgroupAdmin(BoundedAdminFields, admin.ModelAdmin):
    list_display = ["name", "circle", "convener", "member_total", "created_at"]
    list_filter = ["circle__region", "circle"]
    search_fields = ["name", "circle__name", "convener__full_name"]
    list_select_related = ["circle", "convener"]
    autocomplete_fields = ["circle", "convener"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [SubgroupMembershipInline]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a subgroup's meetings are history
        return actions

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is not None and not obj.meetings.exists()

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_total=selectors.correlated_count(
                    SubgroupMembership.objects.filter(left_at__isnull=True), "subgroup"
                )
            )
        )

    @admin.display(description=_("leden"), ordering="member_total")
    def member_total(self, obj) -> int:
        return obj.member_total


@admin.register(SubgroupMembership)
class SubgroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "subgroup", "joined_at", "left_at"]
    list_filter = [("left_at", admin.EmptyFieldListFilter), "subgroup__circle"]
    search_fields = ["member__full_name", "member__email", "subgroup__name"]
    list_select_related = ["member", "subgroup__circle"]
    readonly_fields = ["subgroup", "member", "joined_at", "left_at"]
    actions = ["leave"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Uit de subgroep halen"))
    def leave(self, request, queryset):
        _run(
            self,
            request,
            queryset.select_related("subgroup", "member"),
            lambda obj: services.leave_subgroup(
                subgroup=obj.subgroup, member=obj.member, by=request.user
            ),
            gettext("%(count)s lid/leden uit de subgroep gehaald."),
        )
