"""``manage.py portfolio evaluate|import|export`` (exchange.md, Commands and endpoints), and
``portfolio dossier`` for operators: the dossier PDF of a portfolio's latest submission (AS-7),
rendered in this process rather than by the worker.

Exit codes: 0 when the command did its work (``evaluate`` also when the portfolio does not
pass), 2 on any invalid input (document, bundle, file, owner, id, ``--as-of``, a portfolio with
nothing submitted) with the message on stderr naming the JSON path or the option. ``evaluate``
never touches the database. Files are read within the limits of
:mod:`portfolios.exchange.bundle`; a bundle is read in chunks.

``evaluate`` of several files or a directory evaluates them all in one process (Django starts
once): one JSON line per document, in order, ``{"file": ..., "evaluation": {...}}`` or
``{"file": ..., "error": "<path>: <message>"}``; every invalid one is also named on stderr and
the command exits 2 when any was invalid, after evaluating the others. A batch of hundreds of
documents is spread over the cores the process may use (forked workers, lines still in order).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from noloc_portal.pdf.rendering import render_pdf
from portfolios.dossier import build_dossier
from portfolios.evaluation import evaluate
from portfolios.evaluation.common import DocumentError
from portfolios.evaluation.translated import translated_once
from portfolios.exchange.bundle import is_bundle
from portfolios.exchange.decode import load_json, read_limited
from portfolios.exchange.document import parse_document
from portfolios.exchange.storage import export_bundle, import_bundle, import_document
from portfolios.models import Portfolio
from portfolios.permissions import can_start_portfolio

INVALID = 2


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=INVALID)


def _as_of(value: str | None) -> date:
    if value is None:
        return timezone.localdate()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _fail(f"--as-of: {value} is not a date that exists") from None
    raise _fail(f"--as-of: {value!r} is not a date written as YYYY-MM-DD")


def _open(path: str) -> IO[bytes]:
    """The file opened for reading (the caller closes it); exit 2 when it cannot be opened."""
    try:
        return Path(path).open("rb")
    except OSError as error:
        raise _fail(f"{path}: cannot read the file ({error.strerror})") from None


def _portfolio(id: str) -> Portfolio:
    portfolio = Portfolio.objects.filter(pk=int(id)).first() if id.isdigit() else None
    if portfolio is None:
        raise _fail(f"ID: no portfolio with id {id!r}")
    return portfolio


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _documents(paths: list[str]) -> list[str]:
    """The files to evaluate: each file as given, each directory's ``*.json`` files by name."""
    files: list[str] = []
    for path in paths:
        folder = Path(path)
        if folder.is_dir():
            found = sorted(str(child) for child in folder.glob("*.json") if child.is_file())
            if not found:
                raise _fail(f"{path}: the directory holds no .json files")
            files.extend(found)
        else:
            files.append(path)
    return files


def _evaluate_file(path: str, day: date) -> dict:
    with _open(path) as handle:
        raw = read_limited(handle)
    return evaluate(parse_document(load_json(raw)), as_of=day).to_json()


def _batch_line(path: str, day: date) -> tuple[str, str | None]:
    """One document of a batch: its JSON line, and the message for stderr when it is invalid."""
    try:
        line, error = {"file": path, "evaluation": _evaluate_file(path, day)}, None
    except (DocumentError, CommandError) as refused:
        message = str(refused)
        line = {"file": path, "error": message}
        error = message if message.startswith(path) else f"{path}: {message}"
    return json.dumps(line, ensure_ascii=False), error


