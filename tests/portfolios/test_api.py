"""The portfolio REST API under /api/v1/ (exchange.md, Commands and endpoints) and the owner's
bundle download in the browser. Personas per house style §4: outsiders get 404."""

from __future__ import annotations

import io
from datetime import date

import pytest
import yaml
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessments.models import AssessmentRound, Assignment, AssignmentState
from noloc_portal.documents.models import Document
from portfolios.evaluation import evaluate
from portfolios.exchange.document import parse_document
from portfolios.exchange.storage import export_document, import_bundle
from portfolios.models import Portfolio, PortfolioState
from portfolios.services import evaluate_portfolio
from tests.factories import PASSWORD, Role, user_with
from tests.portfolios.exchange_samples import (
    EVIDENCE_FILES,
    LOOPBAAN_DOCUMENT,
    bundle_contents,
    by_content,
    jobcoach_document,
    loopbaan_document,
    make_bundle,
)
from tests.portfolios.factories import LoopbaanPortfolioFactory

AS_OF = date(2026, 11, 22)


@pytest.fixture
def portfolio(professional):
    return import_bundle(make_bundle(jobcoach_document()), owner=professional)


@pytest.fixture
def assigned_assessor(portfolio):
    portfolio.state = PortfolioState.IN_ASSESSMENT
    portfolio.save()
    assessor = user_with(Role.ASSESSOR)
    round_ = AssessmentRound.objects.create(portfolio=portfolio, number=1)
    Assignment.objects.create(round=round_, assessor=assessor, state=AssignmentState.JUDGING)
    return assessor


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, portfolio: Portfolio) -> str:
    return reverse(f"api-portfolio-{name}", args=[portfolio.pk])


def persona(request, name: str):
    """The user behind a persona name; ``None`` is anonymous."""
    return None if name == "anonymous" else request.getfixturevalue(name)


# --- Who sees what ---------------------------------------------------------------------------

READERS = {"professional": 200, "staff": 200, "assigned_assessor": 200}
OUTSIDERS = {"other_professional": 404, "assessor": 404, "anonymous": 403}


@pytest.mark.parametrize(("who", "expected"), (READERS | OUTSIDERS).items())
@pytest.mark.parametrize("name", ["detail", "evaluation"])
def test_detail_and_evaluation_for_whoever_may_read_the_portfolio(
    request, portfolio, name, who, expected
):
    request.getfixturevalue("assigned_assessor")
    response = client_for(persona(request, who)).get(url(name, portfolio))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    ({"professional": 200, "staff": 404, "assigned_assessor": 404} | OUTSIDERS).items(),
)
@pytest.mark.parametrize("name", ["export", "bundle"])
def test_export_and_bundle_are_for_the_owner_only(request, portfolio, name, who, expected):
    request.getfixturevalue("assigned_assessor")
    response = client_for(persona(request, who)).get(url(name, portfolio))
    assert response.status_code == expected


def test_unknown_portfolio_is_404(professional):
    response = client_for(professional).get("/api/v1/portfolios/999999/")
    assert response.status_code == 404


# --- List and detail -------------------------------------------------------------------------


def test_list_shows_only_own_portfolios_with_links(professional, other_professional, portfolio):
    import_bundle(make_bundle(jobcoach_document()), owner=other_professional)

    response = client_for(professional).get("/api/v1/portfolios/")

    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == portfolio.pk
    assert item["framework"] == "jobcoach-recertification"
    assert item["framework_version"] == "2024.1"
    assert item["state"] == "draft"
    assert item["recertification_date"] == "2027-03-31"
    assert item["submitted_at"] is None
    assert {"created_at", "updated_at"} <= item.keys()
    assert item["links"]["export"].endswith(f"/api/v1/portfolios/{portfolio.pk}/export/")
    assert item["links"]["bundle"].endswith(f"/api/v1/portfolios/{portfolio.pk}/bundle/")
    assert item["links"]["evaluation"].endswith(f"/api/v1/portfolios/{portfolio.pk}/evaluation/")


def test_serializer_fields_are_built_once_and_each_instance_gets_its_own():
    from portfolios.api.serializers import PortfolioSerializer

    first, second = PortfolioSerializer(), PortfolioSerializer()

    assert list(first.fields) == list(second.fields) == PortfolioSerializer.Meta.fields
    assert "_built_fields" in PortfolioSerializer.__dict__
    assert first.fields["state"] is not second.fields["state"]
    assert first.fields["links"].parent is first and second.fields["links"].parent is second


def test_a_loopbaan_portfolio_has_no_recertification_date(professional, portfolio):
    loopbaan = LoopbaanPortfolioFactory(owner=professional)
    client = client_for(professional)
    assert client.get(url("detail", portfolio)).json()["recertification_date"] == "2027-03-31"
    assert client.get(url("detail", loopbaan)).json()["recertification_date"] is None
    listed = {item["id"]: item for item in client.get("/api/v1/portfolios/").json()}
    assert listed[loopbaan.pk]["recertification_date"] is None
    assert listed[portfolio.pk]["recertification_date"] == "2027-03-31"


