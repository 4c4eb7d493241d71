from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from noloc_portal.audit.services import record_security_event
from noloc_portal.pdf.models import RenderJob, RenderState
from noloc_portal.pdf.registry import report_kind


@login_required
def download(request, pk):
    job = get_object_or_404(RenderJob.objects.select_related("content_type"), pk=pk)
    if not (request.user.is_staff or report_kind(job.kind).can_view(request.user, job.target)):
        raise Http404
    if job.state != RenderState.DONE:
        raise Http404
    record_security_event(action="pdf.downloaded", actor=request.user, target=job, request=request)
    return FileResponse(
        job.file.open("rb"),
        filename=f"{job.title} v{job.version}.pdf",
        content_type="application/pdf",
    )
