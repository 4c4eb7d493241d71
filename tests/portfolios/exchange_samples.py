"""Documents, files and bundles shared by the exchange tests (storage, command, API)."""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import zipfile
from typing import Any

from tests.pdf_files import MINIMAL_PDF

# Small but real files: a one-page PDF and a 1x1 PNG.
PDF = MINIMAL_PDF
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


LOOPBAAN_FILES = {
    "cv.pdf": PDF,
    "diploma.pdf": PDF + b"% diploma\n",
    "c1.pdf": PDF + b"% cursus 1\n",
    "c2.png": PNG,
    "ervaring.pdf": PDF + b"% ervaring\n",
    "werkzaam.pdf": PDF + b"% werkzaam\n",
}

TASKS = {str(n): {"text": f"Zo pakte ik taak {n} aan."} for n in range(8)}
ATTITUDE = {
    "ethics": "Het dilemma.",
    "self_reflection": "Mijn rol.",
    "development": "Mijn leerpunten.",
    "diversity": "Botsende waarden.",
}

# A complete route-2 portfolio (submittable on 2026-11-22), with a not-relevant task in case 2.
LOOPBAAN_FULL: dict[str, Any] = {
    "format": "noloc-portfolio/1",
    "framework": "loopbaanprofessional-initial",
    "framework_version": "2024.1",
    "education": {
        "route": 2,
        "diploma": {
            "level": "hbo",
            "field_mens_en_organisatie": False,
            "signed": True,
            "nvao_accredited": True,
            "croho": "",
            "evidence": "diploma.pdf",
        },
        "evc_report": None,
        "assessment_report": None,
        "courses": [
            {"title": "Loopbaancoaching", "hours": 60, "quality_mark": True, "signed": True,
             "evidence": "c1.pdf"},
            {"title": "Narratief werken", "hours": 40.5, "quality_mark": True, "signed": True,
             "evidence": "c2.png"},
            {"title": "Zonder keurmerk", "hours": 12, "quality_mark": False, "signed": True,
             "evidence": None},
        ],
    },
    "experience": {
        "years_active": 3,
        "hours": 1500,
        "statement": {"signed": True, "evidence": "ervaring.pdf"},
        "currently_working_statement": {"signed": True, "evidence": "werkzaam.pdf"},
    },
    "cv": "cv.pdf",
    "motivation": "Waarom ik dit vak koos.",
    "cases": [
        {
            "title": "Student twijfelt over studiekeuze",
            "started": "2025-01-10",
            "ended": "2025-06-30",
            "rationale": "Een typische vraag.",
            "tasks": TASKS,
            "knowledge_areas": {"1": "Theorie.", "2": "Ontwikkeling.", "4": "Opleidingen."},
            "competences": {"methodisch_werken": "Methodisch.", "coachen": "Coachend.",
                            "inlevingsvermogen": "Inlevend."},
            "attitude": ATTITUDE,
        },
        {
            "title": "Werknemer na reorganisatie",
            "started": "2025-09-01",
            "ended": "2026-03-15",
            "rationale": "Een andere vraag.",
            "tasks": {**TASKS, "3": {"not_relevant": "De cliënt had al een zelfbeeld."}},
            "knowledge_areas": {"3": "Arbeidsmarkt.", "5": "Organisaties."},
            "competences": {"effectief_communiceren": "Helder.", "adviseren": "Advies."},
            "attitude": ATTITUDE,
        },
    ],
    "diversity": "Een student en een werknemer met heel verschillende vragen.",
    "development_plan": "Mijn plan voor vier jaar.",
    "declaration": {"code_of_conduct": True, "complaints_regulation": True, "truthful": True},
}  # fmt: skip


def loopbaan_document(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(LOOPBAAN_FULL)
    document.update(changes)
    return document


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
