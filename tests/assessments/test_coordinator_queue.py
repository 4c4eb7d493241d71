"""The certification coordinator's queue: portfolios by state, filters, waiting time, pages of
25 and the same number of queries for any number of rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssignmentState
from portfolios import services
from portfolios.models import (
    AuditEvent,
    Portfolio,
    PortfolioState,
    is_transition,
    waiting_since_from_trail,
)
from portfolios.services import record
from tests.assessments.coordination import advised_portfolio, assign, round_of, submitted_round
from tests.factories import Role, user_with
from tests.portfolios.factories import (
    LoopbaanPortfolioFactory,
    PortfolioFactory,
    complete_portfolio,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("assessments:certification")


def portfolio_in(state, factory=PortfolioFactory, **kwargs):
    portfolio = factory(state=state, submitted_at=timezone.now(), **kwargs)
    round_of(portfolio)
    return portfolio


def listed(response):
    """The portfolios of the queue's rows (equal to those with the same id)."""
    return [Portfolio(pk=row.pk) for row in response.context["rows"]]


def happened(portfolio, action, days_ago, **detail):
    event = record(portfolio=portfolio, by=portfolio.owner, action=action, **detail)
    AuditEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(days=days_ago))
    # The step happened earlier than now: so does the moment the portfolio waits since.
    Portfolio.objects.filter(pk=portfolio.pk).update(waiting_since=waiting_since_from_trail())


@pytest.fixture
def coordinator_client(client, certification_coordinator):
    client.force_login(certification_coordinator)
    return client


def test_the_queue_holds_the_open_states_and_decided_has_a_filter_of_its_own(
    coordinator_client,
):
    shown = {
        state: portfolio_in(state)
        for state in (
            PortfolioState.SUBMITTED,
            PortfolioState.IN_ASSESSMENT,
            PortfolioState.SUPPLEMENT_REQUESTED,
            PortfolioState.ADVISED,
        )
    }
    decided = portfolio_in(PortfolioState.DECIDED)
    PortfolioFactory(state=PortfolioState.DRAFT)
    PortfolioFactory(state=PortfolioState.WITHDRAWN)
    assert set(listed(coordinator_client.get(QUEUE))) == set(shown.values())
    assert listed(coordinator_client.get(QUEUE, {"state": "decided"})) == [decided]
    assert listed(coordinator_client.get(QUEUE, {"state": "advised"})) == [shown["advised"]]


def test_filter_by_register(coordinator_client):
    jobcoach = portfolio_in(PortfolioState.SUBMITTED)
    loopbaan = portfolio_in(PortfolioState.SUBMITTED, LoopbaanPortfolioFactory)
    assert listed(coordinator_client.get(QUEUE, {"register": "jobcoach-recertification"})) == [
        jobcoach
    ]
    assert listed(coordinator_client.get(QUEUE, {"register": loopbaan.framework})) == [loopbaan]


def test_the_waiting_time_counts_from_the_last_step_not_from_an_edit(coordinator_client):
    portfolio = portfolio_in(PortfolioState.SUPPLEMENT_REQUESTED)
    happened(portfolio, "submitted", 40, submission=1)
    happened(portfolio, "supplement_requested", 12, sections=["a1"])
    happened(portfolio, "section_saved", 1, section="a1")
    happened(portfolio, "meeting_added", 0, meeting=1)
    response = coordinator_client.get(QUEUE)
    (row,) = response.context["rows"]
    assert row.waiting_days == 12
    assert "12 dagen" in response.content.decode()


def test_without_events_the_waiting_time_counts_from_the_submission(coordinator_client):
    portfolio = PortfolioFactory(
        state=PortfolioState.SUBMITTED, submitted_at=timezone.now() - timedelta(days=3)
    )
    round_of(portfolio)
    (row,) = coordinator_client.get(QUEUE).context["rows"]
    assert row.waiting_days == 3


def test_filter_waiting_longer_than_and_the_longest_waiting_come_first(coordinator_client):
    waiting = {}
    for days in (2, 30, 10):
        portfolio = portfolio_in(PortfolioState.SUBMITTED)
        happened(portfolio, "submitted", days, submission=1)
        waiting[days] = portfolio
    assert listed(coordinator_client.get(QUEUE)) == [waiting[30], waiting[10], waiting[2]]
    assert listed(coordinator_client.get(QUEUE, {"waiting": "5"})) == [waiting[30], waiting[10]]
    assert listed(coordinator_client.get(QUEUE, {"waiting": "10"})) == [waiting[30]]


