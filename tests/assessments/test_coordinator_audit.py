"""The audit trail of a portfolio: every recorded event with a Dutch label, who and when."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from assessments.trail import ACTION_LABELS, label_of
from portfolios.models import PortfolioState
from portfolios.services import record
from tests.factories import Role, user_with
from tests.portfolios.factories import PortfolioFactory

pytestmark = pytest.mark.django_db


def trail(pk):
    return reverse("assessments:certification_audit", args=[pk])


def some_history(portfolio, coordinator, assessor):
    record(portfolio=portfolio, by=portfolio.owner, action="section_saved", section="a1")
    record(portfolio=portfolio, by=portfolio.owner, action="submitted", submission=1)
    record(
        portfolio=portfolio,
        by=coordinator,
        action="assessor_assigned",
        round=1,
        assessor=assessor.pk,
    )
    record(portfolio=portfolio, by=assessor, action="declined", round=1, reason="Oud-collega")
    record(portfolio=portfolio, by=assessor, action="advised", round=1, outcome="supplement")
    record(portfolio=portfolio, by=None, action="supplement_deadline_passed")
    record(
        portfolio=portfolio,
        by=coordinator,
        action="decided",
        outcome="positive",
        decided_on="2026-01-15",
        valid_from="2026-04-01",
        valid_until="2030-03-31",
    )


def test_the_trail_names_each_step_who_and_when_in_dutch(client, certification_coordinator):
    portfolio = PortfolioFactory(state=PortfolioState.DECIDED)
    assessor = user_with(Role.ASSESSOR, full_name="Astrid Assessor")
    some_history(portfolio, certification_coordinator, assessor)
    client.force_login(certification_coordinator)
    body = client.get(trail(portfolio.pk)).content.decode()
    for label in (
        "Onderdeel opgeslagen",
        "Ingediend",
        "Assessor toegewezen",
        "Assessor heeft afgezien",
        "Advies uitgebracht",
        "Termijn voor aanvulling verstreken",
        "Besluit vastgelegd",
    ):
        assert label in body
    assert "assessor: Astrid Assessor" in body
    assert "reden: Oud-collega" in body
    assert "uitkomst: Aanvulling gevraagd" in body
    assert "geldig tot en met: 31-03-2030" in body
    assert escape(str(certification_coordinator)) in body and "het portaal" in body
    # Newest first.
    assert body.index("Besluit vastgelegd") < body.index("Onderdeel opgeslagen")


def test_every_transition_of_the_workflow_has_a_dutch_label():
    for action in (
        "submitted",
        "resubmitted",
        "assessor_assigned",
        "declared",
        "declined",
        "judged",
        "advised",
        "supplement_requested",
        "supplement_deadline_passed",
        "decided",
        "withdrawn",
        "section_saved",
    ):
        assert action in ACTION_LABELS
    assert label_of("something_new") == "something_new"


def test_staff_see_the_trail_of_a_draft_and_the_coordinator_does_not(
    client, staff, certification_coordinator
):
    draft = PortfolioFactory()
    record(portfolio=draft, by=draft.owner, action="created", version="2024.1")
    client.force_login(staff)
    assert "Portfolio aangemaakt" in client.get(trail(draft.pk)).content.decode()
    client.force_login(certification_coordinator)
    assert client.get(trail(draft.pk)).status_code == 404


def test_the_trail_costs_the_same_queries_for_a_short_and_a_long_history(
    client, certification_coordinator, django_assert_num_queries
):
    portfolio = PortfolioFactory(state=PortfolioState.IN_ASSESSMENT)
    assessor = user_with(Role.ASSESSOR)
    record(
        portfolio=portfolio,
        by=certification_coordinator,
        action="assessor_assigned",
        round=1,
        assessor=assessor.pk,
    )
    client.force_login(certification_coordinator)
    with CaptureQueriesContext(connection) as one:
        client.get(trail(portfolio.pk))
    for _ in range(4):
        some_history(portfolio, certification_coordinator, user_with(Role.ASSESSOR))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(trail(portfolio.pk))


def test_a_long_trail_pages_by_50(client, certification_coordinator):
    portfolio = PortfolioFactory(state=PortfolioState.SUBMITTED)
    for index in range(51):
        record(portfolio=portfolio, by=portfolio.owner, action="section_saved", section=str(index))
    client.force_login(certification_coordinator)
    assert len(client.get(trail(portfolio.pk)).context["entries"]) == 50
    assert len(client.get(trail(portfolio.pk), {"pagina": 2}).context["entries"]) == 1


def test_odd_stored_details_still_show(client, certification_coordinator):
    portfolio = PortfolioFactory(state=PortfolioState.SUBMITTED)
    record(portfolio=portfolio, by=None, action="decided", decided_on="gisteren", assessor="x")
    event = portfolio.events.get()
    event.detail = ["geen", "woordenboek"]
    event.save()
    record(portfolio=portfolio, by=None, action="decided", decided_on="gisteren", assessor=99999)
    client.force_login(certification_coordinator)
    response = client.get(trail(portfolio.pk))
    assert response.status_code == 200
    assert "datum besluit: gisteren" in response.content.decode()
