from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    page_count: int


def render_pdf(template: str, context: dict) -> RenderedPdf:
    """Render a template to PDF with WeasyPrint; fonts and CSS come from static/."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static")).render()
    return RenderedPdf(data=document.write_pdf(), page_count=len(document.pages))


def render_statement(
    *,
    title: str,
    rows: Sequence[tuple[str, str]],
    note: str = "",
    generated_at: datetime | None = None,
) -> bytes:
    """A plain A4 statement as PDF bytes: the title, one line per ``(label, value)`` row, an
    optional closing note and the moment it was generated. Any Unicode text is kept."""
    context = {
        "title": title,
        "rows": rows,
        "note": note,
        "generated_at": generated_at or timezone.now(),
    }
    return render_pdf("pdf/statement.html", context).data
