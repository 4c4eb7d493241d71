"""Exchange input within limits: who may import (the same rule as the page that starts a
portfolio), documents that nest too deep or hold numbers out of range (portfolios/exchange/
decode.py), oversized bodies. Every refusal writes nothing."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from noloc_portal.documents.models import Document
from portfolios.evaluation.common import DocumentError
from portfolios.exchange.decode import MAX_DEPTH
from portfolios.exchange.storage import _fits, import_bundle
from portfolios.models import PEActivity, Portfolio
from tests.portfolios.exchange_samples import (
    jobcoach_document,
    loopbaan_document,
    make_bundle,
)

IMPORT = "/api/v1/portfolios/import/"
EVALUATE = "/api/v1/evaluate/"
MB = 1024 * 1024


def stored_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


@pytest.fixture
def nothing_written(db):
    """Asserts that the test leaves portfolios, documents and stored files as they were."""
    before = (Portfolio.objects.count(), Document.objects.count(), stored_files())
    yield
    assert (Portfolio.objects.count(), Document.objects.count(), stored_files()) == before


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def upload(data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = "portfolio.zip"
    return file


# --- Who may import --------------------------------------------------------------------------


NOT_PROFESSIONALS = ["assessor", "circle_coordinator", "certification_coordinator", "staff"]


def post_import(user, kind: str):
    if kind == "bundle":
        data = {"bundle": upload(make_bundle(jobcoach_document()))}
        return client_for(user).post(IMPORT, data, format="multipart")
    return client_for(user).post(f"{IMPORT}?without_files=true", jobcoach_document(),
                                 format="json")  # fmt: skip


@pytest.mark.parametrize("who", NOT_PROFESSIONALS)
@pytest.mark.parametrize("kind", ["document", "bundle"])
def test_only_a_professional_may_import_through_the_api(request, nothing_written, who, kind):
    response = post_import(request.getfixturevalue(who), kind)
    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["document", "bundle"])
def test_a_professional_imports_through_the_api(professional, kind):
    response = post_import(professional, kind)
    assert response.status_code == 201
    assert Portfolio.objects.get(pk=response.json()["id"]).owner == professional


@pytest.mark.parametrize("who", NOT_PROFESSIONALS)
def test_the_command_refuses_an_owner_who_is_not_a_professional(
    request, tmp_path, nothing_written, who
):
    file = tmp_path / "bundle.zip"
    file.write_bytes(make_bundle(jobcoach_document()))
    owner = request.getfixturevalue(who)

    with pytest.raises(CommandError, match=r"--owner: .* is not a professional") as error:
        call_command("portfolio", "import", str(file), "--owner", owner.email)

    assert error.value.returncode == 2


@pytest.mark.parametrize("who", NOT_PROFESSIONALS)
def test_the_page_that_starts_a_portfolio_refuses_the_same_people(request, client, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("portfolios:new"), {"framework": "jobcoach-recertification"})
    assert response.status_code == 404
    assert not Portfolio.objects.exists()


# --- Documents: nesting and numbers ----------------------------------------------------------


def deeply_nested(levels: int = 10_000) -> str:
    """A Jobcoach document whose a2.report is an array nested ``levels`` deep."""
    document = json.dumps(jobcoach_document(a2={"report": "@"}))
    return document.replace('"@"', "[" * levels + "]" * levels)


DEEP_PATH = "a2.report" + "[0]" * (MAX_DEPTH - 2)

MALFORMED = {
    "nested-10000": (deeply_nested(), DEEP_PATH, f"nests deeper than {MAX_DEPTH} levels"),
    "sbu-1e300": ('{"type": "course", "date": "2025-01-01", "sbu": 1e300}',
                  "pe_activities[0].sbu", "is too large"),
    "sbu-1e400": ('{"type": "course", "date": "2025-01-01", "sbu": 1e400}',
                  "pe_activities[0].sbu", "is too large"),
    "sbu-5000-digits": ('{"type": "course", "date": "2025-01-01", "sbu": 1' + "0" * 5000 + "}",
                        "pe_activities[0].sbu", "is too large"),
    "sbu-nan": ('{"type": "course", "date": "2025-01-01", "sbu": NaN}',
                "pe_activities[0].sbu", "NaN is not a number JSON allows"),
    "hours-infinity": ('{"type": "workshop", "date": "2025-01-01", "hours": -Infinity}',
                       "pe_activities[0].hours", "-Infinity is not a number JSON allows"),
}  # fmt: skip


def malformed(case: str) -> tuple[str, str, str]:
    text, path, message = MALFORMED[case]
    if text.startswith('{"type"'):
        document = json.dumps(jobcoach_document(pe_activities=["@"]))
        text = document.replace('"@"', text)
    return text, path, message


@pytest.mark.parametrize("case", MALFORMED)
@pytest.mark.parametrize("endpoint", [EVALUATE, f"{IMPORT}?without_files=true"])
def test_a_malformed_document_is_a_json_400_naming_the_path(
    professional, nothing_written, endpoint, case
):
    text, path, message = malformed(case)

    response = client_for(professional).post(endpoint, text, content_type="application/json")

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["path"] == path
    assert message in error["message"]


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_document_exits_2_naming_the_path(
    tmp_path, professional, nothing_written, case
):
    text, path, message = malformed(case)
    file = tmp_path / "portfolio.json"
    file.write_text(text)

    for args in (["evaluate", str(file)], ["import", str(file), "--owner", professional.email,
                                           "--without-files"]):  # fmt: skip
        with pytest.raises(CommandError) as error:
            call_command("portfolio", *args)
        assert error.value.returncode == 2
        assert str(error.value).startswith(f"{path}: ")
        assert message in str(error.value)


@pytest.mark.parametrize("case", ["nested-10000", "sbu-1e300"])
def test_a_malformed_document_in_a_bundle_is_refused(professional, nothing_written, case):
    text, path, _ = malformed(case)
    with pytest.raises(DocumentError) as error:
        import_bundle(make_bundle(raw_document=text.encode()), owner=professional)
    assert error.value.path == path


def test_the_real_command_line_exits_2_without_a_traceback(tmp_path):
    text, path, _ = malformed("nested-10000")
    file = tmp_path / "portfolio.json"
    file.write_text(text)

    result = subprocess.run(
        [sys.executable, "manage.py", "portfolio", "evaluate", str(file)],
        cwd=settings.BASE_DIR,
        env=os.environ
        | {
            "DJANGO_SETTINGS_MODULE": "noloc_portal.settings.test",
            # evaluate needs no database
            "DATABASE_URL": "postgres://nobody@127.0.0.1:9/no-such-database",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{path}: " in result.stderr


def test_a_nan_in_an_unknown_field_is_refused_as_well(professional, nothing_written):
    text = json.dumps(jobcoach_document(extra="@")).replace('"@"', "NaN")
    response = client_for(professional).post(EVALUATE, text, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "extra"


def test_nesting_up_to_the_limit_is_accepted(professional):
    text = json.dumps(jobcoach_document(extra="@")).replace(
        '"@"', "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    )
    response = client_for(professional).post(EVALUATE, text, content_type="application/json")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("document", "path"),
    [
        (jobcoach_document(pe_activities=[{"type": "course", "date": "2025-01-01",
                                           "sbu": 100_000}]), "pe_activities[0].sbu"),
        (jobcoach_document(pe_activities=[{"type": "workshop", "date": "2025-01-01",
                                           "hours": 99_999.95}]), "pe_activities[0].hours"),
        (loopbaan_document(experience={"years_active": 1000}), "experience.years_active"),
    ],
    ids=["sbu", "hours-decimals", "years"],
)  # fmt: skip
def test_a_number_that_does_not_fit_its_column_is_a_json_400(
    professional, nothing_written, document, path
):
    response = client_for(professional).post(f"{IMPORT}?without_files=true", document,
                                             format="json")  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == path


def test_the_column_check_never_quantizes_a_number_beyond_the_decimal_context():
    # The reader caps numbers already; the column check must not depend on it.
    with pytest.raises(DocumentError, match="is too large"):
        _fits(PEActivity, {"sbu": 1e300}, {"sbu": "pe_activities[0].sbu"})


# --- Oversized bodies ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [6 * MB, 12 * MB], ids=["over-the-document", "over-django"])
@pytest.mark.parametrize("endpoint", [EVALUATE, IMPORT])
def test_an_oversized_json_body_is_a_json_400(professional, nothing_written, endpoint, size):
    body = json.dumps(jobcoach_document(a2={"report": "x" * size}))

    response = client_for(professional).post(endpoint, body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "errors": [
            {"path": "$", "message": "the document is larger than the maximum of 5242880 bytes"}
        ]
    }


def test_an_oversized_form_field_is_a_json_400(professional, nothing_written, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client_for(professional).post(
        IMPORT, {"bundle": upload(make_bundle(jobcoach_document())), "note": "x" * 2000},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "$"


def test_an_oversized_file_on_the_command_line_exits_2(tmp_path):
    file = tmp_path / "portfolio.json"
    file.write_text(json.dumps(jobcoach_document(a2={"report": "x" * 6 * MB})))
    with pytest.raises(CommandError, match=r"^\$: the document is larger than") as error:
        call_command("portfolio", "evaluate", str(file))
    assert error.value.returncode == 2
