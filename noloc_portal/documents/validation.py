"""What may be uploaded: PDF, PNG and JPEG everywhere, DOCX where a written report is asked.

One content sniffer (:func:`sniff`) and one check (:func:`check_file`) serve every door a file
comes in by: the upload forms word a refusal as a Dutch ValidationError (:func:`check_upload`),
the bundle import as a DocumentError naming the JSON path.
"""

from __future__ import annotations

import enum
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

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
_KNOWN_KINDS = REPORT_KINDS
_BY_EXTENSION = {kind.extension: kind for kind in _KNOWN_KINDS} | {".jpeg": JPEG}
_HEAD_BYTES = max(len(kind.magic) for kind in _KNOWN_KINDS)


def kind_of_name(name: str) -> FileKind | None:
    """The kind the extension of a file name claims, or None for no or an unknown extension."""
    return _BY_EXTENSION.get(PurePosixPath(name).suffix.lower())


def allowed_types(kinds: tuple[FileKind, ...]) -> str:
    """``PDF, PNG, JPG``: the kinds as a reader knows them, for messages."""
    return ", ".join(kind.extension.lstrip(".").upper() for kind in kinds)


def sniff(file: bytes | BinaryIO) -> FileKind | None:
    """The kind of a file by its content alone, or None when it is none of the known kinds.

    A DOCX is a zip whose directory holds ``word/document.xml``; any other zip is unknown. A file
    object is read from its start and left rewound.
    """
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    kind = next((kind for kind in _KNOWN_KINDS if head.startswith(kind.magic)), None)
    if kind is DOCX and not _is_docx(file):
        return None
    return kind


def _is_docx(file: BinaryIO) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        file.seek(0)


class Refusal(enum.Enum):
    TOO_LARGE = "too_large"
    EMPTY = "empty"
    # The name has no extension (where one is required) or one not allowed here.
    NOT_ALLOWED = "not_allowed"
    # The content is none of the kinds allowed here.
    UNRECOGNISED = "unrecognised"
    # The content is an allowed kind, but not the one the extension names (a renamed file).
    MISMATCH = "mismatch"


class FileRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def check_file(
    file: bytes | BinaryIO,
    *,
    name: str,
    size: int,
    kinds: tuple[FileKind, ...],
    extension_required: bool = True,
) -> FileKind:
    """The kind of a file that may be stored where ``kinds`` are allowed.

    The size must be above zero and at most ``UPLOAD_MAX_BYTES``; the name's extension must be
    allowed (a name without one is judged by its content alone unless ``extension_required``);
    the content must be an allowed kind and the one the extension names, so a renamed file is
    caught. Raises FileRefused with the first reason that applies.
    """
    if size > settings.UPLOAD_MAX_BYTES:
        raise FileRefused(Refusal.TOO_LARGE)
    if size == 0:
        raise FileRefused(Refusal.EMPTY)
    claimed = kind_of_name(name)
    if (extension_required or PurePosixPath(name).suffix) and claimed not in kinds:
        raise FileRefused(Refusal.NOT_ALLOWED)
    content = sniff(file)
    if content not in kinds:
        raise FileRefused(Refusal.UNRECOGNISED)
    if claimed is not None and content is not claimed:
        raise FileRefused(Refusal.MISMATCH)
    return content


def check_upload(upload, kinds: tuple[FileKind, ...] = EVIDENCE_KINDS) -> FileKind:
    """Return the kind of an uploaded file (:func:`check_file`) or raise a Dutch ValidationError."""
    try:
        return check_file(upload, name=upload.name, size=upload.size, kinds=kinds)
    except FileRefused as refused:
        reason = refused.reason
    if reason is Refusal.TOO_LARGE:
        raise ValidationError(
            _("Het bestand is %(size)s; het maximum is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
            },
            code="too_large",
        )
    if reason is Refusal.EMPTY:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    if reason is Refusal.NOT_ALLOWED:
        raise ValidationError(
            _("Dit bestandstype is hier niet toegestaan. Toegestaan: %(allowed)s.")
            % {"allowed": allowed_types(kinds)},
            code="type",
        )
    # The extension is allowed here, so whatever the content is, it belies the extension.
    raise ValidationError(
        _("De inhoud van het bestand past niet bij de extensie %(ext)s.")
        % {"ext": kind_of_name(upload.name).extension},
        code="content",
    )
