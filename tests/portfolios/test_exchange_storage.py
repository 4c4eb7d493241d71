"""Bundles and documents <-> the portfolio models (portfolios/exchange/storage.py)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from noloc_portal.documents.models import Document
from portfolios.evaluation import evaluate
from portfolios.evaluation.common import DocumentError
from portfolios.exchange.document import parse_document
from portfolios.exchange.storage import (
    export_bundle,
    export_document,
    import_bundle,
    import_document,
)
from portfolios.jobcoach.models import ConfirmationState, FacilitatorConfirmation
from portfolios.models import AuditEvent, Portfolio, PortfolioState
from portfolios.services import evaluate_portfolio
from tests.pdf_files import pdf_pages
from tests.portfolios.exchange_samples import (
    EVIDENCE_FILES,
    PDF,
    PNG,
    bundle_contents,
    by_content,
    jobcoach_document,
    make_bundle,
)

AS_OF = date(2026, 11, 22)


def stored_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


@pytest.fixture
def nothing_written(db):
    """Asserts that the block leaves portfolios, documents and stored files as they were."""
    before = (Portfolio.objects.count(), Document.objects.count(), stored_files())
    yield
    assert (Portfolio.objects.count(), Document.objects.count(), stored_files()) == before


def test_import_bundle_stores_a_draft_with_its_evidence(professional):
    portfolio = import_bundle(make_bundle(jobcoach_document()), owner=professional)

    assert portfolio.owner == professional
    assert portfolio.state == PortfolioState.DRAFT
    assert portfolio.framework_version == "2024.1"  # in force on the recertification date
    assert portfolio.jobcoach.recertification_date == date(2027, 3, 31)
    assert portfolio.jobcoach.a1_statement.original_name == "verklaring.pdf"
    assert portfolio.cv.original_name == "cv.pdf"
    assert portfolio.cv.file.read() == PDF
    meetings = list(portfolio.reflection_meetings.all())
    assert [m.facilitator for m in meetings] == ["A. de Vries", "B. Jansen"]
    assert meetings[1].statement.content_type == "image/png"
    assert portfolio.jobcoach.report_meeting == meetings[1]
    activities = list(portfolio.pe_activities.all())
    assert [a.type for a in activities] == ["course", "workshop", "book", "noloc_board", "congress"]
    assert activities[2].evidence is None
    # One file named by three activities is stored once.
    assert activities[0].evidence == activities[1].evidence == activities[4].evidence
    assert Document.objects.filter(owner=professional).count() == len(EVIDENCE_FILES)
    event = AuditEvent.objects.get(portfolio=portfolio)
    assert event.action == "imported"
    assert event.detail["files"] == len(EVIDENCE_FILES)


def test_imported_portfolio_evaluates_like_its_document(professional):
    document = jobcoach_document()
    portfolio = import_bundle(make_bundle(document), owner=professional)

    expected = evaluate(parse_document(document), as_of=AS_OF).to_json()
    assert evaluate_portfolio(portfolio, as_of=AS_OF).to_json() == expected


def test_export_then_import_gives_an_equal_portfolio_and_evaluation(professional):
    first = import_bundle(make_bundle(jobcoach_document()), owner=professional)
    first_bundle = export_bundle(first)
    second = import_bundle(first_bundle, owner=professional)
    second_bundle = export_bundle(second)

    first_document, first_files = bundle_contents(first_bundle)
    second_document, second_files = bundle_contents(second_bundle)
    assert by_content(first_document, first_files) == by_content(second_document, second_files)
    assert first_document == export_document(first)
    # Names do not grow with each round trip: the per-upload prefix is replaced, not stacked.
    assert {re.sub(r"^bestanden/[0-9a-f]{8}-", "", n) for n in second_files} == set(EVIDENCE_FILES)
    assert (
        evaluate_portfolio(first, as_of=AS_OF).to_json()
        == evaluate_portfolio(second, as_of=AS_OF).to_json()
    )


def test_export_bundle_holds_the_document_and_every_named_file(professional):
    portfolio = import_bundle(make_bundle(jobcoach_document()), owner=professional)

    document, files = bundle_contents(export_bundle(portfolio))

    assert document["format"] == "noloc-portfolio/1"
    assert document["a1"]["cv"].endswith("-cv.pdf")
    assert files[document["a1"]["cv"]] == PDF
    assert files[document["reflection_meetings"][1]["statement"]["evidence"]] == PNG
    assert len(files) == len(EVIDENCE_FILES)


def test_a_facilitator_confirmation_travels_as_a_pdf_and_keeps_the_meeting_signed(professional):
    document = jobcoach_document()
    document["reflection_meetings"][0]["statement"] = {"signed": False, "evidence": None}
    files = {k: v for k, v in EVIDENCE_FILES.items() if k != "intervisie-1.pdf"}
    portfolio = import_bundle(make_bundle(document, files), owner=professional)
    meeting = portfolio.reflection_meetings.first()
    FacilitatorConfirmation.objects.create(
        meeting=meeting,
        email="begeleider@example.org",
        state=ConfirmationState.CONFIRMED,
        expires_at=timezone.now() + timedelta(days=1),
        responded_at=timezone.now(),
        confirmed_date=date(2025, 5, 12),
        confirmed_facilitator="Zoë Łukasiewicz-Şahin",
        confirmed_own_situation=True,
        facilitator_note="Goed voorbereid; één casus ingebracht.",
    )
    exported, exported_files = bundle_contents(export_bundle(portfolio))
    name = exported["reflection_meetings"][0]["statement"]["evidence"]
    assert name.startswith("bevestiging-")
    pages = pdf_pages(exported_files[name])
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    assert "Bevestiging van een reflectiebijeenkomst door de begeleider" in text
    assert "Zoë Łukasiewicz-Şahin" in text
    assert "12 mei 2025" in text
    assert "begeleider@example.org" in text
    assert "Goed voorbereid; één casus ingebracht." in text

    again = import_bundle(export_bundle(portfolio), owner=professional)

    assert again.reflection_meetings.first().statement_signed
    assert (
        evaluate_portfolio(again, as_of=AS_OF).to_json()
        == evaluate_portfolio(portfolio, as_of=AS_OF).to_json()
    )


# --- Refusals: nothing written ---------------------------------------------------------------


def _without(name: str) -> dict[str, bytes]:
    return {k: v for k, v in EVIDENCE_FILES.items() if k != name}


@pytest.mark.parametrize(
    ("files", "path", "message"),
    [
        (_without("cert.pdf"), "pe_activities[0].evidence", "file 'cert.pdf' is not in the bundle"),
        (_without("cv.pdf"), "a1.cv", "is not in the bundle"),
        (
            EVIDENCE_FILES | {"cert.pdf": b"MZ\x90\x00 not a pdf"},
            "pe_activities[0].evidence",
            "is not of an allowed type",
        ),
        (
            EVIDENCE_FILES | {"cv.pdf": PNG},
            "a1.cv",
            "does not match its extension",
        ),
        (
            EVIDENCE_FILES | {"verklaring.pdf": b""},
            "a1.statement.evidence",
            "is empty",
        ),
        (
            EVIDENCE_FILES | {"intervisie-2.png": PNG[:40]},
            "reflection_meetings[1].statement.evidence",
            "file 'intervisie-2.png' is not a readable PNG file (damaged or incomplete)",
        ),
        (
            EVIDENCE_FILES | {"cv.pdf": b"%PDF-1.4\nplain text\n"},
            "a1.cv",
            "file 'cv.pdf' is not a readable PDF file",
        ),
    ],
    ids=[
        "missing-evidence",
        "missing-cv",
        "wrong-type",
        "renamed-png",
        "empty",
        "truncated-png",
        "text-with-pdf-header",
    ],
)
def test_import_refuses_a_bundle_with_a_bad_file(
    professional, nothing_written, files, path, message
):
    with pytest.raises(DocumentError) as error:
        import_bundle(make_bundle(jobcoach_document(), files), owner=professional)
    assert error.value.path == path
    assert message in error.value.message


def test_import_refuses_a_file_over_the_upload_limit(professional, nothing_written, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    files = EVIDENCE_FILES | {"intervisie-1.pdf": PDF + b"0" * 1000}

    with pytest.raises(DocumentError) as error:
        import_bundle(make_bundle(jobcoach_document(), files), owner=professional)

    assert error.value.path == "reflection_meetings[0].statement.evidence"
    assert "larger than the maximum of 1000 bytes" in error.value.message


def test_import_refuses_docx_where_only_evidence_kinds_are_allowed(professional, nothing_written):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr("word/document.xml", "<w:document/>")
    document = jobcoach_document()
    document["a1"]["cv"] = "cv.docx"
    files = EVIDENCE_FILES | {"cv.docx": buffer.getvalue()}

    with pytest.raises(DocumentError) as error:
        import_bundle(make_bundle(document, files), owner=professional)
    assert error.value.path == "a1.cv"
    assert "(PDF, PNG, JPG)" in error.value.message


@pytest.mark.parametrize(
    ("bundle", "message"),
    [
        (b"not a zip at all", "not a valid zip file"),
        (make_bundle(None), "holds no portfolio.json"),
        (make_bundle(jobcoach_document(), EVIDENCE_FILES | {"../evil.pdf": PDF}), "unsafe"),
        (make_bundle(jobcoach_document(), EVIDENCE_FILES | {"/etc/evil.pdf": PDF}), "unsafe"),
        (make_bundle(raw_document=b"{not json"), "not valid JSON"),
    ],
    ids=["not-zip", "no-document", "dot-dot", "absolute", "bad-json"],
)
def test_import_refuses_a_broken_bundle(professional, nothing_written, bundle, message):
    with pytest.raises(DocumentError) as error:
        import_bundle(bundle, owner=professional)
    assert message in str(error.value)


def _pe(**activity) -> dict:
    return {"pe_activities": [{"title": "x", "date": "2025-01-01"} | activity]}


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"recertification_date": 20270331}, "recertification_date"),
        (_pe(type="juggling"), "pe_activities[0].type"),
        (_pe(type="course", date="2025-02-30", sbu=2), "pe_activities[0].date"),
        (_pe(type="course", sbu=-2), "pe_activities[0].sbu"),
        (_pe(type="course", sbu=2.25), "pe_activities[0].sbu"),
        (_pe(type="book", title="x" * 301), "pe_activities[0].title"),
        ({"a2": {"report": "nul\x00teken"}}, "a2.report"),
        ({"reflection_report": {"meeting": 5}}, "reflection_report.meeting"),
    ],
    ids=["wrong-type", "unknown-activity", "impossible-date", "negative", "too-precise",
         "too-long", "nul", "no-such-meeting"],
)  # fmt: skip
def test_import_refuses_an_invalid_document(professional, nothing_written, change, path):
    with pytest.raises(DocumentError) as error:
        import_bundle(make_bundle(jobcoach_document(**change)), owner=professional)
    assert error.value.path == path


def test_a_failure_while_writing_leaves_no_rows_and_no_files(
    professional, nothing_written, monkeypatch
):
    def broken_record(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("portfolios.exchange.storage.record", broken_record)
    with pytest.raises(RuntimeError):
        import_bundle(make_bundle(jobcoach_document()), owner=professional)


# --- Plain JSON documents --------------------------------------------------------------------


def test_plain_document_with_evidence_is_refused_naming_the_first_evidence(
    professional, nothing_written
):
    with pytest.raises(DocumentError) as error:
        import_document(jobcoach_document(), owner=professional, files=None)
    assert error.value.path == "a1.cv"
    assert "import a bundle" in error.value.message


def test_plain_document_without_files_drops_the_evidence(professional):
    portfolio = import_document(
        jobcoach_document(), owner=professional, files=None, without_files=True
    )

    assert portfolio.cv is None
    assert not Document.objects.exists()
    assert portfolio.pe_activities.count() == 5
    assert AuditEvent.objects.get(portfolio=portfolio).detail["dropped_files"] is True
    result = evaluate_portfolio(portfolio, as_of=AS_OF)
    assert result.rule("JC-A1").status == "not_met"
    assert result.rule("JC-B-EVIDENCE").status == "not_met"


def test_plain_document_that_names_no_evidence_imports(professional):
    document = jobcoach_document(a1={}, pe_activities=[], reflection_meetings=[])
    document["reflection_report"] = None

    portfolio = import_document(document, owner=professional, files=None)

    assert portfolio.framework_version == "2024.1"
    assert export_document(portfolio)["pe_activities"] == []


def test_bundle_document_is_readable_json(professional):
    portfolio = import_bundle(make_bundle(jobcoach_document()), owner=professional)
    with zipfile.ZipFile(io.BytesIO(export_bundle(portfolio))) as archive:
        raw = archive.read("portfolio.json").decode("utf-8")
    assert json.loads(raw)["framework"] == "jobcoach-recertification"
    assert raw.startswith('{\n  "format"')


def test_import_refuses_a_file_with_an_extension_that_is_not_allowed(professional, nothing_written):
    document = jobcoach_document()
    document["a1"]["cv"] = "cv.exe"

    with pytest.raises(DocumentError) as error:
        import_bundle(make_bundle(document, EVIDENCE_FILES | {"cv.exe": PDF}), owner=professional)

    assert str(error.value) == "a1.cv: file 'cv.exe' is not of an allowed type (PDF, PNG, JPG)"