def test_filter_by_assessor(coordinator_client):
    assessor = user_with(Role.ASSESSOR)
    theirs = portfolio_in(PortfolioState.IN_ASSESSMENT)
    assign(theirs.rounds.get(), assessor)
    declined = portfolio_in(PortfolioState.IN_ASSESSMENT)
    assign(declined.rounds.get(), assessor, state=AssignmentState.DECLINED)
    assign(portfolio_in(PortfolioState.IN_ASSESSMENT).rounds.get())
    assert listed(coordinator_client.get(QUEUE, {"assessor": assessor.pk})) == [theirs]


@pytest.mark.parametrize(
    "query",
    [
        {"waiting": "-1"},
        {"waiting": "veel"},
        {"waiting": "99999999999999999999"},
        {"assessor": "0"},
        {"assessor": "x"},
        {"state": "draft"},
        {"register": "onbekend"},
        {"pagina": "999"},
        {"pagina": "x"},
    ],
)
def test_an_odd_filter_is_shown_and_ignored(coordinator_client, query):
    portfolio = portfolio_in(PortfolioState.SUBMITTED)
    response = coordinator_client.get(QUEUE, query)
    assert response.status_code == 200
    assert listed(response) == [portfolio]
    if "pagina" not in query:
        assert response.context["form"].errors


def test_a_declined_assignment_asks_for_a_new_assessor(coordinator_client):
    round_ = submitted_round()
    round_.portfolio.state = PortfolioState.IN_ASSESSMENT
    round_.portfolio.save()
    gone = assign(round_, state=AssignmentState.DECLINED)
    body = coordinator_client.get(QUEUE).content.decode()
    assert f"{gone.assessor} heeft afgezien" in body
    assert "Nieuwe assessor toewijzen" in body


def test_each_row_links_to_the_coordinators_page_and_says_what_is_next(coordinator_client):
    submitted = portfolio_in(PortfolioState.SUBMITTED)
    advised = advised_portfolio(outcome="negative")
    body = coordinator_client.get(QUEUE).content.decode()
    for portfolio in (submitted, advised):
        assert reverse("assessments:certification_portfolio", args=[portfolio.pk]) in body
    assert "Assessor toewijzen" in body
    assert "Besluit vastleggen" in body and "advies: negatief" in body


def test_the_queue_pages_by_25_and_keeps_the_filters(coordinator_client):
    for _ in range(26):
        portfolio_in(PortfolioState.SUBMITTED)
    first = coordinator_client.get(QUEUE, {"state": "submitted"})
    assert len(first.context["rows"]) == 25
    assert "state=submitted&amp;pagina=2" in first.content.decode()
    second = coordinator_client.get(QUEUE, {"state": "submitted", "pagina": "2"})
    assert len(second.context["rows"]) == 1


def mixed_rows(assessor):
    """One portfolio in each place of the queue, with assessors, declines and an advice."""
    round_ = submitted_round()
    assign(round_, assessor, state=AssignmentState.DECLINED)
    in_assessment = portfolio_in(PortfolioState.IN_ASSESSMENT, LoopbaanPortfolioFactory)
    assign(in_assessment.rounds.get(), assessor)
    assign(in_assessment.rounds.get())
    happened(in_assessment, "assessor_assigned", 3, round=1)
    advised_portfolio(outcome="supplement").__class__.objects.filter(
        state=PortfolioState.ADVISED
    ).update(state=PortfolioState.SUPPLEMENT_REQUESTED)
    advised_portfolio()


def test_the_queue_costs_the_same_queries_for_one_and_many_rows(
    coordinator_client, django_assert_num_queries
):
    assessor = user_with(Role.ASSESSOR)
    portfolio_in(PortfolioState.SUBMITTED)
    with CaptureQueriesContext(connection) as one:
        assert len(coordinator_client.get(QUEUE).context["rows"]) == 1
    for _ in range(3):
        mixed_rows(assessor)
    with django_assert_num_queries(len(one.captured_queries)):
        response = coordinator_client.get(QUEUE, {"assessor": ""})
    assert len(response.context["rows"]) == 13


def stored_and_from_trail(portfolio):
    return Portfolio.objects.filter(pk=portfolio.pk).values_list(
        "waiting_since", waiting_since_from_trail()
    )[0]


