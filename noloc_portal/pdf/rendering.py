from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string


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