def test_detail_for_a_reader_who_is_not_the_owner_has_no_export_links(staff, portfolio):
    links = client_for(staff).get(url("detail", portfolio)).json()["links"]
    assert set(links) == {"self", "evaluation"}


@pytest.mark.parametrize("count", [1, 10])
def test_list_issues_the_same_number_of_queries_for_1_and_10(
    professional, django_assert_num_queries, count
):
    for _ in range(count):
        Portfolio.objects.create(owner=professional, framework="jobcoach-recertification",
                                 framework_version="2024.1")  # fmt: skip
    client = client_for(professional)
    # Session, the user with their roles and devices, the portfolios.
    with django_assert_num_queries(3):
        response = client.get("/api/v1/portfolios/")
    assert len(response.json()) == count


# --- Export and evaluation -------------------------------------------------------------------


def test_export_returns_the_noloc_portfolio_document(professional, portfolio):
    response = client_for(professional).get(url("export", portfolio))
    assert response.status_code == 200
    assert response.json() == export_document(portfolio)
    assert response.json()["format"] == "noloc-portfolio/1"


def test_bundle_imports_again_as_an_equal_portfolio(professional, portfolio):
    client = client_for(professional)
    response = client.get(url("bundle", portfolio))
    assert response["Content-Type"] == "application/zip"
    assert f'filename="portfolio-{portfolio.pk}.zip"' in response["Content-Disposition"]
    bundle = b"".join(response.streaming_content)

    upload = io.BytesIO(bundle)
    upload.name = "portfolio.zip"
    created = client.post("/api/v1/portfolios/import/", {"bundle": upload}, format="multipart")

    assert created.status_code == 201, created.json()
    again = Portfolio.objects.get(pk=created.json()["id"])
    assert created["Location"].endswith(f"/api/v1/portfolios/{again.pk}/")
    again_bundle = b"".join(client.get(url("bundle", again)).streaming_content)
    assert by_content(*bundle_contents(bundle)) == by_content(*bundle_contents(again_bundle))
    assert (
        client.get(url("evaluation", again), {"as_of": "2026-11-22"}).json()
        == client.get(url("evaluation", portfolio), {"as_of": "2026-11-22"}).json()
    )


def test_bundle_honours_accept_application_zip(professional, other_professional, portfolio):
    response = client_for(professional).get(url("bundle", portfolio), HTTP_ACCEPT="application/zip")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")

    outsider = client_for(other_professional)
    assert outsider.get(url("bundle", portfolio), HTTP_ACCEPT="application/zip").status_code == 404


def test_evaluation_is_the_engines_verdict(professional, portfolio):
    response = client_for(professional).get(url("evaluation", portfolio), {"as_of": "2026-11-22"})
    assert response.status_code == 200
    assert response.json() == evaluate_portfolio(portfolio, as_of=AS_OF).to_json()
    assert response.json()["as_of"] == "2026-11-22"


@pytest.mark.parametrize("value", ["22-11-2026", "2026-02-30", "morgen"])
def test_evaluation_with_a_bad_as_of_is_400_naming_as_of(professional, portfolio, value):
    response = client_for(professional).get(url("evaluation", portfolio), {"as_of": value})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["path"] == "as_of"


def test_evaluation_for_the_assigned_assessor_counts_its_queries(
    assigned_assessor, portfolio, django_assert_max_num_queries
):
    client = client_for(assigned_assessor)
    # The authenticator that verified the session is checked in the user's query.
    with django_assert_max_num_queries(11):
        response = client.get(url("evaluation", portfolio))
    assert response.status_code == 200


# --- Import ----------------------------------------------------------------------------------

IMPORT = "/api/v1/portfolios/import/"


def test_import_a_plain_document_without_files(professional):
    document = jobcoach_document()
    response = client_for(professional).post(f"{IMPORT}?without_files=true", document,
                                             format="json")  # fmt: skip
    assert response.status_code == 201
    portfolio = Portfolio.objects.get(pk=response.json()["id"])
    assert portfolio.owner == professional
    assert portfolio.state == "draft"
    assert portfolio.events.get().actor == professional


@pytest.mark.parametrize(
    ("document", "path", "message"),
    [
        (jobcoach_document(pe_activities=[{"type": "course", "date": "2025-01-01", "sbu": -1}]),
         "pe_activities[0].sbu", "must be a positive number"),
        (jobcoach_document(), "a1.cv", "cannot be resolved"),
        (loopbaan_document(education={"route": 5}), "education.route", "must be 1, 2, 3 or 4"),
        ({"format": "iets"}, "format", "must be 'noloc-portfolio/1'"),
    ],
    ids=["negative", "evidence-without-bundle", "loopbaan-route", "format"],
)  # fmt: skip
def test_import_of_an_invalid_document_is_400_and_writes_nothing(
    professional, document, path, message
):
    response = client_for(professional).post(IMPORT, document, format="json")

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert set(error) == {"path", "message"}
    assert error["path"] == path
    assert message in error["message"]
    assert (Portfolio.objects.count(), Document.objects.count()) == (0, 0)


