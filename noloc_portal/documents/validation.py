"""What may be uploaded: PDF, PNG and JPEG everywhere, DOCX where a written report is asked."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    magic: bytes


PDF = FileKind(".pdf", "application/pdf", b"%PDF-")
PNG = FileKind(".png", "image/png", b"\x89PNG\r\n\x1a\n")
JPEG = FileKind(".jpg", "image/jpeg", b"\xff\xd8\xff")
DOCX = FileKind(
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    b"PK\x03\x04",
)
EVIDENCE_KINDS = (PDF, PNG, JPEG)
REPORT_KINDS = (PDF, PNG, JPEG, DOCX)
_EXTENSIONS = {".jpeg": JPEG}


def _kind_by_name(name: str, kinds: tuple[FileKind, ...]) -> FileKind | None:
    lowered = name.lower()
    for kind in kinds:
        if lowered.endswith(kind.extension):
            return kind
    for extension, kind in _EXTENSIONS.items():
        if lowered.endswith(extension) and kind in kinds:
            return kind
    return None


def _is_docx(upload) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def check_upload(upload, kinds: tuple[FileKind, ...] = EVIDENCE_KINDS) -> FileKind:
    """Return the kind of an uploaded file or raise a Dutch ValidationError.

    The extension must be allowed and the first bytes must match it, so a renamed file is caught.
    """
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Het bestand is %(size)s; het maximum is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    allowed = ", ".join(kind.extension.lstrip(".").upper() for kind in kinds)
    kind = _kind_by_name(upload.name, kinds)
    if kind is None:
        raise ValidationError(
            _("Dit bestandstype is hier niet toegestaan. Toegestaan: %(allowed)s.")
            % {"allowed": allowed},
            code="type",
        )
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(kind.magic) or (kind is DOCX and not _is_docx(upload)):
        raise ValidationError(
            _("De inhoud van het bestand past niet bij de extensie %(ext)s.")
            % {"ext": kind.extension},
            code="content",
        )
    return kind
