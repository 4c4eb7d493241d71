from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from noloc_portal.pdf.models import RenderJob, RenderState
from noloc_portal.pdf.services import queue_report, retry_render_job


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "version", "state", "attempts", "page_count", "created_at"]
    list_filter = ["state", "kind", "created_at"]
    search_fields = ["title", "error"]
    readonly_fields = [
        "kind",
        "content_type",
        "object_id",
        "version",
        "title",
        "state",
        "attempts",
        "error",
        "file",
        "page_count",
        "requested_by",
        "created_at",
        "started_at",
        "queued_at",
        "lease_until",
        "finished_at",
    ]
    actions = ["retry", "render_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Mislukte opdrachten opnieuw proberen"))
    def retry(self, request, queryset):
        failed = list(queryset.filter(state=RenderState.FAILED))
        for job in failed:
            retry_render_job(job=job, by=request.user)
        self.message_user(
            request,
            _("%(n)d opdracht(en) opnieuw in de wachtrij.") % {"n": len(failed)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Opnieuw maken als nieuwe versie"))
    def render_again(self, request, queryset):
        """A new version of each selected report (after a correction of its content); the
        versions made before stay as they are."""
        reports = {(job.kind, job.content_type_id, job.object_id): job for job in queryset}
        queued = 0
        for job in reports.values():
            if job.target is None:  # its portfolio or round was deleted
                continue
            queue_report(kind=job.kind, target=job.target, by=request.user)
            queued += 1
        self.message_user(
            request,
            _("%(n)d rapport(en) in de wachtrij voor een nieuwe versie.") % {"n": queued},
            messages.SUCCESS,
        )
