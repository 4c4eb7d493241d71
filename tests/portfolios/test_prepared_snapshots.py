"""A portfolio loaded for its snapshot by prepared queries (each framework's ``load``) holds the
rows its ``prefetch`` gives: the same instances in the same order, the same snapshot."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from portfolios.jobcoach import snapshot as jobcoach
from portfolios.jobcoach.models import ConfirmationState, FacilitatorConfirmation
from portfolios.loopbaan import snapshot as loopbaan
from portfolios.loopbaan.models import CaseTask
from portfolios.models import Portfolio
from portfolios.services import portfolio_snapshot
from portfolios.snapshots import stored_for_snapshot
from tests.portfolios.factories import (
    CaseFactory,
    CourseFactory,
    LoopbaanPortfolioFactory,
    PEActivityFactory,
    ReflectionMeetingFactory,
    complete_loopbaan_portfolio,
    complete_portfolio,
    fill_case,
)

pytestmark = pytest.mark.django_db


def fields(rows, leaving_out=frozenset()) -> list[tuple]:
    """Each row's model, field values (but ``leaving_out``) and the rows joined to it (by
    primary key)."""
    return [
        (
            type(row),
            {
                name: value
                for name, value in vars(row).items()
                if not name.startswith("_") and name not in leaving_out
            },
            {name: getattr(joined, "pk", None) for name, joined in row._state.fields_cache.items()},
        )
        for row in rows
    ]


def confirm(meeting, state, days_ago: int) -> FacilitatorConfirmation:
    confirmation = FacilitatorConfirmation.objects.create(
        meeting=meeting, email="begeleider@example.org", state=state, expires_at=timezone.now()
    )
    FacilitatorConfirmation.objects.filter(pk=confirmation.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return confirmation


@pytest.fixture
def jobcoach_portfolios():
    """Two Jobcoach portfolios whose rows interleave, with confirmations in several states, a
    meeting without a statement and an activity without evidence; and an empty one."""
    first, second = complete_portfolio(), complete_portfolio()
    for portfolio in (first, second):
        ReflectionMeetingFactory(portfolio=portfolio, date=date(2024, 2, 1), statement=None)
        PEActivityFactory(portfolio=portfolio, type="lecture", sbu=None, evidence=None)
        for days, meeting in enumerate(portfolio.reflection_meetings.order_by("-pk")):
            confirm(meeting, ConfirmationState.EXPIRED, 30 + days)
            confirm(meeting, ConfirmationState.CONFIRMED, days)
    empty = complete_portfolio()
    empty.reflection_meetings.all().delete()
    empty.pe_activities.all().delete()
    return first, second, empty


@pytest.fixture
def loopbaan_portfolios():
    """Two LP portfolios whose cases, tasks and texts interleave, with a case written before
    the one numbered before it, a task stored after those numbered after it, and a course
    without a certificate; and one without rows."""
    portfolios = []
    for _ in range(2):
        portfolio = LoopbaanPortfolioFactory()
        CourseFactory(portfolio=portfolio)
        CourseFactory(portfolio=portfolio, certificate=None)
        fill_case(CaseFactory(portfolio=portfolio, number=2), tasks=(5, 0, 2), areas=("2",))
        fill_case(CaseFactory(portfolio=portfolio, number=1))
        portfolios.append(portfolio)
    task = CaseTask.objects.get(case__portfolio=portfolios[0], case__number=1, number=3)
    task.delete()
    CaseTask.objects.create(case=task.case, number=3, text="Opnieuw beschreven.")
    empty = complete_loopbaan_portfolio()
    empty.cases.all().delete()
    empty.courses.all().delete()
    return (*portfolios, empty)


def jobcoach_rows(portfolio) -> tuple:
    meetings = list(portfolio.reflection_meetings.all())
    return (
        fields([portfolio]),
        fields(meetings),
        [fields(meeting.confirmations.all()) for meeting in meetings],
        [meeting.portfolio is portfolio for meeting in meetings],
        # The load leaves out the time stamp no page shows (jobcoach._ACTIVITIES).
        fields(portfolio.pe_activities.all(), leaving_out={"created_at"}),
        jobcoach.jobcoach_snapshot(portfolio),
    )


def loopbaan_rows(portfolio) -> tuple:
    cases = list(portfolio.cases.all())
    return (
        fields([portfolio]),
        fields(portfolio.courses.all()),
        fields(cases),
        [fields(case.tasks.all()) for case in cases],
        [fields(case.texts.all()) for case in cases],
        [case.portfolio is portfolio for case in cases],
        loopbaan.loopbaan_snapshot(portfolio),
    )


def test_load_jobcoach_gives_what_the_prefetch_gives(
    jobcoach_portfolios, django_assert_num_queries
):
    for portfolio in jobcoach_portfolios:
        prefetched = jobcoach.prefetch_jobcoach(
            Portfolio.objects.select_related("owner").filter(pk=portfolio.pk)
        ).get()
        loaded = jobcoach.load_jobcoach(portfolio.pk)
        with django_assert_num_queries(0):
            assert jobcoach_rows(loaded) == jobcoach_rows(prefetched)
        for activity in loaded.pe_activities.all():
            assert activity.get_deferred_fields() == {"created_at"}


def test_load_loopbaan_gives_what_the_prefetch_gives(
    loopbaan_portfolios, django_assert_num_queries
):
    for portfolio in loopbaan_portfolios:
        prefetched = loopbaan.prefetch_loopbaan(
            Portfolio.objects.select_related("owner").filter(pk=portfolio.pk)
        ).get()
        loaded = loopbaan.load_loopbaan(portfolio.pk)
        with django_assert_num_queries(0):
            assert loopbaan_rows(loaded) == loopbaan_rows(prefetched)


@pytest.mark.parametrize(
    "prepared",
    [
        jobcoach._PORTFOLIO,
        jobcoach._MEETINGS,
        jobcoach._CONFIRMATIONS,
        jobcoach._ACTIVITIES,
    ],
)
def test_each_jobcoach_query_as_its_queryset(jobcoach_portfolios, prepared):
    for portfolio in jobcoach_portfolios:
        (name,) = prepared.kinds
        values = {name: portfolio.pk}
        assert fields(prepared(**values)) == fields(prepared.queryset(**values))


@pytest.mark.parametrize(
    "prepared",
    [
        loopbaan._PORTFOLIO,
        loopbaan._COURSES,
        loopbaan._CASES,
        loopbaan._TASKS,
        loopbaan._TEXTS,
    ],
)
def test_each_loopbaan_query_as_its_queryset(loopbaan_portfolios, prepared):
    for portfolio in loopbaan_portfolios:
        (name,) = prepared.kinds
        values = {name: portfolio.pk}
        assert fields(prepared(**values)) == fields(prepared.queryset(**values))


def test_only_a_portfolio_of_the_framework_is_loaded(jobcoach_portfolios, loopbaan_portfolios):
    assert jobcoach.load_jobcoach(loopbaan_portfolios[0].pk) is None
    assert loopbaan.load_loopbaan(jobcoach_portfolios[0].pk) is None
    with pytest.raises(Portfolio.DoesNotExist):
        stored_for_snapshot(loopbaan_portfolios[0].pk, jobcoach_portfolios[0].framework)


def test_the_relations_still_filter_and_count(jobcoach_portfolios, django_assert_num_queries):
    first = jobcoach_portfolios[0]
    activities = first.pe_activities.count()
    loaded = jobcoach.load_jobcoach(first.pk)
    with django_assert_num_queries(0):
        assert loaded.pe_activities.count() == activities
        assert loaded.reflection_meetings.exists()
    with django_assert_num_queries(1):
        lectures = list(loaded.pe_activities.filter(type="lecture"))
    assert lectures == list(first.pe_activities.filter(type="lecture"))


def test_the_snapshot_reads_fewer_queries(
    jobcoach_portfolios, loopbaan_portfolios, django_assert_num_queries
):
    # The portfolio, its meetings, their confirmations and the activities; the documents are
    # joined. Without meetings there is nothing to confirm.
    first, _, empty = jobcoach_portfolios
    with django_assert_num_queries(4):
        portfolio_snapshot(first)
    with django_assert_num_queries(3):
        portfolio_snapshot(empty)
    # The portfolio, courses, cases, their tasks and their texts.
    first, _, empty = loopbaan_portfolios
    with django_assert_num_queries(5):
        portfolio_snapshot(first)
    with django_assert_num_queries(3):
        portfolio_snapshot(empty)
