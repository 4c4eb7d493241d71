"""The assessment lists' prepared queries (noloc_portal.prepared) give the rows, the order and the
related objects that the plain querysets give."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import selectors
from assessments.models import Assignment, AssignmentState
from tests.assessments.coordination import assign, submitted_round
from tests.factories import Role, user_with

pytestmark = pytest.mark.django_db


def assignment_rows(assignments) -> list[tuple]:
    return [
        (
            assignment.pk,
            assignment.state,
            assignment.urgency,
            assignment.round.number,
            assignment.round.portfolio.pk,
            assignment.round.portfolio.owner.full_name,
        )
        for assignment in assignments
    ]


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


def test_the_assessors_list_as_the_queryset(assessors):
    for assessor in (*assessors, user_with(Role.ASSESSOR)):
        plain = selectors.assignments_of(assessor)
        prepared = selectors.assigned_rows(assessor)
        assert prepared.count() == plain.count()
        assert assignment_rows(prepared[0 : prepared.count()]) == assignment_rows(plain)
        for start, stop in ((0, 2), (2, 5), (5, 25)):
            assert assignment_rows(prepared[start:stop]) == assignment_rows(plain[start:stop])
