"""InArray gives the rows ``__in`` gives; on PostgreSQL as ``= ANY(ARRAY(...))``, which reads the
index of the value instead of the whole table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.selectors import assessors
from noloc_portal.accounts.models import Role, RoleGrant, User
from noloc_portal.database.expressions import InArray
from tests.factories import user_with

pytestmark = pytest.mark.django_db


def test_the_same_rows_as_in_and_the_form_postgresql_plans_well():
    chosen = [user_with(Role.ASSESSOR) for _ in range(3)]
    inactive = user_with(Role.ASSESSOR)
    inactive.is_active = False
    inactive.save()
    others = [user_with(Role.PROFESSIONAL) for _ in range(3)]
    grants = RoleGrant.objects.filter(role=Role.ASSESSOR).values("user_id")
    expected = list(User.objects.filter(pk__in=grants).order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        got = list(User.objects.filter(InArray("pk", grants)).order_by("pk"))
    assert got == expected and set(chosen) < set(got) and not set(others) & set(got)
    written = "= ANY(ARRAY(" if connection.vendor == "postgresql" else " IN (SELECT"
    assert written in queries[0]["sql"]
    assert set(assessors()) == set(chosen)
    assert list(User.objects.filter(InArray("pk", grants.none()))) == []