def test_every_step_moves_the_stored_waiting_time_as_the_trail_says(monkeypatch):
    """The queue's order is the stored moment: through submit, a supplement round, edits in it
    and the resubmission it stays the last transition of the audit trail."""
    monkeypatch.setattr(services, "queue_report", lambda **kwargs: None)
    portfolio = complete_portfolio()
    assert stored_and_from_trail(portfolio) == (None, None)
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    submitted, _ = stored_and_from_trail(portfolio)
    assert submitted == portfolio.waiting_since
    assert submitted == AuditEvent.objects.get(portfolio=portfolio, action="submitted").at
    assessor = user_with(Role.ASSESSOR)
    Portfolio.objects.filter(pk=portfolio.pk).update(state=PortfolioState.IN_ASSESSMENT)
    services.request_supplement(portfolio=portfolio, by=assessor, sections=["b"])
    requested, from_trail = stored_and_from_trail(portfolio)
    assert requested == from_trail > submitted
    for action in ("section_saved", "pe_activity_added", "confirmation_requested"):
        record(portfolio=portfolio, by=portfolio.owner, action=action)
        assert stored_and_from_trail(portfolio) == (requested, requested)
    portfolio.refresh_from_db()
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    resubmitted, from_trail = stored_and_from_trail(portfolio)
    assert resubmitted == from_trail > requested


@pytest.mark.parametrize(
    ("action", "step"),
    [
        ("submitted", True),
        ("assessor_assigned", True),
        ("decided", True),
        ("created", False),
        ("section_saved", False),
        ("imported", False),
        ("circle_meeting_added", False),
        ("meeting_changed", False),
        ("pe_activity_removed", False),
        ("confirmation_revoked", False),
    ],
)
def test_which_actions_are_steps(action, step):
    assert is_transition(action) is step


def test_the_unfiltered_queue_shows_the_filters_as_the_form_writes_them(
    coordinator_client, monkeypatch
):
    from assessments.forms import QueueFilterForm
    from noloc_portal.lists import form_html

    portfolio_in(PortfolioState.SUBMITTED)
    first = user_with(Role.ASSESSOR, full_name="Eerste Assessor")
    expected = form_html("assessments/coordinator/_queue_filters.html", QueueFilterForm())
    assert str(first) in expected
    built = []
    original = QueueFilterForm.__init__

    def counted(self, *args, **kwargs):
        built.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(QueueFilterForm, "__init__", counted)
    for query in ({}, {"pagina": "1"}, {"pagina": "x"}):
        assert coordinator_client.get(QUEUE, query).context["filters"] == expected
    assert len(built) <= 1  # written once, then kept
    # A new assessor is offered at once: the filters are kept per list of assessors.
    second = user_with(Role.ASSESSOR, full_name="Tweede Assessor")
    body = coordinator_client.get(QUEUE).content.decode()
    assert f'<option value="{second.pk}">Tweede Assessor</option>' in body
    # Filtered, the form is bound and keeps what was chosen.
    body = coordinator_client.get(QUEUE, {"assessor": str(second.pk)}).content.decode()
    assert f'<option value="{second.pk}" selected>Tweede Assessor</option>' in body


def test_the_kept_filters_follow_the_assessors_without_a_query_of_their_own(
    coordinator_client, monkeypatch
):
    """The assessors come with the queue's page (selectors.listed_assessors): a visit that
    filters nothing reads no assessors of its own once their filter is kept, and a renamed,
    stopped or new assessor shows at once."""
    from assessments import views

    portfolio_in(PortfolioState.SUBMITTED)
    anke = user_with(Role.ASSESSOR, full_name="Anke Assessor")
    body = coordinator_client.get(QUEUE).content.decode()
    assert f'<option value="{anke.pk}">Anke Assessor</option>' in body
    read = []
    original = views.assessor_choices
    monkeypatch.setattr(views, "assessor_choices", lambda: read.append(1) or original())
    coordinator_client.get(QUEUE)
    assert read == []
    anke.full_name = "Anke de Assessor"
    anke.save()
    body = coordinator_client.get(QUEUE).content.decode()
    assert f'<option value="{anke.pk}">Anke de Assessor</option>' in body
    anke.is_active = False
    anke.save()
    assert f'value="{anke.pk}"' not in coordinator_client.get(QUEUE).content.decode()


def test_an_empty_queue_still_offers_every_assessor(coordinator_client):
    anke = user_with(Role.ASSESSOR, full_name="Anke Assessor")
    response = coordinator_client.get(QUEUE)
    assert response.context["rows"] == []
    assert f'<option value="{anke.pk}">Anke Assessor</option>' in response.content.decode()


def test_filters_are_kept_only_under_the_assessors_they_list():
    from assessments import selectors

    listed = '[[3, "Anke Visser", "anke@example.org"], [4, "", "bas@example.org"]]'
    assert selectors.same_assessors(listed, [(4, "bas@example.org"), (3, "Anke Visser")])
    assert not selectors.same_assessors(listed, [(3, "Anke Visser")])
    assert not selectors.same_assessors(listed, [(3, "Anke V."), (4, "bas@example.org")])
    assert selectors.same_assessors(None, []) and not selectors.same_assessors(None, [(3, "A")])
