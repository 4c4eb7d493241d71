"""Documents, files and bundles shared by the exchange tests (storage, command, API)."""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import zipfile
from typing import Any

# Small but real files: a minimal PDF and a 1x1 PNG.
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

EVIDENCE_FILES = {
    "cv.pdf": PDF,
    "verklaring.pdf": PDF + b"% verklaring\n",
    "intervisie-1.pdf": PDF + b"% intervisie 1\n",
    "intervisie-2.png": PNG,
    "cert.pdf": PDF + b"% certificaat\n",
}

JOBCOACH_DOCUMENT: dict[str, Any] = {
    "format": "noloc-portfolio/1",
    "framework": "jobcoach-recertification",
    "recertification_date": "2027-03-31",
    "a1": {"cv": "cv.pdf", "statement": {"signed": True, "evidence": "verklaring.pdf"}},
    "a2": {"report": "Terugblik op mijn vorige plan."},
    "reflection_meetings": [
        {
            "date": "2025-05-12",
            "kind": "intervision",
            "facilitator": "A. de Vries",
            "facilitator_registration": "",
            "own_situation": True,
            "statement": {"signed": True, "evidence": "intervisie-1.pdf"},
        },
        {
            "date": "2025-09-01",
            "kind": "supervision",
            "facilitator": "B. Jansen",
            "facilitator_registration": "LVSC",
            "own_situation": False,
            "statement": {"signed": True, "evidence": "intervisie-2.png"},
        },
    ],
    "reflection_report": {
        "meeting": 1,
        "situation": "De situatie.",
        "motivation": "Waarom.",
        "insights": "Inzichten.",
        "consequences": "Betekenis.",
    },
    "development_plan": {"present": "Heden.", "past": "Verleden.", "future": "Toekomst."},
    "pe_activities": [
        {
            "type": "course",
            "title": "Cursus",
            "date": "2024-02-01",
            "sbu": 24,
            "evidence": "cert.pdf",
        },
        {
            "type": "workshop",
            "title": "Workshop",
            "date": "2024-06-01",
            "hours": 3.5,
            "evidence": "cert.pdf",
        },
        {"type": "book", "title": "Een vakboek", "date": "2025-01-15"},
        {
            "type": "noloc_board",
            "title": "Bestuur",
            "start": "2023-01-01",
            "end": None,
            "evidence": "verklaring.pdf",
        },
        {
            "type": "congress",
            "title": "Congres",
            "date": "2022-01-10",
            "half_days": 1,
            "days": 1,
            "evidence": "cert.pdf",
        },
    ],
    "declaration": {"code_of_conduct": True, "complaints_regulation": True},
}

LOOPBAAN_DOCUMENT: dict[str, Any] = {
    "format": "noloc-portfolio/1",
    "framework": "loopbaanprofessional-initial",
    "education": {"route": 1, "diploma": {"level": "hbo", "signed": True, "evidence": "d.pdf"}},
    "cv": "cv.pdf",
    "motivation": "Motivatie.",
}


def jobcoach_document(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(JOBCOACH_DOCUMENT)
    document.update(changes)
    return document


def make_bundle(
    document: dict[str, Any] | None = None,
    files: dict[str, bytes] | None = None,
    *,
    raw_document: bytes | None = None,
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if raw_document is not None:
            archive.writestr("portfolio.json", raw_document)
        elif document is not None:
            archive.writestr("portfolio.json", json.dumps(document))
        for name, data in (EVIDENCE_FILES if files is None else files).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bundle_contents(bundle: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("portfolio.json")), files


def by_content(document: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
    """The document with every evidence name replaced by the SHA-256 of its file.

    Two bundles hold an equal portfolio when these are equal: bundle names carry a per-upload
    prefix, so an import gives new names for the same files.
    """

    def walk(value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if key in ("cv", "evidence") and isinstance(value, str):
            return hashlib.sha256(files[value]).hexdigest()
        return value

    return walk(document)
