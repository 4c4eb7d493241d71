import hashlib
import io
from typing import IO

from django.core.files import File

from noloc_portal.documents.models import Document
from noloc_portal.documents.validation import EVIDENCE_KINDS, FileKind, check_upload

_CHUNK = 64 * 1024


def store_upload(*, upload, owner, kinds: tuple[FileKind, ...] = EVIDENCE_KINDS) -> Document:
    """Check an uploaded file and store it under a random key. Raises ValidationError."""
    kind = check_upload(upload, kinds)
    return store_file(file=upload, name=upload.name, content_type=kind.content_type, owner=owner)


def store_bytes(*, data: bytes, name: str, content_type: str, owner) -> Document:
    return store_file(file=io.BytesIO(data), name=name, content_type=content_type, owner=owner)


def store_file(*, file: IO[bytes], name: str, content_type: str, owner) -> Document:
    """Store a seekable binary file under a random key, reading it in chunks (never whole)."""
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    while chunk := file.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    document = Document(
        owner=owner,
        original_name=name[-255:],
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )
    document.file.save(name, File(file), save=False)
    document.save()
    return document
