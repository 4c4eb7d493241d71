"""The prepared queries of the portfolio pages give what their querysets give: the portfolio a
page reads, its latest submission and frozen verdict, the ids its links name, the circle
meetings the PE register offers."""

from datetime import date

import pytest
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from kwaliteitskringen.selectors import attended_meetings_of
from portfolios import pages, selectors, services
from portfolios.api import views as api_views
from portfolios.checklist import PortfolioPages
from portfolios.jobcoach import selectors as jobcoach_selectors
from portfolios.jobcoach import services as jobcoach_services
from portfolios.models import Portfolio, PortfolioState, Submission
from tests.kwaliteitskringen.factories import CircleFactory, held_meeting
from tests.portfolios.factories import (
    LoopbaanPortfolioFactory,
    PEActivityFactory,
    PortfolioFactory,
    ReflectionMeetingFactory,
)
from tests.portfolios.test_prepared_snapshots import fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolios():
    """Two Jobcoach portfolios of one owner with interleaved rows and submissions, an LP one."""
    first = PortfolioFactory(state=PortfolioState.SUBMITTED)
    second = PortfolioFactory(owner=first.owner)
    for day in (date(2025, 3, 1), date(2024, 1, 1), None):
        for portfolio in (first, second):
            ReflectionMeetingFactory(portfolio=portfolio, date=day)
            PEActivityFactory(portfolio=portfolio)
    verdict = services.evaluate_portfolio(first).to_json()
    for number in (2, 1, 3):
        Submission.objects.create(
            portfolio=first,
            number=number,
            submitted_by=first.owner,
            document={},
            evaluation={**verdict, "number": number},
        )
    return first, second, LoopbaanPortfolioFactory(owner=first.owner)


def test_the_page_reads_the_portfolio_as_its_queryset(portfolios):
    for portfolio in portfolios:
        values = {"pk": portfolio.pk}
        assert fields(pages._ANY_PORTFOLIO(**values)) == fields(
            pages._ANY_PORTFOLIO.queryset(**values)
        )
        for framework in ("jobcoach-recertification", "loopbaanprofessional-initial"):
            values = {"pk": portfolio.pk, "framework": framework}
            assert fields(pages._FRAMEWORK_PORTFOLIO(**values)) == fields(
                pages._FRAMEWORK_PORTFOLIO.queryset(**values)
            )


def test_portfolio_or_404(portfolios):
    first, _, loopbaan = portfolios
    request = RequestFactory().get("/")
    request.user = first.owner
    read = pages.portfolio_or_404(request, first.pk, framework=None)
    assert fields([read]) == fields(
        [Portfolio.objects.select_related("owner", "jobcoach").get(pk=first.pk)]
    )
    assert pages.portfolio_or_404(request, loopbaan.pk, framework=loopbaan.framework) == loopbaan
    with pytest.raises(Http404):
        pages.portfolio_or_404(request, loopbaan.pk, framework=first.framework)
    with pytest.raises(Http404):
        pages.portfolio_or_404(request, loopbaan.pk + 1000, framework=None)
    request.user = PortfolioFactory().owner
    with pytest.raises(Http404):
        pages.portfolio_or_404(request, first.pk, framework=None)


def test_the_latest_submission_and_its_frozen_verdict(portfolios, django_assert_num_queries):
    for portfolio in portfolios:
        expected = portfolio.submissions.order_by("-number").first()
        assert fields(selectors._SUBMISSIONS.rows(0, 1, portfolio=portfolio.pk)) == fields(
            Submission.objects.filter(portfolio=portfolio).order_by("-number")[:1]
        )
        latest = selectors.latest_submission(portfolio)
        assert fields([latest] if latest else []) == fields([expected] if expected else [])
        if latest is not None:
            with django_assert_num_queries(0):
                assert latest.portfolio is portfolio
        assert services._FROZEN.rows(0, 1, portfolio=portfolio.pk) == list(
            Submission.objects.filter(portfolio=portfolio)
            .order_by("-number")
            .values_list("evaluation", flat=True)[:1]
        )
        frozen = services.frozen_evaluation(portfolio)
        assert (frozen is None) == (expected is None)
    assert services.frozen_evaluation(portfolios[0]).extra["number"] == 3


