"""The PE register's statement offers read the statements, each with its PDF's newest version,
through one prepared query: the same rows as the queryset and as with_latest_jobs."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from assessments import pe_statements
from assessments.models import PEStatement
from noloc_portal.pdf.models import RenderJob, RenderState
from tests.factories import Role, user_with
from tests.portfolios.test_prepared_snapshots import fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessors():
    """Two assessors with statements of several periods, stored out of order, each with PDF
    versions in several states; and one without statements."""
    coordinator = user_with(Role.CERTIFICATION_COORDINATOR)
    people = [user_with(Role.ASSESSOR, Role.PROFESSIONAL) for _ in range(3)]
    content_type = ContentType.objects.get_for_model(PEStatement)
    for year in (2025, 2023, 2024):
        for person in people[:2]:
            statement = PEStatement.objects.create(
                assessor=person,
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                candidates=year - 2022,
                years=1,
                points=4,
                framework_version="2024.1",
                issued_by=coordinator,
                issued_at=timezone.now(),
            )
            for version, state in ((2, RenderState.FAILED), (1, RenderState.DONE))[: year - 2023]:
                RenderJob.objects.create(
                    kind=pe_statements.PE_STATEMENT,
                    content_type=content_type,
                    object_id=statement.pk,
                    version=version,
                    title=str(statement),
                    state=state,
                )
    return people


def test_the_offered_statements_and_their_pdfs(assessors):
    content_type = ContentType.objects.get_for_model(PEStatement).pk
    for person in assessors:
        values = {"assessor": person.pk, "content_type": content_type}
        assert fields(pe_statements._OFFERED(**values)) == fields(
            pe_statements._OFFERED.queryset(**values)
        )
        expected = pe_statements.with_latest_jobs(
            pe_statements.statements_of(person).order_by("period_start", "pk")
        )
        got = pe_statements._offered_with_jobs(person)
        assert [
            (statement.pk, job and (job.pk, job.state, job.file.name, job.object_id))
            for statement, job in got
        ] == [
            (statement.pk, job and (job.pk, job.state, job.file.name, job.object_id))
            for statement, job in expected
        ]
    assert any(job for _, job in pe_statements._offered_with_jobs(assessors[0]))


def test_statements_and_their_pdfs_in_one_query(assessors, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(pe_statements._offered_with_jobs(assessors[0])) == 3


def test_no_statements_no_query_for_pdfs(assessors, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert pe_statements._offered_with_jobs(assessors[2]) == []
