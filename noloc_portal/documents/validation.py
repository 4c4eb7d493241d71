"""What may be uploaded: PDF, PNG and JPEG everywhere, DOCX where a written report is asked.

One content sniffer (:func:`sniff`) and one check (:func:`check_file`) serve every door a file
comes in by: the upload forms word a refusal as a Dutch ValidationError (:func:`check_upload`),
the bundle import as a DocumentError naming the JSON path.

The leading bytes name the kind a file claims to be; the file is taken as that kind only when
its content holds up: a PDF parses (pypdf) and has a page, an image decodes (Pillow), a DOCX is a
Word package (its content types name a main Word document, which it holds).
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


# An image larger than this is refused rather than decoded (a scan of an A4 page at 600 dpi is
# 35 million pixels); decoding it would hold a worker's memory for nothing. Below Pillow's own
# decompression-bomb threshold, so Pillow never warns about one that is decoded.
MAX_IMAGE_PIXELS = 40_000_000
# The main part of a Word document, as [Content_Types].xml names it.
_WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_CONTENT_TYPES_MAX_BYTES = 1024 * 1024


def sniff(file: bytes | BinaryIO) -> FileKind | None:
    """The kind of a file by its content alone, or None when it is none of the known kinds or
    does not hold up as the kind its leading bytes claim (:func:`holds_up`).

    A file object is read from its start and left rewound.
    """
    file = _rewound(file)
    kind = claimed_by_content(file)
    if kind is None or not holds_up(file, kind):
        return None
    return kind


def claimed_by_content(file: bytes | BinaryIO) -> FileKind | None:
    """The kind the leading bytes of a file claim (a zip only when it holds
    ``word/document.xml``), not yet checked further; the file is left rewound."""
    file = _rewound(file)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    kind = next((kind for kind in _KNOWN_KINDS if head.startswith(kind.magic)), None)
    if kind is DOCX and "word/document.xml" not in _zip_names(file):
        return None
    return kind


def holds_up(file: bytes | BinaryIO, kind: FileKind) -> bool:
    """Whether the content is a readable file of ``kind``, not only its leading bytes: a PDF
    parses with at least one page, a PNG or JPEG decodes, a DOCX declares and holds its main
    Word part. The file is left rewound."""
    file = _rewound(file)
    try:
        if kind is PDF:
            return _is_pdf(file)
        if kind in (PNG, JPEG):
            return _is_image(file, "PNG" if kind is PNG else "JPEG")
        if kind is DOCX:
            return _is_docx(file)
        return False
    finally:
        file.seek(0)


def _rewound(file: bytes | BinaryIO) -> BinaryIO:
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    file.seek(0)
    return file


def _zip_names(file: BinaryIO) -> list[str]:
    try:
        with zipfile.ZipFile(file) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return []
    finally:
        file.seek(0)


def _is_pdf(file: BinaryIO) -> bool:
    # Imported here: pypdf costs a tenth of a second at the start of every process (web workers,
    # the Celery worker, each management command), and only an upload needs it.
    import pypdf

    # Lenient, as a PDF viewer is: a wrong xref offset is repaired, not refused.
    try:
        return len(pypdf.PdfReader(file, strict=False).pages) >= 1
    except Exception:  # pypdf raises many kinds of error on a broken file; each means "no"
        return False


def _is_image(file: BinaryIO, image_format: str) -> bool:
    # Imported here, as pypdf is above: only an upload needs Pillow.
    from PIL import Image

    try:
        # Opening reads the header only (and refuses Pillow's decompression bombs).
        with Image.open(file, formats=[image_format]) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return False
            image.verify()
        file.seek(0)
        # verify() checks the structure; only decoding finds a truncated or corrupt image.
        with Image.open(file, formats=[image_format]) as image:
            if image_format == "JPEG":
                # Every block is still decoded, at an eighth of the size.
                image.draft(None, (image.width // 8 or 1, image.height // 8 or 1))
            image.load()
        return True
    except Exception:  # Pillow raises OSError, SyntaxError, ValueError… on a broken image
        return False


def _is_docx(file: BinaryIO) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            if "word/document.xml" not in archive.namelist():
                return False
            with archive.open("[Content_Types].xml") as types:
                content_types = types.read(_CONTENT_TYPES_MAX_BYTES)
    except (KeyError, zipfile.BadZipFile, ValueError, OSError):
        return False
    return _WORD_MAIN in content_types


class Refusal(enum.Enum):
    TOO_LARGE = "too_large"
    EMPTY = "empty"
    # The name has no extension (where one is required) or one not allowed here.
    NOT_ALLOWED = "not_allowed"
    # The content is none of the kinds allowed here.
    UNRECOGNISED = "unrecognised"
    # The content is an allowed kind, but not the one the extension names (a renamed file).
    MISMATCH = "mismatch"
    # The leading bytes claim an allowed kind, but the content does not hold up as it: a text
    # file behind a PDF header, a truncated image, a zip that is no Word package.
    DAMAGED = "damaged"


class FileRefused(Exception):
    def __init__(self, reason: Refusal, kind: FileKind | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.kind = kind


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
    caught, and must hold up as that kind (:func:`holds_up`). Raises FileRefused with the first
    reason that applies.
    """
    if size > settings.UPLOAD_MAX_BYTES:
        raise FileRefused(Refusal.TOO_LARGE)
    if size == 0:
        raise FileRefused(Refusal.EMPTY)
    claimed = kind_of_name(name)
    if (extension_required or PurePosixPath(name).suffix) and claimed not in kinds:
        raise FileRefused(Refusal.NOT_ALLOWED)
    content = claimed_by_content(file)
    if content not in kinds:
        raise FileRefused(Refusal.UNRECOGNISED)
    if claimed is not None and content is not claimed:
        raise FileRefused(Refusal.MISMATCH)
    if not holds_up(file, content):
        raise FileRefused(Refusal.DAMAGED, content)
    return content


def check_upload(upload, kinds: tuple[FileKind, ...] = EVIDENCE_KINDS) -> FileKind:
    """Return the kind of an uploaded file (:func:`check_file`) or raise a Dutch ValidationError."""
    try:
        return check_file(upload, name=upload.name, size=upload.size, kinds=kinds)
    except FileRefused as refused:
        reason, kind = refused.reason, refused.kind
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
    if reason is Refusal.DAMAGED:
        raise ValidationError(
            _(
                "Het bestand is geen leesbaar %(kind)s-bestand: het is beschadigd of onvolledig. "
                "Open het en sla het opnieuw op, of kies een ander bestand."
            )
            % {"kind": kind.extension.lstrip(".").upper()},
            code="damaged",
        )
    # The extension is allowed here, so whatever the content is, it belies the extension.
    raise ValidationError(
        _("De inhoud van het bestand past niet bij de extensie %(ext)s.")
        % {"ext": kind_of_name(upload.name).extension},
        code="content",
    )
