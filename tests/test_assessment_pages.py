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


def test_assessor_sees_assigned_portfolios_with_a_link(client, assessor):
    portfolio = assigned_portfolio(assessor)
    client.force_login(assessor)
    body = client.get(reverse("assessments:assigned")).content.decode()
    assert reverse("portfolios:detail", args=[portfolio.pk]) in body
    assert client.get(reverse("portfolios:detail", args=[portfolio.pk])).status_code == 200


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
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("assessments:certification"))
    for _ in range(5):
        assigned_portfolio(assessor)
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(reverse("assessments:certification")).content.decode()
    assert body.count(str(assessor)) == 6
