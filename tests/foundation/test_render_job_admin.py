"""Staff make a new version of a report from the admin (after a correction of its content);
the versions made before stay downloadable."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.models import AssessmentRound
from assessments.reports import ASSESSMENT_REPORT
from noloc_portal.pdf.models import RenderJob, RenderState
from noloc_portal.pdf.services import latest_reports, queue_report
from portfolios.models import PortfolioState
from tests.pdf_files import MINIMAL_PDF
from tests.portfolios.factories import PortfolioFactory

pytestmark = pytest.mark.django_db


def test_render_again_queues_one_new_version_per_report(
    client, staff, django_capture_on_commit_callbacks
):
    round_ = AssessmentRound.objects.create(
        portfolio=PortfolioFactory(state=PortfolioState.ADVISED), number=1
    )
    with django_capture_on_commit_callbacks(execute=False):
        first = queue_report(kind=ASSESSMENT_REPORT, target=round_)
    first.state = RenderState.DONE
    first.file.save("r.pdf", ContentFile(MINIMAL_PDF), save=True)
    with django_capture_on_commit_callbacks(execute=False):
        second = queue_report(kind=ASSESSMENT_REPORT, target=round_)
    second.state = RenderState.FAILED
    second.save(update_fields=["state"])
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:pdf_renderjob_changelist"),
            {"action": "render_again", "_selected_action": [first.pk, second.pk]},
            follow=True,
        )

    assert "1 rapport(en) in de wachtrij voor een nieuwe versie." in response.content.decode()
    assert len(callbacks) == 1
    versions = list(latest_reports(round_, ASSESSMENT_REPORT))
    assert [job.version for job in versions] == [3, 2, 1]
    assert versions[0].state == RenderState.QUEUED and versions[0].requested_by == staff
    assert RenderJob.objects.get(pk=first.pk).state == RenderState.DONE
