"""One content sniffer and one check for every file that comes in (documents/validation.py);
the upload forms word a refusal in Dutch, the bundle import names the JSON path. A file is taken
as a PDF, an image or a Word document only when its content holds up as one."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

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


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


JPEG_BYTES = _jpeg()
CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _zip(*names: str, content_types: str = CONTENT_TYPES) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            # A fixed date: the same bytes in every process (the test ids show them).
            entry = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(entry, content_types if name == "[Content_Types].xml" else "<x/>")
    return buffer.getvalue()


# A Word document need not list word/document.xml first (here after the customXml parts).
DOCX_BYTES = _zip("[Content_Types].xml", "customXml/item1.xml", "word/document.xml")
# Leading bytes of a kind, content of none: what a renamed or truncated file looks like.
FAKE_PDF = b"%PDF-1.4\nDit is een tekstbestand met een PDF-kop.\n%%EOF\n"
TRUNCATED_PNG = PNG_BYTES[: len(PNG_BYTES) // 2]
TRUNCATED_JPEG = JPEG_BYTES[: len(JPEG_BYTES) // 2]
TRUNCATED_PDF = MINIMAL_PDF[:200]
DOCX_WITHOUT_TYPES = _zip("word/document.xml")
DOCX_OF_ANOTHER_TYPE = _zip("[Content_Types].xml", "word/document.xml", content_types="<Types/>")


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
        (FAKE_PDF, None),
        (TRUNCATED_PDF, None),
        (TRUNCATED_PNG, None),
        (TRUNCATED_JPEG, None),
        (DOCX_WITHOUT_TYPES, None),
        (DOCX_OF_ANOTHER_TYPE, None),
    ],
    ids=[
        "pdf",
        "png",
        "jpeg",
        "docx",
        "other-zip",
        "broken-zip",
        "exe",
        "short",
        "empty",
        "text-with-pdf-header",
        "truncated-pdf",
        "truncated-png",
        "truncated-jpeg",
        "docx-without-content-types",
        "docx-of-another-type",
    ],
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
        ("cv.pdf", FAKE_PDF, EVIDENCE_KINDS, Refusal.DAMAGED),
        ("cv.pdf", TRUNCATED_PDF, EVIDENCE_KINDS, Refusal.DAMAGED),
        ("foto.png", TRUNCATED_PNG, EVIDENCE_KINDS, Refusal.DAMAGED),
        ("foto.jpg", TRUNCATED_JPEG, EVIDENCE_KINDS, Refusal.DAMAGED),
        ("verslag.docx", DOCX_WITHOUT_TYPES, REPORT_KINDS, Refusal.DAMAGED),
        (
            "verslag.docx",
            _zip("[Content_Types].xml", "notes.txt"),
            REPORT_KINDS,
            Refusal.UNRECOGNISED,
        ),
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
        ("cv.pdf", FAKE_PDF, EVIDENCE_KINDS, "damaged", "geen leesbaar PDF-bestand"),
        ("foto.png", TRUNCATED_PNG, EVIDENCE_KINDS, "damaged", "geen leesbaar PNG-bestand"),
        ("cv.docx", DOCX_OF_ANOTHER_TYPE, REPORT_KINDS, "damaged", "geen leesbaar DOCX-bestand"),
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


def test_the_test_pdf_parses_as_a_pdf_with_a_page():
    import pypdf

    assert len(pypdf.PdfReader(io.BytesIO(MINIMAL_PDF), strict=True).pages) == 1


def test_a_huge_image_is_refused_before_it_is_decoded(monkeypatch):
    monkeypatch.setattr("noloc_portal.documents.validation.MAX_IMAGE_PIXELS", 15 * 15)
    with pytest.raises(FileRefused) as refused:
        check_file(JPEG_BYTES, name="foto.jpg", size=len(JPEG_BYTES), kinds=EVIDENCE_KINDS)
    assert refused.value.reason is Refusal.DAMAGED


@pytest.mark.django_db
def test_evidence_is_served_as_an_attachment_that_is_not_sniffed(client, professional, settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False
    from noloc_portal.documents.services import store_bytes

    document = store_bytes(
        data=MINIMAL_PDF, name="cv.pdf", content_type="application/pdf", owner=professional
    )
    client.force_login(professional)
    for query in ("", "?inline=1"):
        response = client.get(reverse("documents:download", args=[document.uuid]) + query)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="cv.pdf"')
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