def test_the_ids_the_overview_links_name(portfolios):
    for portfolio in portfolios:
        assert jobcoach_selectors.meeting_ids(portfolio) == list(
            portfolio.reflection_meetings.values_list("pk", flat=True)
        )
        assert jobcoach_selectors.activity_ids(portfolio) == list(
            portfolio.pe_activities.values_list("pk", flat=True)
        )


def test_the_attended_circle_meetings(portfolios):
    owner = portfolios[0].owner
    other = PortfolioFactory().owner
    for day in (date(2025, 6, 3), date(2025, 1, 10), date(2025, 6, 3)):
        held_meeting(CircleFactory(), day, present=[owner, other])
        held_meeting(CircleFactory(), day, present=[other], absent=[owner])
    for person in (owner, other):
        assert fields(jobcoach_services._ATTENDED(owner=person.pk)) == fields(
            attended_meetings_of(person)
        )


def test_the_api_reads_one_portfolio_as_its_queryset(portfolios):
    for portfolio in portfolios:
        assert fields(api_views._ONE_PORTFOLIO(pk=portfolio.pk)) == fields(
            api_views._shown_portfolios().filter(pk=portfolio.pk)
        )


def test_portfolio_pages_are_the_reversed_urls(portfolios):
    portfolio = portfolios[2]
    pages = PortfolioPages(portfolio)
    for _ in range(2):
        assert pages("portfolios:lp_cases") == reverse("portfolios:lp_cases", args=[portfolio.pk])
        for key in (1, 42, 2147483647):
            assert pages("portfolios:lp_case", key) == reverse(
                "portfolios:lp_case", args=[portfolio.pk, key]
            )


def test_reuse_renders_its_content_once_per_page():
    shown = []

    class Shown:
        def __str__(self):
            shown.append(1)
            return f"<{len(shown)}>"

    page = Template(
        '{% load portfolio_tags %}{% reuse "nav" %}{{ item }}{% endreuse %}|'
        '{% reuse "nav" %}{{ item }}{% endreuse %}|{% reuse "other" %}{{ item }}{% endreuse %}'
    )
    assert page.render(Context({"item": Shown()})) == "&lt;1&gt;|&lt;1&gt;|&lt;2&gt;"
    assert page.render(Context({"item": Shown()})) == "&lt;3&gt;|&lt;3&gt;|&lt;4&gt;"


def test_the_frozen_verdict_a_page_shows(portfolios):
    submitted, draft, _ = portfolios
    assert services.shown_frozen_evaluation(draft) is None
    shown = services.shown_frozen_evaluation(submitted)
    assert shown.to_json() == services.evaluate_portfolio(submitted).to_json()
    assert shown.extra["number"] == 3
    Portfolio.objects.filter(pk=submitted.pk).update(state=PortfolioState.SUPPLEMENT_REQUESTED)
    submitted.refresh_from_db()
    assert services.shown_frozen_evaluation(submitted, live=True) is None
    assert services.shown_frozen_evaluation(submitted).extra["number"] == 3


def test_a_page_of_activities_holds_only_the_portfolios_own():
    """The register's page is read by id alone (the prepared statement's plan looks the ids up
    in the primary key); an id of another portfolio's activity is left out on the rows."""
    from portfolios.jobcoach.selectors import activities_by_pk
    from tests.portfolios.factories import PEActivityFactory, complete_portfolio

    mine = complete_portfolio()
    other = complete_portfolio()
    own = list(mine.pe_activities.order_by("pk").values_list("pk", flat=True))
    stranger = PEActivityFactory(portfolio=other).pk
    found = activities_by_pk(mine, [*own, stranger, 2_000_000_000])
    assert sorted(found) == sorted(own)
    assert all(activity.portfolio_id == mine.pk for activity in found.values())
    assert activities_by_pk(other, [stranger]).keys() == {stranger}
