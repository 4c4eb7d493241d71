"""``noloc-portfolio/1`` documents and bundles <-> the portfolio models (exchange.md).

A bundle is a zip holding ``portfolio.json`` and the evidence files that document names; it is
read within the limits of :mod:`portfolios.exchange.bundle`. Import validates everything first
(document, file names, sizes, types, column limits) and only then writes, in one transaction; any
problem raises :class:`DocumentError` naming the JSON path and leaves the database and the file
storage as they were.

Both frameworks are stored; the Loopbaanprofessional rows are made and read by
:mod:`portfolios.exchange.storage_loopbaan`.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath
from typing import IO, Any

from django.db import connection, models, transaction
from django.utils import timezone

from noloc_portal.documents.models import Document
from noloc_portal.documents.services import store_file
from noloc_portal.documents.validation import (
    DOCX,
    EVIDENCE_KINDS,
    JPEG,
    PDF,
    PNG,
    REPORT_KINDS,
    FileKind,
)
from portfolios.evaluation.common import DocumentError
from portfolios.evaluation.jobcoach import JobcoachSnapshot
from portfolios.evaluation.loopbaan import LoopbaanSnapshot
from portfolios.exchange.bundle import DOCUMENT_NAME, Bundle, BundleFile
from portfolios.exchange.document import dump_document, parse_document
from portfolios.frameworks import JOBCOACH, LOOPBAAN, framework_version
from portfolios.frameworks.jobcoach import FIELD_KINDS
from portfolios.models import (
    ConfirmationState,
    PEActivity,
    Portfolio,
    ReflectionMeeting,
)
from portfolios.services import record
from portfolios.snapshots import bundle_name, prefetch_for_snapshot, snapshot_of

_KNOWN_KINDS = (PDF, PNG, JPEG, DOCX)
_EXTENSIONS = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".docx": DOCX}
# bundle_name() writes "bestanden/<8 hex>-<original name>"; import keeps the original name only,
# so names do not grow with every export/import round trip.
_BUNDLE_PREFIX = re.compile(r"^bestanden/[0-9a-f]{8}-")


# --- Reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Evidence:
    path: str
    name: str
    kinds: tuple[FileKind, ...]


def _evidence(snapshot) -> list[_Evidence]:
    """Every evidence name of a document with its JSON path, in document order."""
    if isinstance(snapshot, LoopbaanSnapshot):
        from portfolios.exchange.storage_loopbaan import loopbaan_evidence

        found = [_Evidence(*item) for item in loopbaan_evidence(snapshot)]
        return [evidence for evidence in found if evidence.name is not None]
    found = [
        _Evidence("a1.cv", snapshot.a1.cv, EVIDENCE_KINDS),
        _Evidence("a1.statement.evidence", snapshot.a1.statement.evidence, EVIDENCE_KINDS),
    ]
    found += [
        _Evidence(
            f"reflection_meetings[{i}].statement.evidence", m.statement.evidence, EVIDENCE_KINDS
        )
        for i, m in enumerate(snapshot.reflection_meetings)
    ]
    # The PE-activity form accepts DOCX as well (portfolios/forms.py), so a bundle may hold one.
    found += [
        _Evidence(f"pe_activities[{i}].evidence", a.evidence, REPORT_KINDS)
        for i, a in enumerate(snapshot.pe_activities)
    ]
    return [evidence for evidence in found if evidence.name is not None]


def _is_docx(file: IO[bytes]) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        file.seek(0)


def _file_kind(evidence: _Evidence, unpacked: BundleFile) -> FileKind:
    """The kind of an evidence file, by its first bytes; the extension, if any, must agree.
    Its size was checked while it was unpacked."""
    name, path = evidence.name, evidence.path
    if not unpacked.size:
        raise DocumentError(path, f"file {name!r} is empty")
    allowed = ", ".join(kind.extension.lstrip(".").upper() for kind in evidence.kinds)
    head = unpacked.head
    content = next(
        (
            kind
            for kind in _KNOWN_KINDS
            if head.startswith(kind.magic) and (kind is not DOCX or _is_docx(unpacked.file))
        ),
        None,
    )
    if content is None or content not in evidence.kinds:
        raise DocumentError(path, f"file {name!r} is not of an allowed type ({allowed})")
    suffix = PurePosixPath(name).suffix.lower()
    # A name without an extension (e.g. an exported facilitator confirmation) is judged by its
    # content alone; a name with one must be allowed and match the content (a renamed file).
    if suffix and _EXTENSIONS.get(suffix) not in evidence.kinds:
        raise DocumentError(path, f"file {name!r} is not of an allowed type ({allowed})")
    if suffix and _EXTENSIONS[suffix] is not content:
        raise DocumentError(path, f"the content of file {name!r} does not match its extension")
    return content


def _original_name(name: str) -> str:
    return PurePosixPath(_BUNDLE_PREFIX.sub("", name)).name or "bestand"


# --- Column limits ---------------------------------------------------------------------------


def _fits(model: type[models.Model], values: dict[str, Any], paths: dict[str, str]) -> None:
    """Reject values the column cannot hold, so the database never has to (nothing written)."""
    for name, path in paths.items():
        value = values.get(name)
        if value is None:
            continue
        field = model._meta.get_field(name)
        if isinstance(value, str):
            if "\x00" in value:
                raise DocumentError(path, "must not contain NUL characters")
            if field.max_length is not None and len(value) > field.max_length:
                raise DocumentError(path, f"must be at most {field.max_length} characters")
        elif isinstance(field, models.DecimalField):
            number = Decimal(str(value))
            # The size first: quantizing a number of more digits than the decimal context holds
            # raises InvalidOperation.
            if number >= 10 ** (field.max_digits - field.decimal_places):
                raise DocumentError(path, "is too large")
            if number != number.quantize(Decimal(1).scaleb(-field.decimal_places)):
                raise DocumentError(path, f"must have at most {field.decimal_places} decimal(s)")
        elif isinstance(field, models.IntegerField):
            _, maximum = connection.ops.integer_field_range(field.get_internal_type())
            if maximum is not None and value > maximum:
                raise DocumentError(path, "is too large")


def _portfolio_values(snapshot: JobcoachSnapshot, version: str) -> dict[str, Any]:
    report = snapshot.reflection_report
    plan = snapshot.development_plan
    values = {
        "framework": JOBCOACH,
        "framework_version": version,
        "recertification_date": snapshot.recertification_date,
        "a1_statement_signed": snapshot.a1.statement.signed,
        "a2_report": snapshot.a2_report,
        "plan_present": plan.present,
        "plan_past": plan.past,
        "plan_future": plan.future,
        "declares_code_of_conduct": snapshot.declaration.code_of_conduct,
        "declares_complaints_regulation": snapshot.declaration.complaints_regulation,
    }
    if report is not None:
        values |= {
            "report_situation": report.situation,
            "report_motivation": report.motivation,
            "report_insights": report.insights,
            "report_consequences": report.consequences,
        }
    _fits(
        Portfolio,
        values,
        {
            "framework_version": "framework_version",
            "a2_report": "a2.report",
            "plan_present": "development_plan.present",
            "plan_past": "development_plan.past",
            "plan_future": "development_plan.future",
            "report_situation": "reflection_report.situation",
            "report_motivation": "reflection_report.motivation",
            "report_insights": "reflection_report.insights",
            "report_consequences": "reflection_report.consequences",
        },
    )
    return values


def _meeting_values(snapshot: JobcoachSnapshot) -> list[dict[str, Any]]:
    rows = []
    for i, meeting in enumerate(snapshot.reflection_meetings):
        values = {
            "date": meeting.date,
            "kind": meeting.kind,
            "facilitator": meeting.facilitator,
            "facilitator_registration": meeting.facilitator_registration,
            "own_situation": meeting.own_situation,
            "statement_signed": meeting.statement.signed,
        }
        path = f"reflection_meetings[{i}]"
        _fits(ReflectionMeeting, values, {name: f"{path}.{name}" for name in values})
        rows.append(values)
    return rows


_ACTIVITY_FIELDS = ("type", "title", *FIELD_KINDS)


def _activity_values(snapshot: JobcoachSnapshot) -> list[dict[str, Any]]:
    rows = []
    for i, activity in enumerate(snapshot.pe_activities):
        values = {name: getattr(activity, name) for name in _ACTIVITY_FIELDS}
        _fits(PEActivity, values, {name: f"pe_activities[{i}].{name}" for name in values})
        rows.append(values)
    return rows


# --- Import ----------------------------------------------------------------------------------


def _jobcoach_creator(snapshot: JobcoachSnapshot, owner):
    """The framework version and a function creating the rows of a Jobcoach document, after
    every value was checked (nothing is written here)."""
    report = snapshot.reflection_report
    meetings = snapshot.reflection_meetings
    if report is not None and report.meeting is not None and report.meeting >= len(meetings):
        raise DocumentError(
            "reflection_report.meeting", f"there is no reflection meeting {report.meeting}"
        )
    version = (
        snapshot.framework_version
        or framework_version(JOBCOACH, on=snapshot.recertification_date).version
    )
    portfolio_values = _portfolio_values(snapshot, version)
    meeting_rows = _meeting_values(snapshot)
    activity_rows = _activity_values(snapshot)

    def create(document_of) -> Portfolio:
        portfolio = Portfolio.objects.create(
            owner=owner,
            cv=document_of(snapshot.a1.cv),
            a1_statement=document_of(snapshot.a1.statement.evidence),
            **portfolio_values,
        )
        created_meetings = ReflectionMeeting.objects.bulk_create(
            ReflectionMeeting(
                portfolio=portfolio,
                statement=document_of(meeting.statement.evidence),
                **values,
            )
            for meeting, values in zip(meetings, meeting_rows, strict=True)
        )
        PEActivity.objects.bulk_create(
            PEActivity(portfolio=portfolio, evidence=document_of(activity.evidence), **values)
            for activity, values in zip(snapshot.pe_activities, activity_rows, strict=True)
        )
        if report is not None and report.meeting is not None:
            portfolio.report_meeting = created_meetings[report.meeting]
            portfolio.save(update_fields=["report_meeting"])
        return portfolio

    return version, create


def import_document(
    data: Any,
    *,
    owner,
    files: Bundle | None = None,
    without_files: bool = False,
    by=None,
) -> Portfolio:
    """Store a ``noloc-portfolio/1`` document as a new draft portfolio of ``owner``.

    ``files`` is the bundle holding the evidence the document names. For a plain
    JSON document (``files=None``) the evidence cannot be resolved: it is refused, naming the
    first evidence path, unless ``without_files`` drops it (the evaluation then reports it
    missing). ``by`` is the acting user, ``None`` on the command line.

    Raises DocumentError naming the JSON path; nothing is written then.
    """
    snapshot = parse_document(data)
    evidence = _evidence(snapshot)
    contents: dict[str, tuple[BundleFile, FileKind]] = {}
    dropped = files is None and bool(evidence)
    if files is None:
        if evidence and not without_files:
            first = evidence[0]
            raise DocumentError(
                first.path,
                f"file {first.name!r} cannot be resolved: a plain JSON document carries no "
                "files; import a bundle (zip), or import without files to drop the evidence",
            )
        evidence = []
    for item in evidence:
        if item.name not in files:
            raise DocumentError(item.path, f"file {item.name!r} is not in the bundle")
        # Unpacked once, to a temporary file the bundle removes when it is closed.
        unpacked = (
            contents[item.name][0]
            if item.name in contents
            else files.unpack(item.name, path=item.path)
        )
        contents[item.name] = (unpacked, _file_kind(item, unpacked))

    if isinstance(snapshot, LoopbaanSnapshot):
        from portfolios.exchange.storage_loopbaan import loopbaan_creator

        version, create = loopbaan_creator(snapshot, owner, _fits)
    else:
        version, create = _jobcoach_creator(snapshot, owner)

    stored: list[Document] = []
    try:
        with transaction.atomic():
            documents: dict[str, Document] = {}
            for name, (unpacked, kind) in contents.items():
                document = store_file(
                    file=unpacked.file,
                    name=_original_name(name),
                    content_type=kind.content_type,
                    owner=owner,
                )
                stored.append(document)
                documents[name] = document

            def document_of(name: str | None) -> Document | None:
                return None if name is None else documents.get(name)

            portfolio = create(document_of)
            record(
                portfolio=portfolio,
                by=by,
                action="imported",
                version=version,
                files=len(documents),
                dropped_files=dropped,
            )
    except BaseException:
        # The rows are rolled back; the stored files would otherwise stay behind unreferenced.
        for document in stored:
            document.file.delete(save=False)
        raise
    return portfolio


def import_bundle(source: bytes | IO[bytes], *, owner, by=None) -> Portfolio:
    """Store a bundle (zip with ``portfolio.json`` and its evidence) as a new draft portfolio.

    ``source`` is the zip's bytes or a seekable binary file; the file is read in chunks.
    """
    with Bundle(io.BytesIO(source) if isinstance(source, bytes) else source) as bundle:
        return import_document(bundle.document(), owner=owner, files=bundle, by=by)


# --- Export ----------------------------------------------------------------------------------


def _stored(portfolio: Portfolio) -> Portfolio:
    return prefetch_for_snapshot(
        Portfolio.objects.filter(pk=portfolio.pk), portfolio.framework
    ).get()


def export_document(portfolio: Portfolio) -> dict[str, Any]:
    """The ``noloc-portfolio/1`` document of a stored portfolio."""
    return dump_document(snapshot_of(_stored(portfolio)))


def _sources(portfolio: Portfolio) -> dict[str, Any]:
    """The stored file (or facilitator confirmation) behind every evidence name of a portfolio."""
    if portfolio.framework == LOOPBAAN:
        from portfolios.exchange.storage_loopbaan import loopbaan_sources

        return loopbaan_sources(portfolio)
    sources: dict[str, Any] = {}
    for stored in (portfolio.cv, portfolio.a1_statement):
        if stored is not None:
            sources[bundle_name(stored)] = stored
    for meeting in portfolio.reflection_meetings.all():
        if meeting.statement is not None:
            sources[bundle_name(meeting.statement)] = meeting.statement
        for confirmation in meeting.confirmations.all():
            if confirmation.state in (ConfirmationState.CONFIRMED, ConfirmationState.CORRECTED):
                sources.setdefault(f"bevestiging-{confirmation.token.hex[:8]}", confirmation)
    for activity in portfolio.pe_activities.all():
        if activity.evidence is not None:
            sources[bundle_name(activity.evidence)] = activity.evidence
    return sources


def export_bundle(portfolio: Portfolio) -> bytes:
    """A zip with ``portfolio.json`` and every evidence file it names, under that name.

    A meeting confirmed by its facilitator through the portal's link has no uploaded statement;
    the bundle carries a small PDF recording the confirmation under the name the document uses,
    so the bundle imports again (as an uploaded, signed statement).
    """
    fresh = _stored(portfolio)
    snapshot = snapshot_of(fresh)
    document = dump_document(snapshot)
    sources = _sources(fresh)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            DOCUMENT_NAME, json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
        )
        written = set()
        for item in _evidence(snapshot):
            if item.name in written:
                continue
            source = sources[item.name]
            if isinstance(source, Document):
                with source.file.open("rb") as handle:
                    archive.writestr(item.name, handle.read())
            else:
                archive.writestr(item.name, _confirmation_pdf(source))
            written.add(item.name)
    return buffer.getvalue()


def _confirmation_pdf(confirmation) -> bytes:
    meeting = confirmation.meeting
    responded = confirmation.responded_at
    lines = [
        "Bevestiging van een reflectiebijeenkomst door de begeleider",
        "",
        f"Datum: {_day(confirmation.confirmed_date or meeting.date)}",
        f"Begeleider: {confirmation.confirmed_facilitator or meeting.facilitator}",
        f"E-mailadres begeleider: {confirmation.email}",
        "Eigen situatie ingebracht: " + ("ja" if confirmation.confirmed_own_situation else "nee"),
        "Bevestigd op: "
        + (timezone.localtime(responded).strftime("%Y-%m-%d %H:%M") if responded else "-"),
        f"Toelichting: {confirmation.facilitator_note or '-'}",
    ]
    return text_pdf(lines)


def _day(day: date | None) -> str:
    return "-" if day is None else day.isoformat()


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing ``lines`` in Helvetica (WinAnsi; other characters become '?')."""

    def escape(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shown = " ".join(f"({escape(line)}) '" for line in lines)
    stream = f"BT /F1 11 Tf 56 800 Td 15 TL {shown} ET".encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
