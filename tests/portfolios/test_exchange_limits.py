"""Exchange input within limits: who may import (the same rule as the page that starts a
portfolio). Every refusal writes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from noloc_portal.documents.models import Document
from portfolios.models import Portfolio
from tests.portfolios.exchange_samples import jobcoach_document, make_bundle

IMPORT = "/api/v1/portfolios/import/"


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
