"""A date out of range or a text too long is refused at every door of a portfolio: the pages
(a Dutch message next to the field, nothing stored), the import and the API (the JSON path)."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portfolios.dossier import frozen_snapshot
from portfolios.evaluation.common import DocumentError
from portfolios.exchange.document import dump_document, parse_document
from portfolios.exchange.storage import import_document
from portfolios.jobcoach.models import PEActivity
from portfolios.models import Portfolio
from portfolios.services import portfolio_snapshot
from tests.portfolios.exchange_samples import jobcoach_document
from tests.portfolios.factories import CaseFactory, LoopbaanPortfolioFactory, PortfolioFactory

pytestmark = pytest.mark.django_db

FAR = "9999-12-31"
EVENT_RANGE = "Vul een datum in tussen 1 januari 1950 en 31 december 2100."


@pytest.fixture
def portfolio(professional):
    return PortfolioFactory(owner=professional)


def test_a_reflection_meeting_in_9999_is_refused_next_to_the_field(client, portfolio):
    client.force_login(portfolio.owner)
    response = client.post(
        reverse("portfolios:meetings", args=[portfolio.pk]),
        {"new-kind": "intervision", "new-date": FAR, "new-facilitator": "Jan Kok"},
    )
    assert response.status_code == 200
    assert EVENT_RANGE in response.content.decode()
    assert not portfolio.reflection_meetings.exists()


@pytest.mark.parametrize("day", ["1949-12-31", FAR])
def test_a_pe_activity_out_of_range_is_refused(client, portfolio, day):
    client.force_login(portfolio.owner)
    response = client.post(
        reverse("portfolios:pe_add", args=[portfolio.pk, "book"]),
        {"title": "Een boek", "date": day},
    )
    assert response.status_code == 200
    assert EVENT_RANGE in response.content.decode()
    assert not PEActivity.objects.exists()


def test_a_recertification_date_in_9999_does_not_start_a_portfolio(client, professional):
    client.force_login(professional)
    response = client.post(reverse("portfolios:new"), {"recertification_date": FAR})
    assert response.status_code == 200
    assert "Vul een datum in tussen 1 januari 1900" in response.content.decode()
    assert not professional.portfolios.exists()


def test_a_reflection_report_part_holds_at_most_20000_characters(client, portfolio):
    client.force_login(portfolio.owner)
    url = reverse("portfolios:report", args=[portfolio.pk])
    response = client.post(url, {"report_situation": "x" * 20_001})
    assert response.status_code == 200
    assert "20000" in response.content.decode()
    portfolio.jobcoach.refresh_from_db()
    assert portfolio.jobcoach.report_situation == ""
    assert client.post(url, {"report_situation": "x" * 20_000}).status_code == 302


def test_a_case_before_1950_or_with_a_task_too_long_is_refused(client, professional):
    portfolio = LoopbaanPortfolioFactory(owner=professional)
    case = CaseFactory(portfolio=portfolio, title="Casus")
    client.force_login(professional)
    response = client.post(
        reverse("portfolios:lp_case", args=[portfolio.pk, case.pk]),
        {"title": "Anders", "started": "1900-01-01", "task_1_text": "x" * 10_001},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert EVENT_RANGE in body and "10000" in body
    case.refresh_from_db()
    assert case.title == "Casus"


# --- Import and API --------------------------------------------------------------------------


def _meeting(**changes):
    meeting = jobcoach_document()["reflection_meetings"][0]
    return [meeting | changes]


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        (
            {"reflection_meetings": _meeting(date=FAR)},
            "reflection_meetings[0].date",
            "must be between 1950-01-01 and 2100-12-31",
        ),
        (
            {"pe_activities": [{"type": "book", "title": "Boek", "date": "1949-12-31"}]},
            "pe_activities[0].date",
            "must be between 1950-01-01 and 2100-12-31",
        ),
        (
            {"recertification_date": "1899-12-31"},
            "recertification_date",
            "must be between 1900-01-01 and 2100-12-31",
        ),
        (
            {"reflection_meetings": _meeting(date="２０２５-０５-１２")},
            "reflection_meetings[0].date",
            "must be a date written as YYYY-MM-DD",
        ),
    ],
    ids=["meeting-9999", "activity-1949", "recertification-1899", "wide-digits"],
)
def test_a_document_with_a_date_out_of_range_is_refused_naming_the_path(changes, path, message):
    with pytest.raises(DocumentError) as error:
        parse_document(jobcoach_document(**changes))
    assert (error.value.path, error.value.message) == (path, message)


def test_the_import_refuses_a_text_longer_than_the_form_takes(professional):
    document = jobcoach_document(a2={"report": "x" * 20_001})
    with pytest.raises(DocumentError) as error:
        import_document(document, owner=professional, without_files=True)
    assert str(error.value) == "a2.report: must be at most 20000 characters"
    assert not Portfolio.objects.exists()


def test_the_api_refuses_a_date_out_of_range(professional):
    client = APIClient()
    client.force_authenticate(professional)
    document = jobcoach_document(reflection_meetings=_meeting(date=FAR))
    response = client.post("/api/v1/evaluate/", document, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "reflection_meetings[0].date"
    response = client.post(f"/api/v1/evaluate/?as_of={FAR}", jobcoach_document(), format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "path": "as_of",
        "message": "must be between 1900-01-01 and 2100-12-31",
    }


def test_a_dossier_reads_a_date_stored_before_the_bounds(professional):
    portfolio = PortfolioFactory(owner=professional)
    PEActivity.objects.create(portfolio=portfolio, type="book", title="Oud", date=date(1900, 1, 1))
    document = dump_document(portfolio_snapshot(portfolio))
    submission = portfolio.submissions.create(
        number=1, submitted_by=professional, document=document, evaluation={}
    )
    with pytest.raises(DocumentError):
        parse_document(document)
    assert frozen_snapshot(submission).pe_activities[0].date == date(1900, 1, 1)
