"""``noloc-portfolio/1`` documents and bundles <-> the portfolio models (exchange.md).

A bundle is a zip holding ``portfolio.json`` and the evidence files that document names; it is
read within the limits of :mod:`portfolios.exchange.bundle`. Import validates everything first
(document, file names, sizes, types, column limits) and only then writes, in one transaction; any
problem raises :class:`DocumentError` naming the JSON path and leaves the database and the file
storage as they were.

Each framework's package makes and reads its own rows (its ``storage`` module, reached through
the registry); this module checks and stores the files and runs the transaction.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection, models, transaction

from noloc_portal.documents.models import Document
from noloc_portal.documents.services import store_file
from noloc_portal.documents.validation import (
    FileKind,
    FileRefused,
    Refusal,
    allowed_types,
    check_file,
)
from noloc_portal.validators import text_limit
from portfolios import registry
from portfolios.evaluation.common import DocumentError
from portfolios.exchange.bundle import DOCUMENT_NAME, Bundle, BundleFile
from portfolios.exchange.document import dump_document, parse_document
from portfolios.models import Portfolio
from portfolios.services import record
from portfolios.snapshots import prefetch_for_snapshot, snapshot_of

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
    found = registry.of_snapshot(snapshot).evidence(snapshot)
    return [_Evidence(*item) for item in found if item[1] is not None]


def _file_kind(evidence: _Evidence, unpacked: BundleFile) -> FileKind:
    """The kind of an evidence file (:func:`check_file`, as for an upload), or DocumentError.
    Its size was also counted while it was unpacked."""
    name = evidence.name
    try:
        # A name without an extension (e.g. an exported facilitator confirmation) is judged by
        # its content alone.
        return check_file(
            unpacked.file,
            name=name,
            size=unpacked.size,
            kinds=evidence.kinds,
            extension_required=False,
        )
    except FileRefused as refused:
        reason, kind = refused.reason, refused.kind
    if reason is Refusal.TOO_LARGE:
        limit = settings.UPLOAD_MAX_BYTES
        message = f"file {name!r} is larger than the maximum of {limit} bytes"
    elif reason is Refusal.EMPTY:
        message = f"file {name!r} is empty"
    elif reason is Refusal.MISMATCH:
        message = f"the content of file {name!r} does not match its extension"
    elif reason is Refusal.DAMAGED:
        label = kind.extension.lstrip(".").upper()
        message = f"file {name!r} is not a readable {label} file (damaged or incomplete)"
    else:
        message = f"file {name!r} is not of an allowed type ({allowed_types(evidence.kinds)})"
    raise DocumentError(evidence.path, message)


def _original_name(name: str) -> str:
    return PurePosixPath(_BUNDLE_PREFIX.sub("", name)).name or "bestand"


# --- Column limits ---------------------------------------------------------------------------


def _fits(model: type[models.Model], values: dict[str, Any], paths: dict[str, str]) -> None:
    """Reject values the column cannot hold, so the database never has to (nothing written),
    and texts longer than the forms take (``noloc_portal.validators.text_limit``)."""
    for name, path in paths.items():
        value = values.get(name)
        if value is None:
            continue
        field = model._meta.get_field(name)
        if isinstance(value, str):
            if "\x00" in value:
                raise DocumentError(path, "must not contain NUL characters")
            limit = text_limit(field)
            if limit is not None and len(value) > limit:
                raise DocumentError(path, f"must be at most {limit} characters")
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


# --- Import ----------------------------------------------------------------------------------


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

    version, create = registry.of_snapshot(snapshot).creator(snapshot, owner, _fits)

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


# Evidence is copied into a bundle in pieces of this size.
_COPY_CHUNK = 64 * 1024


def _stored(portfolio: Portfolio) -> Portfolio:
    return prefetch_for_snapshot(
        Portfolio.objects.filter(pk=portfolio.pk), portfolio.framework
    ).get()


def export_document(portfolio: Portfolio) -> dict[str, Any]:
    """The ``noloc-portfolio/1`` document of a stored portfolio."""
    return dump_document(snapshot_of(_stored(portfolio)))


def export_bundle(portfolio: Portfolio) -> bytes:
    """The bundle of :func:`write_bundle` as bytes (the download, the API and the command)."""
    buffer = io.BytesIO()
    write_bundle(portfolio, buffer)
    return buffer.getvalue()


def write_bundle(portfolio: Portfolio, target: IO[bytes]) -> None:
    """Write a zip with ``portfolio.json`` and every evidence file it names, under that name, to
    the seekable file ``target``; each evidence file is copied in chunks, so a large one is never
    held in memory whole.

    A meeting confirmed by its facilitator through the portal's link has no uploaded statement;
    the bundle carries a small PDF recording the confirmation under the name the document uses,
    so the bundle imports again (as an uploaded, signed statement).
    """
    fresh = _stored(portfolio)
    snapshot = snapshot_of(fresh)
    document = dump_document(snapshot)
    framework = registry.get(fresh.framework)
    sources = framework.sources(fresh)

    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            DOCUMENT_NAME, json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
        )
        written = set()
        for item in _evidence(snapshot):
            if item.name in written:
                continue
            source = sources[item.name]
            if isinstance(source, Document):
                with (
                    source.file.open("rb") as handle,
                    archive.open(item.name, "w", force_zip64=True) as entry,
                ):
                    shutil.copyfileobj(handle, entry, _COPY_CHUNK)
            else:
                archive.writestr(item.name, framework.export_file(source))
            written.add(item.name)
