import hashlib

from django.core.files.base import ContentFile

from noloc_portal.documents.models import Document
from noloc_portal.documents.validation import EVIDENCE_KINDS, FileKind, check_upload


def store_upload(*, upload, owner, kinds: tuple[FileKind, ...] = EVIDENCE_KINDS) -> Document:
    """Check an uploaded file and store it under a random key. Raises ValidationError."""
    kind = check_upload(upload, kinds)
    data = upload.read()
    return store_bytes(data=data, name=upload.name, content_type=kind.content_type, owner=owner)


def store_bytes(*, data: bytes, name: str, content_type: str, owner) -> Document:
    document = Document(
        owner=owner,
        original_name=name[-255:],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    document.file.save(name, ContentFile(data), save=False)
    document.save()
    return document
