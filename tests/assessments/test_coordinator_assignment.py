"""AS-2: the coordinator assigns the assessors of a round: candidates with their open workload,
a warning for a likely conflict of interest, refusals, and a pre-selected suggestion."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assignment, AssignmentState
from assessments.selectors import candidate_assessors, suggested_assessors
from assessments.services import AssignmentError, assign_assessor
from kwaliteitskringen.models import MembershipState
from portfolios.models import AuditEvent, PortfolioState
from tests.assessments.coordination import assign, round_of, submitted_round
from tests.factories import Role, user_with
from tests.kwaliteitskringen.factories import CircleFactory, MembershipFactory
from tests.portfolios.factories import LoopbaanPortfolioFactory
from tests.portfolios.test_write_services import in_threads, postgresql_only

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def assessor_named(name):
    return user_with(Role.ASSESSOR, full_name=name)


def busy(assessor, open_=0, done=0):
    """Give ``assessor`` ``open_`` open assignments and ``done`` finished or declined ones."""
    for _ in range(open_):
        assign(submitted_round(), assessor, state=AssignmentState.PENDING_DECLARATION)
    for index in range(done):
        state = AssignmentState.JUDGED if index % 2 else AssignmentState.DECLINED
        assign(submitted_round(), assessor, state=state)


def candidates_for(round_):
    return {
        c.assessor: c
        for c in candidate_assessors(round_.portfolio, round=round_, as_of=timezone.localdate())
    }


def test_as2_candidates_show_their_open_workload_lowest_first():
    anna, bram, cor = (assessor_named(n) for n in ("Anna", "Bram", "Cor"))
    busy(anna, open_=2, done=3)
    busy(bram, open_=1)
    round_ = submitted_round()
    listed = candidate_assessors(round_.portfolio, round=round_, as_of=timezone.localdate())
    assert [(c.assessor, c.open_workload) for c in listed if c.assessor in (anna, bram, cor)] == [
        (cor, 0),
        (bram, 1),
        (anna, 2),
    ]


@pytest.mark.parametrize(
    ("owner_side", "assessor_side", "conflict"),
    [
        ("member", "member", True),
        ("member", "coordinator", True),
        ("coordinator", "member", True),
        ("member", "renewed", True),
        ("member", "lapsed", False),
        ("member", "last_year", False),
        ("member", "other_circle", False),
        ("removed", "member", False),
    ],
)
def test_as2_a_shared_quality_circle_is_a_likely_conflict(owner_side, assessor_side, conflict):
    round_ = submitted_round()
    owner = round_.portfolio.owner
    assessor = assessor_named("Kringgenoot")
    circle = CircleFactory()
    if owner_side == "coordinator":
        circle.coordinator = owner
        circle.save()
    else:
        state = MembershipState.REMOVED if owner_side == "removed" else MembershipState.ACTIVE
        MembershipFactory(circle=circle, member=owner, year=YEAR, state=state)
    if assessor_side == "coordinator":
        circle.coordinator = assessor
        circle.save()
    elif assessor_side == "other_circle":
        MembershipFactory(member=assessor, year=YEAR)
    else:
        MembershipFactory(
            circle=circle,
            member=assessor,
            year=YEAR - 1 if assessor_side == "last_year" else YEAR,
            state={"renewed": MembershipState.RENEWED, "lapsed": MembershipState.LAPSED}.get(
                assessor_side, MembershipState.ACTIVE
            ),
        )
    assert candidates_for(round_)[assessor].conflict is conflict


def test_as2_the_suggestion_has_the_lowest_workload_without_a_conflict():
    round_ = submitted_round()
    owner = round_.portfolio.owner
    idle_but_circle = assessor_named("Ineke")
    declined_before = assessor_named("Dirk")
    light = assessor_named("Lotte")
    heavy = assessor_named("Hanna")
    busy(light, open_=1)
    busy(heavy, open_=3)
    busy(declined_before, open_=0)
    circle = CircleFactory()
    MembershipFactory(circle=circle, member=owner, year=YEAR)
    MembershipFactory(circle=circle, member=idle_but_circle, year=YEAR)
    earlier = round_of(round_.portfolio, 0)
    assign(earlier, declined_before, state=AssignmentState.DECLINED)
    candidates = list(candidates_for(round_).values())
    (suggestion,) = suggested_assessors(candidates, places=1)
    assert suggestion.assessor == light
    two = suggested_assessors(candidates, places=2)
    assert [c.assessor for c in two] == [light, heavy]


def test_as2_the_owner_is_never_suggested_even_with_no_work():
    owner = user_with(Role.PROFESSIONAL, Role.ASSESSOR)
    round_ = submitted_round(owner=owner)
    candidates = candidates_for(round_)
    assert candidates[owner].is_owner and not candidates[owner].eligible
    suggestion = suggested_assessors(list(candidates.values()), places=2)
    assert owner not in [c.assessor for c in suggestion]


def test_as2_the_candidates_cost_one_query_for_any_number_of_assessors():
    round_ = submitted_round()
    assessor_named("Een")
    with CaptureQueriesContext(connection) as one:
        candidate_assessors(round_.portfolio, round=round_, as_of=timezone.localdate())
    for index in range(5):
        busy(assessor_named(f"Assessor {index}"), open_=1, done=1)
    with CaptureQueriesContext(connection) as many:
        candidate_assessors(round_.portfolio, round=round_, as_of=timezone.localdate())
    assert len(one.captured_queries) == len(many.captured_queries) == 1


# --- the service ----------------------------------------------------------------------------


def test_as2_someone_who_declined_this_portfolio_is_refused_in_any_round(
    certification_coordinator,
):
    first = submitted_round()
    assessor = assessor_named("Afzegger")
    assign(first, assessor, state=AssignmentState.DECLINED)
    with pytest.raises(AssignmentError, match="heeft afgezien van dit portfolio"):
        assign_assessor(round=first, assessor=assessor, by=certification_coordinator)
    second = round_of(first.portfolio, 2)
    with pytest.raises(AssignmentError, match="heeft afgezien van dit portfolio"):
        assign_assessor(round=second, assessor=assessor, by=certification_coordinator)
    assert not second.assignments.exists()


def test_as2_a_new_assessor_after_a_decline_takes_the_free_place(
    certification_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    round_ = submitted_round()
    round_.portfolio.state = PortfolioState.IN_ASSESSMENT
    round_.portfolio.save()
    assign(round_, state=AssignmentState.DECLINED)
    assessor = assessor_named("Vervanger")
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assign_assessor(round=round_, assessor=assessor, by=certification_coordinator)
    assert assignment.assigned_by == certification_coordinator
    assert assignment.state == AssignmentState.PENDING_DECLARATION
    (mail,) = mailoutbox
    assert mail.to == [assessor.email]
    assert str(round_.portfolio) in mail.subject + mail.body
    assert reverse("assessments:assigned") in mail.body
    assert "belangenverstrengeling" in mail.body


@pytest.mark.parametrize(
    "state",
    [
        PortfolioState.DRAFT,
        PortfolioState.SUPPLEMENT_REQUESTED,
        PortfolioState.ADVISED,
        PortfolioState.DECIDED,
        PortfolioState.WITHDRAWN,
    ],
)
def test_as2_no_assignment_from_a_wrong_state(certification_coordinator, assessor, state):
    round_ = submitted_round()
    round_.portfolio.state = state
    round_.portfolio.save()
    with pytest.raises(AssignmentError, match="wacht niet op een assessor"):
        assign_assessor(round=round_, assessor=assessor, by=certification_coordinator)
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.PROFESSIONAL, Role.CIRCLE_COORDINATOR])
def test_as2_only_the_coordinator_assigns(role, assessor):
    round_ = submitted_round()
    with pytest.raises(AssignmentError, match="coördinator certificeren"):
        assign_assessor(round=round_, assessor=assessor, by=user_with(role))


# --- the page -------------------------------------------------------------------------------


def page(round_):
    return reverse("assessments:certification_portfolio", args=[round_.portfolio_id])


def post_assign(client, round_, *assessors, **extra):
    return client.post(
        reverse("assessments:certification_assign", args=[round_.portfolio_id]),
        {"assessors": [a.pk for a in assessors], **extra},
        follow=True,
    )


@pytest.fixture
def coordinator_client(client, certification_coordinator):
    client.force_login(certification_coordinator)
    return client


def test_the_page_shows_each_candidate_with_workload_and_preselects_the_suggestion(
    coordinator_client,
):
    round_ = submitted_round()
    light, heavy = assessor_named("Lotte Licht"), assessor_named("Hanna Zwaar")
    busy(heavy, open_=2)
    response = coordinator_client.get(page(round_))
    body = response.content.decode()
    assert "Lotte Licht" in body and "Hanna Zwaar" in body
    assert "nog 1 assessor nodig" in body
    assert f'value="{light.pk}" id="assessor-{light.pk}" checked' in body
    assert f'value="{heavy.pk}" id="assessor-{heavy.pk}">' in body


def test_assigning_on_the_page_moves_the_portfolio_on_and_emails_the_assessor(
    coordinator_client, certification_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    round_ = submitted_round()
    assessor = assessor_named("Nieuwe Assessor")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_assign(coordinator_client, round_, assessor)
    assert response.redirect_chain[-1][0] == page(round_)
    assert "Toegewezen: Nieuwe Assessor" in response.content.decode()
    round_.portfolio.refresh_from_db()
    assert round_.portfolio.state == PortfolioState.IN_ASSESSMENT
    assignment = round_.assignments.get()
    assert (assignment.assessor, assignment.assigned_by) == (assessor, certification_coordinator)
    assert [mail.to for mail in mailoutbox] == [[assessor.email]]
    # The round is full now: no assignment form any more.
    assert response.context["assign_form"] is None


def test_two_assessors_of_a_loopbaan_round_at_once(coordinator_client):
    round_ = submitted_round(LoopbaanPortfolioFactory)
    first, second = assessor_named("Eerste"), assessor_named("Tweede")
    page_body = coordinator_client.get(page(round_)).content.decode()
    assert "nog 2 assessoren nodig" in page_body
    post_assign(coordinator_client, round_, first, second)
    assert {a.assessor for a in round_.assignments.all()} == {first, second}
    assert AuditEvent.objects.filter(action="assessor_assigned").count() == 2


def test_a_third_assessor_is_refused_next_to_the_choice(coordinator_client):
    round_ = submitted_round(LoopbaanPortfolioFactory)
    three = [assessor_named(name) for name in ("Een", "Twee", "Drie")]
    response = post_assign(coordinator_client, round_, *three)
    assert "nog plaats voor 2 assessoren" in response.content.decode()
    assert not round_.assignments.exists()


def test_a_refused_pick_assigns_nobody_and_says_why(coordinator_client):
    owner = user_with(Role.PROFESSIONAL, Role.ASSESSOR, full_name="Eigen Naar")
    round_ = submitted_round(LoopbaanPortfolioFactory, owner=owner)
    other = assessor_named("Andere Assessor")
    response = post_assign(coordinator_client, round_, other, owner)
    assert response.status_code == 200
    assert "nooit het eigen portfolio" in response.content.decode()
    assert not round_.assignments.exists()
    round_.portfolio.refresh_from_db()
    assert round_.portfolio.state == PortfolioState.SUBMITTED


def test_a_likely_conflict_needs_a_confirmation(coordinator_client):
    round_ = submitted_round()
    assessor = assessor_named("Kring Genoot")
    circle = CircleFactory()
    MembershipFactory(circle=circle, member=round_.portfolio.owner, year=YEAR)
    MembershipFactory(circle=circle, member=assessor, year=YEAR)
    body = coordinator_client.get(page(round_)).content.decode()
    assert "mogelijk belangenverstrengeling" in body
    refused = post_assign(coordinator_client, round_, assessor)
    assert "Kring Genoot zit in dezelfde kwaliteitskring" in refused.content.decode()
    assert not round_.assignments.exists()
    post_assign(coordinator_client, round_, assessor, confirm_conflict="on")
    assert round_.assignments.get().assessor == assessor


def test_choosing_nobody_is_asked_again(coordinator_client):
    round_ = submitted_round()
    assessor_named("Iemand")
    response = post_assign(coordinator_client, round_)
    assert "Kies een assessor." in response.content.decode()


def test_no_assignment_form_when_the_portfolio_waits_on_nobody(coordinator_client, assessor):
    round_ = submitted_round()
    assign(round_)
    round_.portfolio.state = PortfolioState.IN_ASSESSMENT
    round_.portfolio.save()
    assert coordinator_client.get(page(round_)).context["assign_form"] is None
    response = post_assign(coordinator_client, round_, assessor)
    assert "wacht niet op een assessor" in response.content.decode()
    assert round_.assignments.count() == 1


@pytest.mark.parametrize("persona", ["assessor", "owner", "staff", "circle_coordinator"])
def test_outsiders_cannot_post_an_assignment(client, persona, request):
    round_ = submitted_round()
    user = round_.portfolio.owner if persona == "owner" else request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(
        reverse("assessments:certification_assign", args=[round_.portfolio_id]),
        {"assessors": [assessor_named("X").pk]},
    )
    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_the_page_costs_the_same_queries_for_one_and_many_candidates(
    coordinator_client, django_assert_num_queries
):
    round_ = submitted_round(LoopbaanPortfolioFactory)
    assign(round_, state=AssignmentState.DECLINED)
    assessor_named("Een")
    with CaptureQueriesContext(connection) as one:
        coordinator_client.get(page(round_))
    for index in range(6):
        busy(assessor_named(f"Assessor {index}"), open_=1)
    with django_assert_num_queries(len(one.captured_queries)):
        coordinator_client.get(page(round_))


# --- at the same time -----------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_as2_two_coordinators_at_once_fill_a_jobcoach_round_once():
    round_ = submitted_round()
    first, second = (user_with(Role.CERTIFICATION_COORDINATOR) for _ in range(2))
    results = in_threads(
        lambda: assign_assessor(round=round_, assessor=assessor_named("Een"), by=first),
        lambda: assign_assessor(round=round_, assessor=assessor_named("Twee"), by=second),
    )
    assigned = [r for r in results if isinstance(r, Assignment)]
    refused = [r for r in results if isinstance(r, AssignmentError)]
    assert (len(assigned), len(refused)) == (1, 1), results
    assert round_.assignments.count() == 1
    assert AuditEvent.objects.filter(action="assessor_assigned").count() == 1
    connection.close()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_as2_a_double_click_assigns_once():
    round_ = submitted_round()
    coordinator = user_with(Role.CERTIFICATION_COORDINATOR)
    assessor = assessor_named("Dubbel")
    results = in_threads(
        *(lambda: assign_assessor(round=round_, assessor=assessor, by=coordinator),) * 2
    )
    assert results[0] == results[1] and isinstance(results[0], Assignment), results
    assert AuditEvent.objects.filter(action="assessor_assigned").count() == 1
    connection.close()
