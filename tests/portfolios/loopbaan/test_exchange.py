"""Loopbaanprofessional portfolios through every exchange door: storage, the command and the
API. Export then import gives an equal portfolio that evaluates identically; an invalid
document is refused naming its JSON path, and nothing is written."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from noloc_portal.documents.models import Document
from portfolios.evaluation import evaluate
from portfolios.exchange.document import parse_document
from portfolios.exchange.storage import (
    export_bundle,
    export_document,
    import_bundle,
    import_document,
)
from portfolios.loopbaan.models import Case, CaseTask, CaseText, Course, LoopbaanDetails
from portfolios.models import Portfolio
from portfolios.services import evaluate_portfolio
from tests.portfolios.exchange_samples import (
    LOOPBAAN_FILES,
    bundle_contents,
    by_content,
    loopbaan_document,
    make_bundle,
)

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 11, 22)
LP_ROWS = (Portfolio, LoopbaanDetails, Course, Case, CaseTask, CaseText, Document)


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in LP_ROWS)


def bundle(document=None) -> bytes:
    return make_bundle(document or loopbaan_document(), LOOPBAAN_FILES)


def test_import_stores_every_section(professional):
    portfolio = import_bundle(bundle(), owner=professional)

    assert portfolio.framework == "loopbaanprofessional-initial"
    assert portfolio.loopbaan.route == 2
    assert portfolio.loopbaan.diploma.original_name == "diploma.pdf"
    assert [c.title for c in portfolio.courses.all()][:2] == [
        "Loopbaancoaching",
        "Narratief werken",
    ]
    second = portfolio.cases.get(number=2)
    assert second.tasks.get(number=3).not_relevant
    assert second.texts.filter(kind="knowledge_area").count() == 2
    assert evaluate_portfolio(portfolio, as_of=AS_OF).submittable
    # Stored, the portfolio evaluates exactly like the document it came from.
    expected = evaluate(parse_document(loopbaan_document()), as_of=AS_OF).to_json()
    assert evaluate_portfolio(portfolio, as_of=AS_OF).to_json() == expected


def test_export_then_import_gives_an_equal_portfolio(professional):
    first = import_bundle(bundle(), owner=professional)
    exported = export_bundle(first)
    second = import_bundle(exported, owner=professional)
    again = export_bundle(second)

    assert by_content(*bundle_contents(exported)) == by_content(*bundle_contents(again))
    assert by_content(*bundle_contents(exported)) == by_content(loopbaan_document(), LOOPBAAN_FILES)
    assert (
        evaluate_portfolio(first, as_of=AS_OF).to_json()
        == evaluate_portfolio(second, as_of=AS_OF).to_json()
    )
    assert export_document(second)["cases"][1]["tasks"]["3"] == {
        "not_relevant": "De cliënt had al een zelfbeeld."
    }


def test_an_incomplete_portfolio_round_trips_too(professional):
    document = loopbaan_document(
        education={"route": 3, "evc_report": {"date": "2025-02-01", "level": 5,
                                               "provider_recognised": True, "evidence": None}},
        experience=None,
        cv=None,
        cases=[{"title": "Alleen", "tasks": {"0": {"text": ""}, "6": {"not_relevant": ""}}}],
        declaration=None,
    )  # fmt: skip
    portfolio = import_document(document, owner=professional, files=None)
    again = import_document(export_document(portfolio), owner=professional, files=None)

    assert export_document(again) == export_document(portfolio)
    expected = evaluate(parse_document(document), as_of=AS_OF).to_json()
    assert evaluate_portfolio(again, as_of=AS_OF).to_json() == expected
    assert expected["coverage"]["tasks"]["0"]["cases"] == ["missing"]
    assert "taak 6" in next(r for r in expected["rules"] if r["id"] == "LP-C1-NR")["message"]


INVALID = [
    (loopbaan_document(education={"route": 7}), "education.route", "must be 1, 2, 3 or 4"),
    (loopbaan_document(education={"route": "2"}), "education.route", "must be 1, 2, 3 or 4"),
    (loopbaan_document(cases=[{"tasks": {"9": {"text": "x"}}}]), "cases[0].tasks.9",
     "unknown task"),
    (loopbaan_document(cases=[{"knowledge_areas": {"6": "x"}}]), "cases[0].knowledge_areas.6",
     "unknown knowledge area"),
    (loopbaan_document(cases=[{}, {"competences": {"luisteren": "x"}}]),
     "cases[1].competences.luisteren", "unknown competence"),
    (loopbaan_document(cases=[{"ended": "2025-02-30"}]), "cases[0].ended", "2025-02-30"),
    (loopbaan_document(cases=[{}, {}, {}]), "cases[2]", "at most 2 cases"),
    (loopbaan_document(education={"route": 2, "courses": [{"hours": 1000000}]}),
     "education.courses[0].hours", "too large"),
]  # fmt: skip
INVALID_IDS = ["route", "route-text", "task", "area", "competence", "date", "three-cases", "hours"]


@pytest.mark.parametrize(("document", "path", "message"), INVALID, ids=INVALID_IDS)
def test_storage_refuses_an_invalid_document_and_writes_nothing(
    professional, document, path, message
):
    before = counts()
    with pytest.raises(Exception) as error:
        import_bundle(bundle(document), owner=professional)
    assert error.value.path == path
    assert message in error.value.message
    assert counts() == before


def test_a_missing_file_in_the_bundle_writes_nothing(professional):
    before = counts()
    files = dict(LOOPBAAN_FILES)
    del files["werkzaam.pdf"]
    with pytest.raises(Exception) as error:
        import_bundle(make_bundle(loopbaan_document(), files), owner=professional)
    assert error.value.path == "experience.currently_working_statement.evidence"
    assert counts() == before


# --- The command -------------------------------------------------------------------------------


def call(*args: str) -> str:
    out = StringIO()
    call_command("portfolio", *args, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, data, name: str) -> str:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_command_import_export_round_trip(tmp_path, professional):
    output = call("import", write(tmp_path, bundle(), "in.zip"), "--owner", professional.email)
    first = Portfolio.objects.get(pk=json.loads(output)["id"])
    call("export", str(first.pk), "--out", str(tmp_path / "out.zip"))
    output = call("import", str(tmp_path / "out.zip"), "--owner", professional.email)
    second = Portfolio.objects.get(pk=json.loads(output)["id"])

    assert by_content(*bundle_contents((tmp_path / "out.zip").read_bytes())) == by_content(
        loopbaan_document(), LOOPBAAN_FILES
    )
    expected = json.loads(
        call("evaluate", write(tmp_path, loopbaan_document(), "doc.json"), "--as-of", "2026-11-22")
    )
    assert evaluate_portfolio(second, as_of=AS_OF).to_json() == expected


@pytest.mark.parametrize(("document", "path", "message"), INVALID, ids=INVALID_IDS)
def test_command_exits_2_naming_the_path(tmp_path, professional, document, path, message):
    before = counts()
    target = write(tmp_path, bundle(document), "in.zip")
    with pytest.raises(CommandError) as error:
        call("import", target, "--owner", professional.email)
    assert error.value.returncode == 2
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)
    assert counts() == before


@pytest.mark.parametrize(("document", "path", "message"), INVALID[:6], ids=INVALID_IDS[:6])
def test_evaluate_exits_2_naming_the_path(tmp_path, document, path, message):
    with pytest.raises(CommandError) as error:
        call("evaluate", write(tmp_path, document, "doc.json"))
    assert error.value.returncode == 2
    assert str(error.value).startswith(f"{path}: ")


# --- The API -----------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_api_export_bundle_and_evaluation(professional):
    portfolio = import_bundle(bundle(), owner=professional)
    client = api(professional)

    exported = client.get(f"/api/v1/portfolios/{portfolio.pk}/export/")
    assert exported.status_code == 200
    assert exported.json()["framework"] == "loopbaanprofessional-initial"
    assert exported.json()["education"]["route"] == 2

    zipped = client.get(f"/api/v1/portfolios/{portfolio.pk}/bundle/")
    assert zipped.status_code == 200
    raw = b"".join(zipped.streaming_content)
    assert by_content(*bundle_contents(raw)) == by_content(loopbaan_document(), LOOPBAAN_FILES)

    evaluation = client.get(
        f"/api/v1/portfolios/{portfolio.pk}/evaluation/", {"as_of": "2026-11-22"}
    )
    assert evaluation.status_code == 200
    assert evaluation.json()["submittable"] is True
    assert evaluation.json()["coverage"]["tasks"]["3"]["cases"] == ["described", "not_relevant"]


def test_api_import_of_a_bundle(professional):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.zip", bundle(), content_type="application/zip")
    response = api(professional).post("/api/v1/portfolios/import/", {"bundle": upload})
    assert response.status_code == 201
    portfolio = Portfolio.objects.get(pk=response.json()["id"])
    assert portfolio.cases.count() == 2


@pytest.mark.parametrize(("document", "path", "message"), INVALID, ids=INVALID_IDS)
def test_api_import_is_400_naming_the_path(professional, document, path, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = counts()
    upload = SimpleUploadedFile("p.zip", bundle(document), content_type="application/zip")
    response = api(professional).post("/api/v1/portfolios/import/", {"bundle": upload})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["path"] == path
    assert message in error["message"]
    assert counts() == before


@pytest.mark.parametrize(("document", "path", "message"), INVALID[:6], ids=INVALID_IDS[:6])
def test_api_evaluate_is_400_naming_the_path(professional, document, path, message):
    response = api(professional).post("/api/v1/evaluate/", document, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == path
