"""The assessment lists' prepared queries (noloc_portal.prepared) give the rows, the order and the
related objects that the plain querysets give."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import recertification_selectors, register_selectors, selectors
from assessments.models import (
    Advice,
    Assignment,
    AssignmentState,
    Registration,
    RegistrationReminder,
)
from noloc_portal.prepared import Pageable
from portfolios.models import Portfolio, PortfolioState
from tests.assessments.coordination import advised_portfolio, assign, round_of, submitted_round
from tests.factories import Role, user_with
from tests.portfolios.factories import LoopbaanPortfolioFactory, PortfolioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessors():
    """Two assessors with assignments in every state, some assigned at the same moment."""
    first, second = user_with(Role.ASSESSOR), user_with(Role.ASSESSOR)
    moment = timezone.now()
    for n, state in enumerate(
        [*AssignmentState.values, AssignmentState.JUDGING, AssignmentState.PENDING_DECLARATION]
    ):
        for assessor in (first, second):
            assignment = assign(submitted_round(), assessor, state=state)
            Assignment.objects.filter(pk=assignment.pk).update(
                assigned_at=moment - timedelta(days=n % 3)
            )
    return first, second


def listed_rows(assignments) -> list[selectors.ListedAssignment]:
    """What the list shows of each assignment, read from the model instances."""
    return [
        selectors.ListedAssignment(
            pk=assignment.pk,
            state=assignment.state,
            assigned_at=assignment.assigned_at,
            judged_at=assignment.judged_at,
            round_number=assignment.round.number,
            framework=assignment.round.portfolio.framework,
            owner=str(assignment.round.portfolio.owner),
        )
        for assignment in assignments
    ]


def test_the_assessors_list_as_the_queryset(assessors):
    # An owner without a name shows as their e-mail address.
    owner = selectors.assignments_of(assessors[0]).first().round.portfolio.owner
    owner.full_name = ""
    owner.save()
    for assessor in (*assessors, user_with(Role.ASSESSOR)):
        plain = selectors.assignments_of(assessor)
        prepared = selectors.assigned_rows(assessor)
        assert prepared.count() == plain.count()

        def listed(rows):
            return [selectors.ListedAssignment.of(row) for row in rows]

        assert listed(prepared[0 : prepared.count()]) == listed_rows(plain)
        for start, stop in ((0, 2), (2, 5), (5, 25)):
            assert listed(prepared[start:stop]) == listed_rows(plain[start:stop])
    assert owner.email in {row.owner for row in listed_rows(selectors.assignments_of(assessors[0]))}


@pytest.fixture
def queue():
    """Portfolios in every state of the queue and beyond it, of both registers, some waiting
    since the same moment, with rounds, assignments (declined ones too) and advice."""
    assessor = user_with(Role.ASSESSOR)
    moment = timezone.now()
    for n in range(7):
        for state in (*selectors.OPEN_STATES, PortfolioState.DECIDED, PortfolioState.DRAFT):
            factory = LoopbaanPortfolioFactory if n % 2 else PortfolioFactory
            portfolio = factory(state=state, submitted_at=moment - timedelta(days=n % 3))
            first = round_of(portfolio)
            assign(first, assessor, state=AssignmentState.DECLINED if n == 1 else "judging")
            if n >= 2:
                current = round_of(portfolio, number=2)
                assign(current, assessor if n == 3 else None)
                assign(current, state=AssignmentState.DECLINED)
    advised_portfolio()
    advised_portfolio(outcome="supplement")
    return assessor


FILTERS = [
    {},
    {"states": (PortfolioState.IN_ASSESSMENT,)},
    {"states": (PortfolioState.DECIDED,)},
    {"framework": "loopbaanprofessional-initial"},
    {"assessor": "theirs"},
    {"states": (PortfolioState.SUBMITTED,), "framework": "jobcoach-recertification"},
    {"states": (PortfolioState.IN_ASSESSMENT,), "assessor": "theirs"},
    {"framework": "jobcoach-recertification", "assessor": "theirs"},
    {"waiting_longer_than": 0},
]


def queued_values(portfolios) -> list[tuple]:
    """The values of selectors.QUEUED_VALUES of the portfolio and its owner (the first seven;
    its current round's are checked in the rows queue_rows makes of them), read from the model
    instances."""
    return [
        (
            portfolio.pk,
            portfolio.framework,
            portfolio.framework_version,
            portfolio.state,
            portfolio.waiting_since,
            portfolio.owner.full_name,
            portfolio.owner.email,
        )
        for portfolio in portfolios
    ]


def own_values(values: list[tuple]) -> list[tuple]:
    return [row[:7] for row in values]


@pytest.mark.parametrize("filters", FILTERS)
def test_the_queue_as_the_queryset(queue, filters):
    if filters.get("assessor") == "theirs":
        filters = {**filters, "assessor": queue}
    now = timezone.now()
    plain = selectors.certification_queue(**filters, now=now)
    page = selectors.queue_for_page(**filters, now=now)
    assert page.count() == plain.count() > 0
    assert own_values(page[0 : page.count()]) == queued_values(plain)
    for start, stop in ((0, 3), (3, 7), (7, 32)):
        assert own_values(page[start:stop]) == queued_values(plain[start:stop])


def test_the_unfiltered_queue_is_prepared(queue):
    assert isinstance(selectors.queue_for_page(now=timezone.now()), Pageable)


def expected_row(portfolio, *, now) -> selectors.QueueRow:
    """A queue row as the ORM reads it, one portfolio at a time."""
    current = portfolio.rounds.order_by("-number").first()
    assignments = list(current.assignments.order_by("pk")) if current else []
    advice = Advice.objects.filter(round=current).first() if current else None
    since = portfolio.waiting_since
    return selectors.QueueRow(
        pk=portfolio.pk,
        url=reverse("assessments:certification_portfolio", args=[portfolio.pk]),
        owner=str(portfolio.owner),
        framework_label=portfolio.get_framework_display(),
        round_number=current.number if current else None,
        state_label=portfolio.get_state_display(),
        waiting_days=None if since is None else max((now - since).days, 0),
        waiting_since=since,
        assignments=tuple(
            (a.assessor_id, str(a.assessor), a.state)
            for a in assignments
            if a.state != AssignmentState.DECLINED
        ),
        declined=tuple(
            (a.assessor_id, str(a.assessor))
            for a in assignments
            if a.state == AssignmentState.DECLINED
        ),
        needs_assessor=selectors.open_places(portfolio, current, assignments) > 0,
        state=portfolio.state,
        advice_outcome=advice.outcome if advice else None,
        supplement_deadline=advice.supplement_deadline if advice else None,
    )


def test_the_rows_of_a_page_as_the_orm_reads_them(queue):
    now = timezone.now()
    PortfolioFactory(state=PortfolioState.SUBMITTED, submitted_at=now)  # no round yet
    portfolios = list(selectors.certification_queue(now=now))
    # Owners without a name show as their e-mail address.
    portfolios[0].owner.full_name = ""
    portfolios[0].owner.save()
    values = list(selectors.queue_for_page(now=now)[0 : len(portfolios)])
    assert own_values(values) == queued_values(portfolios)
    size = selectors.QUEUE_PAGE_SIZE
    for page in (slice(0, 3), slice(3, 3 + size), slice(len(portfolios) - 1, None)):
        rows = selectors.queue_rows(values[page], now=now)
        assert rows == [expected_row(p, now=now) for p in portfolios[page]]
    assert any(row.round_number is None for row in selectors.queue_rows(values[-5:], now=now))
    # Every kind of row is among them.
    rows = [
        row
        for n in range(0, len(values), size)
        for row in selectors.queue_rows(values[n : n + size], now=now)
    ]
    for kind in ("needs_assessor", "declined", "assignments", "advice_outcome"):
        assert any(getattr(row, kind) for row in rows), kind


def test_a_page_of_rows_has_a_limit(queue):
    values = list(selectors.queue_for_page(now=timezone.now())[0:100])
    assert len(values) > selectors.QUEUE_PAGE_SIZE
    with pytest.raises(ValueError):
        selectors.queue_rows(values, now=timezone.now())
    assert selectors.queue_rows([], now=timezone.now()) == []


def registration_rows(registrations) -> list[tuple]:
    return [
        (registration.pk, registration.register, registration.owner.full_name)
        for registration in registrations
    ]


@pytest.fixture
def register():
    """Registrations of both registers around today, some of people with the same name, one of
    a person without a name."""
    today = timezone.localdate()
    names = ["Anna de Vries", "Anna de Vries", "Bram Jansen", "Zoë Bakker", ""]
    for n, name in enumerate(names * 2):
        owner = user_with(Role.PROFESSIONAL, full_name=name)
        for register, start in (("jobcoach", -n), ("loopbaanprofessional", 400 - 200 * (n % 3))):
            Registration.objects.create(
                owner=owner,
                register=register,
                valid_from=today - timedelta(days=start),
                valid_until=today - timedelta(days=start) + timedelta(days=1460),
            )
    return today


@pytest.mark.parametrize(
    "filters", [{}, {"register": "jobcoach"}, {"register": "loopbaanprofessional"}]
)
def test_the_public_register_as_the_queryset(register, filters):
    for as_of in (register, register + timedelta(days=300), register - timedelta(days=3)):
        plain = register_selectors.public_register(as_of=as_of, **filters)
        prepared = register_selectors.public_register_for_page(as_of=as_of, **filters)
        assert isinstance(prepared, Pageable)
        assert prepared.count() == plain.count()
        assert registration_rows(prepared[0 : prepared.count()]) == registration_rows(plain)
        for start, stop in ((0, 3), (3, 7), (7, 40)):
            assert registration_rows(prepared[start:stop]) == registration_rows(plain[start:stop])


def expiring_rows(registrations) -> list[tuple]:
    return [
        (
            registration.pk,
            registration.owner.email,
            registration.recertification_state,
            registration.recertification_pk,
            [(reminder.pk, reminder.months) for reminder in registration.reminders.all()],
        )
        for registration in registrations
    ]


@pytest.mark.parametrize("months", [3, 6, 12])
def test_the_expiring_registrations_as_the_queryset(months):
    today = timezone.localdate()
    for n in range(12):
        owner = user_with(Role.PROFESSIONAL)
        registration = Registration.objects.create(
            owner=owner,
            register="jobcoach" if n % 3 else "loopbaanprofessional",
            valid_from=today - timedelta(days=1200),
            valid_until=today + timedelta(days=30 * n - 10),
        )
        for reminder_months in (12, 6, 3)[: n % 4]:
            RegistrationReminder.objects.create(
                registration=registration, months=reminder_months, due_on=today
            )
        if n % 2:
            state = PortfolioState.SUBMITTED if n % 4 == 1 else PortfolioState.DRAFT
            PortfolioFactory(owner=owner, state=state)
    plain = recertification_selectors.expiring_registrations(as_of=today, months=months)
    prepared = recertification_selectors.expiring_for_page(as_of=today, months=months)
    assert prepared.count() == plain.count() > 0
    assert expiring_rows(prepared[0 : prepared.count()]) == expiring_rows(plain)
    for start, stop in ((0, 2), (2, 5), (5, 25)):
        assert expiring_rows(prepared[start:stop]) == expiring_rows(plain[start:stop])


def test_display_labels_are_what_get_display_gives():
    frameworks = selectors.display_labels(Portfolio, "framework")
    for framework in (*frameworks, "onbekend-kader"):
        portfolio = Portfolio(framework=framework)
        assert frameworks.get(framework, framework) == portfolio.get_framework_display()
    states = selectors.display_labels(Assignment, "state")
    for state in (*AssignmentState.values, "onbekend"):
        assert states.get(state, state) == Assignment(state=state).get_state_display()
    assert len(frameworks) >= 2 and len(states) == len(AssignmentState.values)


def test_display_labels_are_kept_per_language():
    from django.utils import translation

    with translation.override("nl"):
        dutch = selectors.display_labels(Assignment, "state")
        assert selectors.display_labels(Assignment, "state") is dutch  # read once
    with translation.override("en"):
        english = selectors.display_labels(Assignment, "state")
        assert english == {
            state: str(Assignment(state=state).get_state_display())
            for state in AssignmentState.values
        }
    assert english is not dutch  # kept per language


def test_the_queue_filter_names_the_assessors_as_they_are_shown():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.forms import QueueFilterForm
    from noloc_portal.accounts.models import RoleGrant

    named = user_with(Role.ASSESSOR, full_name="Ans Assessor")
    unnamed = user_with(Role.ASSESSOR, full_name="")
    gone = user_with(Role.ASSESSOR, full_name="Oud Assessor")
    gone.is_active = False
    gone.save()
    no_longer = user_with(Role.ASSESSOR, full_name="Geen Assessor")
    RoleGrant.objects.filter(user=no_longer).delete()
    user_with(Role.PROFESSIONAL, full_name="Petra Professional")
    choices = QueueFilterForm().fields["assessor"].choices
    # By name, as the assessors' queryset orders them; no name: the e-mail address.
    assert choices == [("", "Iedereen"), (unnamed.pk, unnamed.email), (named.pk, "Ans Assessor")]
    assert [label for _, label in choices[1:]] == [str(unnamed), str(named)]
    # A pick is checked against the choices just read: no query of its own.
    with CaptureQueriesContext(connection) as queries:
        form = QueueFilterForm({"assessor": str(named.pk)})
        assert form.is_valid() and form.filters()["assessor"] == named.pk
    assert len(queries.captured_queries) == 1
    for odd in (gone.pk, no_longer.pk, "x"):
        form = QueueFilterForm({"assessor": str(odd)})
        assert not form.is_valid() and "assessor" in form.errors
        assert form.filters()["assessor"] is None


@pytest.mark.parametrize("filters", [{}, {"waiting_longer_than": 0}])
def test_the_queue_is_counted_over_the_portfolios_alone(queue, filters):
    """The owners a page's rows show count nothing: joined, PostgreSQL read every owner to count
    1,000 portfolios (0.7 ms against 0.1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = selectors.queue_for_page(**filters, now=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        assert page.count() == len(page[0:1000]) > 0
    counting, reading = (query["sql"] for query in queries.captured_queries)
    assert "COUNT(" in counting and "accounts_user" not in counting
    assert "accounts_user" in reading


def test_a_page_of_the_queue_is_read_with_its_count_over_the_portfolios_alone(queue):
    """One query for the page and its count: the count a subquery of the portfolios alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from noloc_portal.lists import get_page

    expected = list(selectors.certification_queue(now=timezone.now()).values_list("pk"))
    with CaptureQueriesContext(connection) as queries:
        page = get_page(selectors.queue_for_page(now=timezone.now()), 2, "1")
    (reading,) = (query["sql"] for query in queries.captured_queries)
    counting = reading[reading.index("(SELECT COUNT(*)") :]
    counting = counting[: counting.index("counted_rows)")]
    assert "accounts_user" in reading and "accounts_user" not in counting
    assert page.paginator.count == len(expected) > 2
    assert [row[0] for row in page] == [pk for (pk,) in expected[:2]]
