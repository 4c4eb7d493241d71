from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from noloc_portal.audit.services import record_security_event
from noloc_portal.documents.models import Document
from noloc_portal.documents.permissions import can_view_document


@login_required
def download(request, uuid):
    """An uploaded file, always as an attachment of its checked type: the browser neither shows
    it inside the portal's origin nor guesses another type from its content."""
    document = get_object_or_404(Document, uuid=uuid)
    if not can_view_document(request.user, document):
        raise Http404
    record_security_event(
        action="document.downloaded", actor=request.user, target=document, request=request
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    # Also without SecurityMiddleware's SECURE_CONTENT_TYPE_NOSNIFF.
    response["X-Content-Type-Options"] = "nosniff"
    return response