def test_import_of_unreadable_json_is_400_in_the_same_shape(professional):
    response = client_for(professional).post(IMPORT, "{nope", content_type="application/json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["path"] == "$"
    assert "not valid JSON" in error["message"]


def test_import_of_a_bundle_with_a_missing_file_is_400_and_writes_nothing(professional):
    files = {k: v for k, v in EVIDENCE_FILES.items() if k != "cert.pdf"}
    upload = io.BytesIO(make_bundle(jobcoach_document(), files))
    upload.name = "portfolio.zip"

    response = client_for(professional).post(IMPORT, {"bundle": upload}, format="multipart")

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {"path": "pe_activities[0].evidence", "message": "file 'cert.pdf' is not in the bundle"}
        ]
    }
    assert (Portfolio.objects.count(), Document.objects.count()) == (0, 0)


def test_import_multipart_without_a_bundle_is_400(professional):
    response = client_for(professional).post(IMPORT, {"other": "x"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "bundle"


def test_import_by_anonymous_is_refused(db):
    response = APIClient().post(IMPORT, jobcoach_document(), format="json")
    assert response.status_code in (401, 403)
    assert not Portfolio.objects.exists()


# --- Evaluate a posted document --------------------------------------------------------------


@pytest.mark.parametrize("document", [jobcoach_document(), LOOPBAAN_DOCUMENT], ids=["jc", "lp"])
def test_evaluate_a_posted_document_without_storing_it(professional, document):
    response = client_for(professional).post("/api/v1/evaluate/?as_of=2026-11-22", document,
                                             format="json")  # fmt: skip
    assert response.status_code == 200
    assert response.json() == evaluate(parse_document(document), as_of=AS_OF).to_json()
    assert not Portfolio.objects.exists()


def test_evaluate_an_invalid_document_is_400_naming_the_path(professional):
    document = jobcoach_document(pe_activities=[{"type": "juggling"}])
    response = client_for(professional).post("/api/v1/evaluate/", document, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"path": "pe_activities[0].type", "message": "unknown activity type 'juggling'"}]
    }


def test_evaluate_with_a_bad_as_of_is_400(professional):
    response = client_for(professional).post("/api/v1/evaluate/?as_of=2025-02-30",
                                             jobcoach_document(), format="json")  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "as_of"


def test_evaluate_by_anonymous_is_refused(db):
    response = APIClient().post("/api/v1/evaluate/", jobcoach_document(), format="json")
    assert response.status_code in (401, 403)


# --- Token authentication --------------------------------------------------------------------


def test_token_from_email_and_password_opens_the_api(professional, portfolio):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": professional.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=professional).key == token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert [p["id"] for p in client.get("/api/v1/portfolios/").json()] == [portfolio.pk]


def test_token_with_a_wrong_password_is_400(professional):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": professional.email, "password": "fout"}
    )
    assert response.status_code == 400


# --- OpenAPI ---------------------------------------------------------------------------------


def test_schema_is_a_valid_openapi_3_document_with_every_path(db):
    response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/auth/token/",
        "/api/v1/evaluate/",
        "/api/v1/portfolios/",
        "/api/v1/portfolios/{id}/",
        "/api/v1/portfolios/{id}/export/",
        "/api/v1/portfolios/{id}/bundle/",
        "/api/v1/portfolios/{id}/evaluation/",
        "/api/v1/portfolios/import/",
    } <= set(schema["paths"])
    errors = schema["components"]["schemas"]["Errors"]
    assert errors["properties"]["errors"]["type"] == "array"


def test_swagger_ui_is_served(db):
    response = APIClient().get("/api/v1/docs/")
    assert response.status_code == 200


# --- Browser: the owner downloads the whole portfolio -----------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("professional", 200), ("other_professional", 404), ("staff", 404), ("anonymous", 302)],
)
def test_bundle_download_in_the_browser_is_for_the_owner(request, client, portfolio, who, expected):
    user = persona(request, who)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("portfolios:bundle", args=[portfolio.pk]))
    assert response.status_code == expected
    if expected == 200:
        document, files = bundle_contents(b"".join(response.streaming_content))
        assert document == export_document(portfolio)
        assert len(files) == len(EVIDENCE_FILES)


def test_bundle_download_query_count(professional, portfolio, client, django_assert_num_queries):
    client.force_login(professional)
    # Session, the user with their roles and devices, portfolio, then the snapshot: portfolio
    # with documents, meetings with statements, confirmations, activities with evidence.
    with django_assert_num_queries(9):
        response = client.get(reverse("portfolios:bundle", args=[portfolio.pk]))
    assert response.status_code == 200
    assert bundle_contents(b"".join(response.streaming_content))[0]["format"] == (
        "noloc-portfolio/1"
    )