def _batch_lines(paths: list[str], day: date) -> Iterator[tuple[str, str | None]]:
    """The lines of a batch in the order of ``paths``. A large batch is spread over the cores
    this process may use: worker processes forked after Django started, so none of them starts
    it again."""
    processes = _processes(len(paths))
    if processes == 1:
        for path in paths:
            yield _batch_line(path, day)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        # Chunks small enough that every process gets several.
        chunk = max(1, min(DOCUMENTS_PER_CHUNK, len(paths) // (processes * 4)))
        yield from pool.imap(partial(_batch_line, day=day), paths, chunksize=chunk)


# A batch below this many documents per extra process is evaluated in this process: forking
# and collecting the lines would cost more than it saves.
DOCUMENTS_PER_PROCESS = 200
DOCUMENTS_PER_CHUNK = 25


def _processes(documents: int) -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, documents // DOCUMENTS_PER_PROCESS))


class Command(BaseCommand):
    help = "Evaluate, import or export portfolios in the noloc-portfolio/1 exchange format."
    # Read-only work on files (evaluate) or one service call (import, export): the system checks
    # (URLs, templates, models) cost more than evaluating a document and guard nothing here;
    # ``manage.py check`` and every server start still run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")

        evaluate_parser = commands.add_parser(
            "evaluate", help="Evaluate a portfolio document without storing anything."
        )
        evaluate_parser.add_argument(
            "files",
            nargs="+",
            metavar="FILE.json|DIRECTORY",
            help="One document (its evaluation as JSON), or several or a directory of *.json "
            "files (one JSON line per document).",
        )
        evaluate_parser.add_argument(
            "--as-of", metavar="YYYY-MM-DD", help="'Today' for the evaluation (default: today)."
        )

        import_parser = commands.add_parser(
            "import", help="Store a document or bundle as a new draft portfolio."
        )
        import_parser.add_argument("file", metavar="FILE.json|BUNDLE.zip")
        import_parser.add_argument("--owner", required=True, metavar="EMAIL")
        import_parser.add_argument(
            "--without-files",
            action="store_true",
            help="Import a plain JSON document that names evidence, dropping the evidence.",
        )

        export_parser = commands.add_parser("export", help="Write a portfolio as a bundle.")
        export_parser.add_argument("id", metavar="ID")
        export_parser.add_argument("--out", required=True, metavar="BUNDLE.zip")

        dossier_parser = commands.add_parser(
            "dossier", help="Render the dossier PDF of a portfolio's latest submission."
        )
        dossier_parser.add_argument("id", metavar="ID")
        dossier_parser.add_argument("--out", required=True, metavar="FILE.pdf")

    def handle(self, *args, subcommand: str, **options):
        handler = {
            "evaluate": self.evaluate,
            "import": self.import_,
            "export": self.export,
            "dossier": self.dossier,
        }
        try:
            handler[subcommand](**options)
        except DocumentError as error:
            raise _fail(str(error)) from None

    def evaluate(self, *, files: list[str], as_of: str | None, **options) -> None:
        day = _as_of(as_of)
        if len(files) == 1 and not Path(files[0]).is_dir():
            self.stdout.write(_dumps(_evaluate_file(files[0], day)))
            return
        paths = _documents(files)
        invalid = 0
        # One language for the whole batch: each rule message is translated once, not per file
        # (worker processes inherit the texts translated so far).
        with translated_once():
            for line, error in _batch_lines(paths, day):
                if error is not None:
                    invalid += 1
                    self.stderr.write(error)
                self.stdout.write(line)
        if invalid:
            raise _fail(f"{invalid} of {len(paths)} documents are invalid (named above)")

    def import_(self, *, file: str, owner: str, without_files: bool, **options) -> None:
        user = get_user_model().objects.filter(email__iexact=owner.strip()).first()
        if user is None:
            raise _fail(f"--owner: no user with e-mail address {owner!r}")
        if not can_start_portfolio(user):
            # The same rule as the page that starts a portfolio and the API.
            raise _fail(
                f"--owner: {owner!r} is not a professional; only professionals keep portfolios"
            )
        with _open(file) as handle:
            bundle = is_bundle(handle.read(4))
            handle.seek(0)
            if bundle:
                portfolio = import_bundle(handle, owner=user)
            else:
                portfolio = import_document(
                    load_json(read_limited(handle)),
                    owner=user,
                    files=None,
                    without_files=without_files,
                )
        self.stdout.write(json.dumps({"id": portfolio.pk}))

    def export(self, *, id: str, out: str, **options) -> None:
        portfolio = _portfolio(id)
        data = export_bundle(portfolio)
        try:
            Path(out).write_bytes(data)
        except OSError as error:
            raise _fail(f"--out: cannot write {out} ({error.strerror})") from None
        self.stdout.write(json.dumps({"id": portfolio.pk, "out": out, "bytes": len(data)}))

    def dossier(self, *, id: str, out: str, **options) -> None:
        portfolio = _portfolio(id)
        submission = portfolio.submissions.order_by("-number").first()
        if submission is None:
            raise _fail(
                f"ID: portfolio {portfolio.pk} has not been submitted; a draft has no dossier"
            )
        report = build_dossier(submission)
        pdf = render_pdf(report.template, report.context)
        try:
            Path(out).write_bytes(pdf.data)
        except OSError as error:
            raise _fail(f"--out: cannot write {out} ({error.strerror})") from None
        self.stdout.write(
            json.dumps(
                {
                    "id": portfolio.pk,
                    "submission": submission.number,
                    "out": out,
                    "pages": pdf.page_count,
                    "bytes": len(pdf.data),
                }
            )
        )
