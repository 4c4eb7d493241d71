"""Exchange input within limits (portfolios/exchange/decode.py and bundle.py): who may import,
documents that nest too deep or hold numbers out of range, oversized bodies, bundles that unpack
too far, hold too many files or compress suspiciously, and streaming. Every refusal writes
nothing."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

from noloc_portal.documents.models import Document
from portfolios.api.views import PortfolioViewSet
from portfolios.evaluation.common import DocumentError
from portfolios.exchange import bundle as bundle_module
from portfolios.exchange.bundle import Bundle
from portfolios.exchange.decode import MAX_DEPTH
from portfolios.exchange.storage import _fits, import_bundle
from portfolios.jobcoach.services import PEActivity
from portfolios.models import Portfolio
from tests.pdf_files import large_pdf
from tests.portfolios.exchange_samples import (
    EVIDENCE_FILES,
    PDF,
    jobcoach_document,
    loopbaan_document,
    make_bundle,
)

IMPORT = "/api/v1/portfolios/import/"
EVALUATE = "/api/v1/evaluate/"
MB = 1024 * 1024


def padding(size: int) -> bytes:
    """Random bytes to make a PDF large, without "%": a last line ending in "%" would read to
    pypdf as a truncated EOF marker (about one run in 256)."""
    return os.urandom(size).replace(b"%", b"#")


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


def bundle_with(extra: dict[str, bytes], *, level: int = 6) -> bytes:
    """A valid Jobcoach bundle with ``extra`` members besides the evidence, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("portfolio.json", json.dumps(jobcoach_document()))
        for name, data in (EVIDENCE_FILES | extra).items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def many_large_files() -> bytes:
    """21 files of 10,000,000 bytes: each passes the per-file cap (10 MiB), together they unpack
    past the default total cap (200 MiB). Zeros, so the zip itself is small (about 1 MB)."""
    assert settings.UPLOAD_MAX_BYTES >= 10_000_000
    assert settings.EXCHANGE_BUNDLE_MAX_BYTES < 21 * 10_000_000
    padded = PDF + b"\0" * (10_000_000 - len(PDF))
    return bundle_with({f"bijlage-{i}.pdf": padded for i in range(21)}, level=1)


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


# --- Bundles: judged by the central directory before anything is read -----------------------


def test_many_files_each_within_the_file_cap_that_unpack_past_the_total_are_refused(
    professional, nothing_written, many_large_files
):
    assert len(many_large_files) < 2 * MB

    with pytest.raises(DocumentError) as error:
        import_bundle(many_large_files, owner=professional)

    assert error.value.path == ""
    assert "unpacks to more than the maximum of 209715200 bytes" in error.value.message


def test_a_bundle_that_unpacks_past_the_total_cap_is_refused(
    professional, nothing_written, settings
):
    settings.EXCHANGE_BUNDLE_MAX_BYTES = 100_000
    bundle = bundle_with({"bijlage.pdf": PDF + padding(100_000)})

    with pytest.raises(DocumentError, match="unpacks to more than the maximum of 100000 bytes"):
        import_bundle(bundle, owner=professional)


def test_a_bundle_with_too_many_entries_is_refused(professional, settings):
    settings.EXCHANGE_BUNDLE_MAX_ENTRIES = 6  # portfolio.json and the five evidence files
    files = stored_files()

    with pytest.raises(DocumentError, match="the bundle holds more than 6 files"):
        import_bundle(bundle_with({"extra.pdf": PDF}), owner=professional)

    assert (Portfolio.objects.count(), Document.objects.count(), stored_files()) == (0, 0, files)
    assert import_bundle(bundle_with({}), owner=professional).cv is not None


def test_a_directory_larger_than_its_allowed_entries_need_is_refused_before_it_is_parsed(
    professional, nothing_written, monkeypatch
):
    raw = bytearray(make_bundle(jobcoach_document()))
    # The end record's "size of the central directory" field, forged to a gigabyte: parsing
    # that many entries would cost gigabytes of memory.
    end = raw.rfind(b"PK\x05\x06")
    struct.pack_into("<L", raw, end + 12, 1024**3)

    def parse(*args, **kwargs):
        raise AssertionError("the directory was parsed")

    monkeypatch.setattr(zipfile, "ZipFile", parse)

    with pytest.raises(DocumentError, match="the bundle holds more than 500 files"):
        import_bundle(bytes(raw), owner=professional)


def test_a_file_compressed_like_a_zip_bomb_is_refused(professional, nothing_written):
    # 5 MB of zeros: within the file and total caps, but deflated about 1000 to 1.
    bomb = PDF + b"\0" * (5 * MB)

    with pytest.raises(DocumentError, match="compressed more than 100 to 1"):
        import_bundle(bundle_with({"cert.pdf": bomb}), owner=professional)


def test_a_small_repetitive_file_is_not_judged_by_its_ratio(professional):
    portfolio = import_bundle(bundle_with({"cert.pdf": PDF + b"\0" * 500_000}), owner=professional)
    assert portfolio.pe_activities.filter(evidence__size=len(PDF) + 500_000).exists()


