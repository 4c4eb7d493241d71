from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from noloc_portal.audit.services import record_security_event
from noloc_portal.pdf.models import RenderJob, RenderState
from noloc_portal.pdf.registry import report_kind


def _readable_job(request, pk) -> RenderJob:
    job = get_object_or_404(RenderJob.objects.select_related("content_type"), pk=pk)
    if not (request.user.is_staff or report_kind(job.kind).can_view(request.user, job.target)):
        raise Http404
    return job


@login_required
@never_cache
def status(request, pk):
    """The state of a render job as JSON, for a page that shows a PDF being made: it asks every
    few seconds and shows the download link when the job is done (static/js/portal.js)."""
    job = _readable_job(request, pk)
    if job.state == RenderState.DONE:
        label = _("Versie %(v)s (%(pages)s pagina's)") % {"v": job.version, "pages": job.page_count}
    elif job.state == RenderState.FAILED:
        label = _("Versie %(v)s: mislukt") % {"v": job.version}
    else:
        label = _("Versie %(v)s: %(state)s") % {
            "v": job.version,
            "state": job.get_state_display().lower(),
        }
    return JsonResponse(
        {
            "state": job.state,
            "label": label,
            "url": reverse("pdf:download", args=[job.pk]) if job.state == RenderState.DONE else "",
        }
    )


@login_required
def download(request, pk):
    job = _readable_job(request, pk)
    if job.state != RenderState.DONE:
        raise Http404
    record_security_event(action="pdf.downloaded", actor=request.user, target=job, request=request)
    return FileResponse(
        job.file.open("rb"),
        filename=f"{job.title} v{job.version}.pdf",
        content_type="application/pdf",
    )
