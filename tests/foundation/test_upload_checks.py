"""One content sniffer and one check for every file that comes in (documents/validation.py);
the upload forms word a refusal in Dutch, the bundle import names the JSON path."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from noloc_portal.documents.validation import (
    DOCX,
    EVIDENCE_KINDS,
    JPEG,
    PDF,
    PNG,
    REPORT_KINDS,
    FileRefused,
    Refusal,
    check_file,
    check_upload,
    sniff,
)
from tests.pdf_files import MINIMAL_PDF
from tests.portfolios.exchange_samples import PNG as PNG_BYTES

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


# A Word document need not list word/document.xml first (here after the customXml parts).
DOCX_BYTES = _zip("[Content_Types].xml", "customXml/item1.xml", "word/document.xml")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (MINIMAL_PDF, PDF),
        (PNG_BYTES, PNG),
        (JPEG_BYTES, JPEG),
        (DOCX_BYTES, DOCX),
        (_zip("word/styles.xml", "xl/workbook.xml"), None),  # a zip, but no Word document
        (b"PK\x03\x04 truncated", None),
        (b"MZ\x90\x00 a program", None),
        (b"%PD", None),
        (b"", None),
    ],
    ids=["pdf", "png", "jpeg", "docx", "other-zip", "broken-zip", "exe", "short", "empty"],
)
def test_sniff_names_the_kind_by_content_alone(data, kind):
    assert sniff(data) is kind


def test_sniff_leaves_a_file_object_rewound():
    upload = SimpleUploadedFile("verslag.docx", DOCX_BYTES)
    upload.read(5)
    assert sniff(upload) is DOCX
    assert upload.read() == DOCX_BYTES


@pytest.mark.parametrize(
    ("name", "data", "kinds", "outcome"),
    [
        ("cv.pdf", MINIMAL_PDF, EVIDENCE_KINDS, PDF),
        ("FOTO.JPEG", JPEG_BYTES, EVIDENCE_KINDS, JPEG),
        ("verslag.docx", DOCX_BYTES, REPORT_KINDS, DOCX),
        ("bevestiging-1a2b3c4d", MINIMAL_PDF, EVIDENCE_KINDS, Refusal.NOT_ALLOWED),
        ("cv.exe", MINIMAL_PDF, EVIDENCE_KINDS, Refusal.NOT_ALLOWED),
        ("verslag.docx", DOCX_BYTES, EVIDENCE_KINDS, Refusal.NOT_ALLOWED),
        ("cv.pdf", b"MZ\x90\x00", EVIDENCE_KINDS, Refusal.UNRECOGNISED),
        ("verslag.docx", _zip("notes.txt"), REPORT_KINDS, Refusal.UNRECOGNISED),
        ("cv.pdf", DOCX_BYTES, EVIDENCE_KINDS, Refusal.UNRECOGNISED),
        ("cv.pdf", PNG_BYTES, EVIDENCE_KINDS, Refusal.MISMATCH),
        ("cv.pdf", b"", EVIDENCE_KINDS, Refusal.EMPTY),
    ],
)
def test_check_file(name, data, kinds, outcome):
    if isinstance(outcome, Refusal):
        with pytest.raises(FileRefused) as refused:
            check_file(data, name=name, size=len(data), kinds=kinds)
        assert refused.value.reason is outcome
    else:
        assert check_file(data, name=name, size=len(data), kinds=kinds) is outcome


def test_check_file_judges_a_name_without_extension_by_content_when_allowed():
    check = {"size": len(MINIMAL_PDF), "kinds": EVIDENCE_KINDS, "extension_required": False}
    assert check_file(MINIMAL_PDF, name="bevestiging-1a2b3c4d", **check) is PDF
    with pytest.raises(FileRefused) as refused:
        check_file(MINIMAL_PDF, name="bevestiging.exe", **check)
    assert refused.value.reason is Refusal.NOT_ALLOWED


def test_check_file_refuses_over_the_limit_before_reading(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(FileRefused) as refused:
        check_file(b"", name="cv.pdf", size=101, kinds=EVIDENCE_KINDS)
    assert refused.value.reason is Refusal.TOO_LARGE


@pytest.mark.parametrize(
    ("name", "data", "kinds", "code", "message"),
    [
        ("cv.exe", MINIMAL_PDF, EVIDENCE_KINDS, "type", "Toegestaan: PDF, PNG, JPG."),
        ("cv", MINIMAL_PDF, EVIDENCE_KINDS, "type", "Toegestaan: PDF, PNG, JPG."),
        ("cv.docx", DOCX_BYTES, EVIDENCE_KINDS, "type", "niet toegestaan"),
        ("cv.pdf", b"dit is geen pdf", EVIDENCE_KINDS, "content", "de extensie .pdf."),
        ("cv.pdf", PNG_BYTES, EVIDENCE_KINDS, "content", "de extensie .pdf."),
        ("foto.jpeg", PNG_BYTES, EVIDENCE_KINDS, "content", "de extensie .jpg."),
        ("cv.docx", _zip("notes.txt"), REPORT_KINDS, "content", "de extensie .docx."),
        ("cv.pdf", b"", EVIDENCE_KINDS, "empty", "Het bestand is leeg."),
    ],
)
def test_check_upload_refuses_in_dutch(name, data, kinds, code, message):
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(name, data), kinds)
    assert error.value.code == code
    assert message in error.value.message


def test_check_upload_names_the_size_and_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("cv.pdf", MINIMAL_PDF + b"%" * 2048))
    assert error.value.code == "too_large"
    assert "het maximum is 1,0\xa0KB" in error.value.message


def test_check_upload_returns_the_kind_and_leaves_the_upload_readable():
    upload = SimpleUploadedFile("verslag.docx", DOCX_BYTES)
    assert check_upload(upload, REPORT_KINDS) is DOCX
    assert upload.read() == DOCX_BYTES
