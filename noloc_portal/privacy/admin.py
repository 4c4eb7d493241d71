from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from noloc_portal.privacy import services
from noloc_portal.privacy.forms import CarryOutRemovalForm, DeclineRemovalForm
from noloc_portal.privacy.models import AccountRemovalRequest, DataExport


def _with_plans(requests) -> list[dict]:
    """Each request with what removing its account would keep and erase, and what blocks it."""
    return [
        {
            "request": request,
            "plan": services.removal_plan(request.user),
            "blockers": services.removal_blockers(request.user),
        }
        for request in requests
    ]


@admin.register(AccountRemovalRequest)
class AccountRemovalRequestAdmin(admin.ModelAdmin):
    """Asked for by the person on 'Mijn gegevens'; handled here with the actions, which call the
    same services. The rows themselves are never edited."""

    list_display = ["user", "requested_at", "state", "handled_by", "handled_at"]
    list_filter = ["state", "requested_at", "handled_at"]
    search_fields = ["user__email", "user__full_name", "user__membership_number"]
    list_select_related = ["user", "handled_by"]
    date_hierarchy = "requested_at"
    readonly_fields = [
        "user",
        "requested_at",
        "reason",
        "state",
        "withdrawn_at",
        "handled_by",
        "handled_at",
        "note",
        "outcome_summary",
    ]
    fields = readonly_fields
    actions = ["carry_out", "decline"]
    change_form_template = "admin/privacy/accountremovalrequest/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The row is the person's request and its record; it changes only through the actions.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("uitkomst"))
    def outcome_summary(self, obj: AccountRemovalRequest) -> str:
        if not obj.outcome:
            return "–"
        kept = ", ".join(f"{label}: {count}" for label, count in obj.outcome["bewaard"].items())
        name = (
            _("naam en lidnummer bewaard")
            if obj.outcome["naam_bewaard"]
            else _("naam en lidnummer gewist")
        )
        return _(
            "%(portfolios)s portfolio('s) en %(files)s bestand(en) gewist; %(name)s; bewaard: "
            "%(kept)s."
        ) % {
            "portfolios": obj.outcome["portfolios_verwijderd"],
            "files": obj.outcome["bestanden_verwijderd"],
            "name": name,
            "kept": kept,
        }

    def has_handle_permission(self, request):
        # Django's own change permission of the model grants handling requests.
        return request.user.has_perm("privacy.change_accountremovalrequest")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        removal = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if removal is not None and removal.is_open:
            extra["handling"] = _with_plans([removal])[0]
            extra["can_handle"] = self.has_handle_permission(request)
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def _intermediate(self, request, queryset, *, action, title, form, button):
        return TemplateResponse(
            request,
            "admin/privacy/handle_removal.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "items": _with_plans(queryset.select_related("user")),
                "form": form,
                "action": action,
                "button": button,
                "select_across": request.POST.get("select_across", "0"),
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Verwijdering uitvoeren"), permissions=["handle"])
    def carry_out(self, request, queryset):
        """carry_out_removal per selected request, after a page that says per person what will
        be kept and erased and what has to be settled first."""
        form = CarryOutRemovalForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._intermediate(
                request,
                queryset,
                action="carry_out",
                title=_("Account verwijderen"),
                form=form,
                button=_("Definitief verwijderen"),
            )
        for removal in queryset.select_related("user"):
            try:
                services.carry_out_removal(
                    request=removal, by=request.user, note=form.cleaned_data["note"]
                )
            except services.RemovalError as error:
                self.message_user(request, f"{removal.user}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Verzoek van %(date)s uitgevoerd: het account is verwijderd.")
                    % {"date": f"{removal.requested_at:%d-%m-%Y}"},
                    messages.SUCCESS,
                )
        return None

    @admin.action(description=_("Verzoek afwijzen"), permissions=["handle"])
    def decline(self, request, queryset):
        form = DeclineRemovalForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._intermediate(
                request,
                queryset,
                action="decline",
                title=_("Verzoek om verwijdering afwijzen"),
                form=form,
                button=_("Afwijzen"),
            )
        for removal in queryset.select_related("user"):
            try:
                services.decline_removal(
                    request=removal, by=request.user, note=form.cleaned_data["note"]
                )
            except services.RemovalError as error:
                self.message_user(request, f"{removal.user}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(user)s: verzoek afgewezen.") % {"user": removal.user}
                )
        return None


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    """The downloads people made of their own data. Only their state is shown: the zip is
    theirs (it is removed when it expires, or here)."""

    list_display = ["user", "requested_at", "state", "size", "finished_at", "expires_at"]
    list_filter = ["state", "requested_at"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "state",
        "size",
        "error",
        "requested_at",
        "started_at",
        "finished_at",
        "expires_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.delete_exports([obj])

    def delete_queryset(self, request, queryset):
        services.delete_exports(list(queryset))
