"""The measure of the layout (issue 9): a framework registered from inside a test, with one
section and one rule, works through the engine, the exchange commands and the pages without a
line of its own in the core.

The toy keeps its one section (a motivation and the file behind it) in a dict of this module
instead of a table: the core must only ever reach a framework's data through the registry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.urls import reverse

from noloc_portal.documents.models import Document
from noloc_portal.documents.services import store_bytes
from noloc_portal.documents.validation import EVIDENCE_KINDS
from portfolios import registry
from portfolios.checklist import Section
from portfolios.evaluation import Evaluation, RuleResult, Status, evaluate
from portfolios.exchange import reader
from portfolios.exchange.document import FORMAT, parse_document
from portfolios.models import Portfolio
from portfolios.overview import render_overview
from portfolios.permissions import can_view_portfolio_document
from portfolios.services import evaluate_portfolio
from portfolios.snapshots import bundle_name
from tests.portfolios.exchange_samples import PDF, bundle_contents, by_content, make_bundle

TOY = "toy-motivation"
AS_OF = date(2026, 5, 1)


# --- The toy framework: data, snapshot, exchange, rule --------------------------------------


@dataclass(frozen=True)
class ToyVersion(registry.FrameworkVersion):
    minimum_words: int


TOY_1 = ToyVersion(
    code=TOY,
    version="1",
    effective_from=date(2020, 1, 1),
    title="Toy",
    assessor_count=1,
    minimum_words=5,
)


@dataclass(frozen=True)
class ToySnapshot:
    motivation: str = ""
    evidence: str | None = None
    framework_version: str | None = None


def parse_toy(data: dict[str, Any]) -> ToySnapshot:
    section = reader.opt_obj(data, "motivation", "") or {}
    return ToySnapshot(
        motivation=reader.text(section, "text", "motivation"),
        evidence=reader.evidence(section, "evidence", "motivation"),
        framework_version=reader.opt_text(data, "framework_version", ""),
    )


def dump_toy(snapshot: ToySnapshot) -> dict[str, Any]:
    document: dict[str, Any] = {"format": FORMAT, "framework": TOY}
    if snapshot.framework_version is not None:
        document["framework_version"] = snapshot.framework_version
    document["motivation"] = {"text": snapshot.motivation, "evidence": snapshot.evidence}
    return document


def evaluate_toy(snapshot: ToySnapshot, *, as_of: date, framework=None) -> Evaluation:
    framework = framework or registry.framework_version(
        TOY, on=as_of, version=snapshot.framework_version
    )
    words = len(snapshot.motivation.split())
    if words < framework.minimum_words:
        result = RuleResult(
            "TOY-1",
            Status.NOT_MET,
            f"De motivatie telt {words} woorden; minimaal {framework.minimum_words}.",
            "motivation.text",
        )
    elif snapshot.evidence is None:
        result = RuleResult("TOY-1", Status.NOT_MET, "Voeg een bewijsstuk toe.", "motivation")
    else:
        result = RuleResult("TOY-1", Status.MET, "De motivatie is compleet.", "motivation")
    return Evaluation(
        framework=TOY, framework_version=framework.version, as_of=as_of, rules=(result,)
    )


# --- Its storage: test-local rows ------------------------------------------------------------


@dataclass
class ToyRow:
    motivation: str = ""
    document: Document | None = None


ROWS: dict[int, ToyRow] = {}


def toy_snapshot(portfolio: Portfolio) -> ToySnapshot:
    row = ROWS.get(portfolio.pk, ToyRow())
    return ToySnapshot(
        motivation=row.motivation,
        evidence=bundle_name(row.document),
        framework_version=portfolio.framework_version,
    )


def toy_evidence(snapshot: ToySnapshot):
    return [("motivation.evidence", snapshot.evidence, EVIDENCE_KINDS)]


def toy_creator(snapshot: ToySnapshot, owner, fits):
    version = snapshot.framework_version or TOY_1.version
    fits(Portfolio, {"framework_version": version}, {"framework_version": "framework_version"})

    def create(document_of) -> Portfolio:
        portfolio = Portfolio.objects.create(owner=owner, framework=TOY, framework_version=version)
        ROWS[portfolio.pk] = ToyRow(snapshot.motivation, document_of(snapshot.evidence))
        return portfolio

    return version, create


def toy_sources(portfolio: Portfolio) -> dict[str, Document]:
    document = ROWS.get(portfolio.pk, ToyRow()).document
    return {} if document is None else {bundle_name(document): document}


def start_toy(*, owner, data) -> Portfolio:
    portfolio = Portfolio.objects.create(owner=owner, framework=TOY, framework_version="1")
    ROWS[portfolio.pk] = ToyRow()
    return portfolio


# --- Its pages -------------------------------------------------------------------------------

TOY_SECTIONS = (Section("motivation", "M", "Motivatie", "portfolios:detail", ("TOY-",)),)


def toy_overview(request, portfolio: Portfolio):
    return render_overview(
        request,
        portfolio,
        sections=TOY_SECTIONS,
        fix_url=lambda path: reverse("portfolios:detail", args=[portfolio.pk]) + "#motivatie",
    )


@pytest.fixture
def toy():
    ROWS.clear()
    registry.register(
        registry.Framework(
            code=TOY,
            label="Toy-certificering",
            snapshot_type=ToySnapshot,
            evaluate=evaluate_toy,
            parse=parse_toy,
            dump=dump_toy,
            prefetch=lambda queryset: queryset,
            snapshot_of=toy_snapshot,
            evidence=toy_evidence,
            creator=toy_creator,
            sources=toy_sources,
            start=start_toy,
            overview=toy_overview,
            document_holders=lambda document: Q(
                pk__in=[pk for pk, row in ROWS.items() if row.document == document]
            ),
            summary=lambda portfolio: f"{len(ROWS[portfolio.pk].motivation.split())} woorden",
        )
    )
    registry.register_version(TOY_1)
    yield
    registry.unregister(TOY)
    ROWS.clear()


def toy_document(text: str = "Ik wil dit omdat het werk me raakt.", evidence="motivatie.pdf"):
    return {
        "format": FORMAT,
        "framework": TOY,
        "motivation": {"text": text, "evidence": evidence},
    }


def motivation_file(owner) -> Document:
    return store_bytes(data=PDF, name="m.pdf", content_type="application/pdf", owner=owner)


def call(*args: str) -> str:
    out = StringIO()
    call_command("portfolio", *args, stdout=out)
    return out.getvalue()


def imported(path: str, *, owner) -> Portfolio:
    return Portfolio.objects.get(pk=json.loads(call("import", path, "--owner", owner.email))["id"])


def write(tmp_path: Path, name: str, data: bytes | dict) -> str:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return str(path)


# --- The engine ------------------------------------------------------------------------------


def test_evaluate_judges_a_toy_snapshot_by_its_rule_value(toy):
    short = evaluate(ToySnapshot(motivation="Te kort.", evidence="m.pdf"), as_of=AS_OF)
    enough = evaluate(
        ToySnapshot(motivation="een twee drie vier vijf", evidence="m.pdf"), as_of=AS_OF
    )

    assert short.rule("TOY-1").status == Status.NOT_MET
    assert short.rule("TOY-1").message == "De motivatie telt 2 woorden; minimaal 5."
    assert not short.submittable
    assert enough.submittable
    assert enough.to_json()["framework"] == TOY


def test_a_toy_document_is_unknown_once_the_toy_is_unregistered(toy):
    assert isinstance(parse_document(toy_document()), ToySnapshot)
    registry.unregister(TOY)
    with pytest.raises(ValueError, match="framework: must be one of"):
        parse_document(toy_document())


# --- The exchange commands -------------------------------------------------------------------


def test_portfolio_evaluate_prints_the_toy_evaluation(toy, tmp_path):
    output = call("evaluate", write(tmp_path, "p.json", toy_document()), "--as-of", "2026-05-01")

    result = json.loads(output)
    assert result == evaluate(parse_document(toy_document()), as_of=AS_OF).to_json()
    assert result["rules"] == [
        {
            "id": "TOY-1",
            "status": "met",
            "message": "De motivatie is compleet.",
            "path": "motivation",
        }
    ]


def test_portfolio_evaluate_exits_2_naming_the_toy_path(toy, tmp_path):
    document = toy_document() | {"motivation": {"text": 12}}
    with pytest.raises(CommandError, match=r"motivation\.text: must be a string") as error:
        call("evaluate", write(tmp_path, "p.json", document))
    assert error.value.returncode == 2


def test_import_export_import_gives_an_equal_toy_portfolio(toy, tmp_path, professional):
    bundle = make_bundle(toy_document(), {"motivatie.pdf": PDF})
    first = imported(write(tmp_path, "in.zip", bundle), owner=professional)
    assert (first.framework, first.owner, first.state) == (TOY, professional, "draft")
    assert ROWS[first.pk].document.file.read() == PDF

    call("export", str(first.pk), "--out", str(tmp_path / "out.zip"))
    second = imported(str(tmp_path / "out.zip"), owner=professional)
    call("export", str(second.pk), "--out", str(tmp_path / "again.zip"))

    document, files = bundle_contents((tmp_path / "out.zip").read_bytes())
    assert document["motivation"]["text"] == "Ik wil dit omdat het werk me raakt."
    assert by_content(document, files) == by_content(
        *bundle_contents((tmp_path / "again.zip").read_bytes())
    )
    expected = evaluate(parse_document(toy_document()), as_of=AS_OF).to_json()
    assert evaluate_portfolio(second, as_of=AS_OF).to_json() == expected


def test_import_of_a_toy_bundle_without_its_file_writes_nothing(toy, tmp_path, professional):
    bundle = write(tmp_path, "in.zip", make_bundle(toy_document(), {}))
    with pytest.raises(CommandError, match=r"motivation\.evidence: file 'motivatie\.pdf'") as error:
        call("import", bundle, "--owner", professional.email)
    assert error.value.returncode == 2
    assert (Portfolio.objects.count(), Document.objects.count()) == (0, 0)


# --- The pages -------------------------------------------------------------------------------


def test_the_overview_of_a_toy_portfolio_is_its_checklist(toy, client, professional):
    client.force_login(professional)
    response = client.post(reverse("portfolios:new"), {"framework": TOY})
    portfolio = professional.portfolios.get()
    assert (portfolio.framework, response.url) == (
        TOY,
        reverse("portfolios:detail", args=[portfolio.pk]),
    )

    body = client.get(response.url).content.decode()
    assert "Toy-certificering" in body
    assert "M · Motivatie" in body
    assert "TOY-1" in body and "De motivatie telt 0 woorden; minimaal 5." in body
    assert f'href="/portfolios/{portfolio.pk}/#motivatie"' in body
    assert "Nog niet klaar om in te dienen" in body

    ROWS[portfolio.pk].motivation = "Omdat ik mensen verder wil helpen."
    ROWS[portfolio.pk].document = motivation_file(professional)
    body = client.get(response.url).content.decode()
    assert "De motivatie is compleet." in body
    assert "Je portfolio is compleet" in body


def test_the_list_shows_the_toys_summary_line(toy, client, professional):
    portfolio = start_toy(owner=professional, data={})
    ROWS[portfolio.pk].motivation = "drie losse woorden"
    client.force_login(professional)

    body = client.get(reverse("portfolios:list")).content.decode()

    assert "Toy-certificering" in body and "3 woorden" in body


def test_a_toy_file_is_readable_by_whoever_may_read_its_portfolio(
    toy, professional, other_professional, staff
):
    portfolio = start_toy(owner=professional, data={})
    document = motivation_file(professional)
    ROWS[portfolio.pk].document = document

    assert can_view_portfolio_document(staff, document)
    assert not can_view_portfolio_document(other_professional, document)


def test_a_framework_registered_or_taken_away_changes_the_labels_lists_show(toy):
    from noloc_portal.choices import display_labels

    assert display_labels(Portfolio, "framework")[TOY] == "Toy-certificering"
    registry.unregister(TOY)
    assert TOY not in display_labels(Portfolio, "framework")
