from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from noloc_portal.audit.services import record_security_event
from noloc_portal.documents.models import Document
from noloc_portal.documents.permissions import can_view_document

# What a browser shows itself: a PDF in its viewer, an image as an image. Anything else (a Word
# file) is always downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


def _serve(request, uuid, *, inline: bool):
    document = get_object_or_404(Document, uuid=uuid)
    if not can_view_document(request.user, document):
        raise Http404
    inline = inline and document.content_type in INLINE_TYPES
    record_security_event(
        action="document.viewed" if inline else "document.downloaded",
        actor=request.user,
        target=document,
        request=request,
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=not inline,
        filename=document.original_name,
        content_type=document.content_type,
    )
    # Also without SecurityMiddleware's SECURE_CONTENT_TYPE_NOSNIFF.
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def download(request, uuid):
    """An uploaded file, always as an attachment of its checked type: the browser neither shows
    it inside the portal's origin nor guesses another type from its content."""
    return _serve(request, uuid, inline=False)


@login_required
@csp_replace({"object-src": [SELF]})
def inline(request, uuid):
    """A PDF or image opened in the browser (the assessor reads evidence beside the criteria),
    for whoever may download it. Its type was checked on upload and is sent with nosniff, so the
    browser treats it as nothing else; other files are downloaded as by :func:`download`. The
    page's policy lets the browser's own PDF viewer load the file."""
    return _serve(request, uuid, inline=True)