# --- Bundles: enforced again while reading ---------------------------------------------------


def test_a_member_larger_than_its_declared_size_is_refused(professional, nothing_written):
    raw = bytearray(bundle_with({"cert.pdf": PDF + padding(200_000)}))
    # Declare 100 bytes for cert.pdf in its central-directory entry (46 bytes before its name;
    # the uncompressed size is at offset 24).
    entry = raw.find(b"cert.pdf", raw.find(b"PK\x01\x02")) - 46
    assert raw[entry : entry + 4] == b"PK\x01\x02"
    struct.pack_into("<L", raw, entry + 24, 100)

    with pytest.raises(DocumentError, match=r"'cert\.pdf' cannot be read from the bundle"):
        import_bundle(bytes(raw), owner=professional)


@pytest.fixture
def lying_sizes(monkeypatch):
    """Every evidence member unpacks to 4,000 bytes whatever its directory entry declares (the
    sample files declare fewer than 200): only the count while unpacking can stop them."""
    real_open = Bundle._open

    def open_member(self, name):
        if name == "portfolio.json":
            return real_open(self, name)
        return bundle_module._Member(io.BytesIO(PDF + b"%" * (4000 - len(PDF))), name)

    monkeypatch.setattr(Bundle, "_open", open_member)


def test_unpacking_counts_the_total_read_not_the_total_declared(
    professional, nothing_written, settings, lying_sizes
):
    settings.EXCHANGE_BUNDLE_MAX_BYTES = 10_000

    with pytest.raises(DocumentError) as error:
        import_bundle(make_bundle(jobcoach_document()), owner=professional)

    assert str(error.value) == "the bundle unpacks to more than the maximum of 10000 bytes"


def test_unpacking_stops_a_file_at_the_file_cap_while_reading(
    professional, nothing_written, settings, lying_sizes
):
    settings.UPLOAD_MAX_BYTES = 1000

    with pytest.raises(DocumentError) as error:
        import_bundle(make_bundle(jobcoach_document()), owner=professional)

    assert str(error.value) == "a1.cv: file 'cv.pdf' is larger than the maximum of 1000 bytes"


# --- Bundles: streamed, never held in memory whole -------------------------------------------


@pytest.fixture
def pdf_reader_loaded():
    """pypdf, imported on the first upload, loaded before a test measures memory: its modules
    are not the bundle's bytes, and the test passes whether or not an earlier test loaded it."""
    import pypdf  # noqa: F401


def test_a_bundle_file_is_imported_without_holding_its_bytes_in_memory(
    professional, tmp_path, pdf_reader_loaded
):
    large = large_pdf(9 * MB)
    size = len(large)
    path = tmp_path / "bundle.zip"
    path.write_bytes(make_bundle(jobcoach_document(), EVIDENCE_FILES | {"cert.pdf": large}))
    del large

    tracemalloc.start()
    try:
        with path.open("rb") as source:
            portfolio = import_bundle(source, owner=professional)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 3 * MB, peak
    evidence = portfolio.pe_activities.get(title="Cursus").evidence
    assert evidence.size == size


def test_the_api_streams_an_uploaded_bundle_to_disk(professional, pdf_reader_loaded):
    large = large_pdf(9 * MB)
    size = len(large)
    bundle = make_bundle(jobcoach_document(), EVIDENCE_FILES | {"cert.pdf": large})
    boundary = "grens"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="bundle"; filename="p.zip"\r\n'
            "Content-Type: application/zip\r\n\r\n"
        ).encode()
        + bundle
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = APIRequestFactory().post(
        IMPORT, body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    force_authenticate(request, user=professional)
    view = PortfolioViewSet.as_view({"post": "import_"})
    reverse("api-portfolio-detail", args=[1])  # loads the URLconf outside the measurement
    del large, bundle, body

    tracemalloc.start()
    try:
        response = view(request)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 201, response.data
    assert peak < 3 * MB, peak
    assert Document.objects.filter(size=size).exists()


def test_the_api_refuses_an_upload_larger_than_any_bundle_before_reading_it(
    professional, nothing_written, settings
):
    settings.EXCHANGE_BUNDLE_MAX_BYTES = 1000
    settings.EXCHANGE_BUNDLE_MAX_ENTRIES = 10
    # The smallest upload limit is the document's (5 MB): a plain portfolio.json fits it.
    oversized = PDF + padding(6 * MB)

    response = client_for(professional).post(
        IMPORT, {"bundle": upload(oversized)}, format="multipart"
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["path"] == "bundle"
    assert "the upload is larger than the maximum of 5242880 bytes" in error["message"]


def test_the_api_refuses_a_bundle_past_the_total_cap(
    professional, nothing_written, many_large_files
):
    response = client_for(professional).post(
        IMPORT, {"bundle": upload(many_large_files)}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "path": "",
                "message": "the bundle unpacks to more than the maximum of 209715200 bytes",
            }
        ]
    }
