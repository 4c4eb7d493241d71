"""The assessor's and the certification coordinator's start pages: their lists, and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import AssessmentRound, Assignment
from portfolios.models import PortfolioState
from tests.portfolios.factories import PortfolioFactory

pytestmark = pytest.mark.django_db


def assigned_portfolio(assessor):
    portfolio = PortfolioFactory(state=PortfolioState.IN_ASSESSMENT)
    round_ = AssessmentRound.objects.create(portfolio=portfolio, number=1)
    Assignment.objects.create(round=round_, assessor=assessor)
    return portfolio


def test_assessor_sees_assigned_portfolios_with_a_link_to_the_declaration(client, assessor):
    portfolio = assigned_portfolio(assessor)
    assignment = Assignment.objects.get(round__portfolio=portfolio)
    client.force_login(assessor)
    body = client.get(reverse("assessments:assigned")).content.decode()
    assert reverse("assessments:assignment", args=[assignment.pk]) in body
    # AS-2: no content before the declaration of no conflict of interest.
    assert client.get(reverse("portfolios:detail", args=[portfolio.pk])).status_code == 404


def test_assessor_list_queries_do_not_grow(client, assessor, django_assert_num_queries):
    assigned_portfolio(assessor)
    client.force_login(assessor)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("assessments:assigned"))
    for _ in range(5):
        assigned_portfolio(assessor)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("assessments:assigned"))


def test_certification_list_queries_do_not_grow(
    client, certification_coordinator, assessor, django_assert_num_queries
):
    assigned_portfolio(assessor)
    client.force_login(certification_coordinator)
    # The first visit writes the filter form (it reads the assessors); later ones find it kept.
    client.get(reverse("assessments:certification"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("assessments:certification"))
    for _ in range(5):
        assigned_portfolio(assessor)
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(reverse("assessments:certification")).content.decode()
    # Each row names its assessor with the assignment's state; the filter lists them once.
    assert body.count(f"{assessor} <span") == 6


def test_as2_assign_one_assessor_to_a_jobcoach_round(certification_coordinator, assessor):
    from assessments.services import AssignmentError, assign_assessor
    from tests.factories import user_with

    portfolio = PortfolioFactory(state=PortfolioState.SUBMITTED)
    round_ = AssessmentRound.objects.create(portfolio=portfolio, number=1)
    assignment = assign_assessor(round=round_, assessor=assessor, by=certification_coordinator)
    assert assign_assessor(round=round_, assessor=assessor, by=certification_coordinator) == (
        assignment
    )
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.IN_ASSESSMENT
    with pytest.raises(AssignmentError, match="al 1 assessor"):
        assign_assessor(round=round_, assessor=user_with("assessor"), by=certification_coordinator)


def test_as2_an_assessor_never_assesses_their_own_portfolio(certification_coordinator):
    from assessments.services import AssignmentError, assign_assessor
    from tests.factories import user_with

    owner = user_with("professional", "assessor")
    portfolio = PortfolioFactory(owner=owner, state=PortfolioState.SUBMITTED)
    round_ = AssessmentRound.objects.create(portfolio=portfolio, number=1)
    with pytest.raises(AssignmentError, match="eigen portfolio"):
        assign_assessor(round=round_, assessor=owner, by=certification_coordinator)
