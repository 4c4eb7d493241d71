"""A tiny static PDF for factories and uploads that only need valid PDF bytes, and a reader
for the PDFs the portal renders (``pdftotext`` from poppler-utils)."""

import os
import subprocess

# One A4 page showing "bewijs"; kept as bytes so tests never pay for a WeasyPrint render.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n"
    b"4 0 obj\n<< /Length 37 >>\nstream\nBT /F1 14 Tf 72 770 Td (bewijs) Tj ET\nendstream\n"
    b"endobj\n"
    b"5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n"
    b"xref\n0 6\n"
    b"0000000000 65535 f \n"
    b"0000000009 00000 n \n"
    b"0000000058 00000 n \n"
    b"0000000115 00000 n \n"
    b"0000000241 00000 n \n"
    b"0000000328 00000 n \n"
    b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n398\n%%EOF\n"
)


def large_pdf(size: int) -> bytes:
    """A valid one-page PDF of at least ``size`` bytes, as a scan is: the bulk is one stream of
    random bytes that no page draws. Its cross-reference table and ``%%EOF`` sit at the end, where
    a reader looks first (padding after ``%%EOF`` instead makes pypdf search the whole file)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (size, os.urandom(size)),
    ]
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(data)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF, read back with ``pdftotext``."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    # pdftotext ends every page with a form feed.
    return text.split("\f")[:-1]
