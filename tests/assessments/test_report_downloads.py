"""AS-7: who downloads the assessment report of a round (the owner only after the decision, the
declared assessors of the portfolio, the certification coordinator, staff; everyone else 404),
and the list of a round's PDFs that assessor, coordinator and owner pages include."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentRound, Assignment, AssignmentState
from assessments.services import ReportError, queue_assessment_report
from noloc_portal.pdf.models import RenderJob, RenderState
from noloc_portal.pdf.services import queue_report
from portfolios.dossier import DOSSIER
from portfolios.models import PortfolioState
from tests.factories import Role, user_with
from tests.pdf_files import MINIMAL_PDF
from tests.portfolios.factories import PortfolioFactory

pytestmark = pytest.mark.django_db


def done(job: RenderJob) -> RenderJob:
    job.state = RenderState.DONE
    job.page_count = 1
    job.file.save(f"{job.kind}-v{job.version}.pdf", ContentFile(MINIMAL_PDF), save=True)
    return job


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    owner = user_with(Role.PROFESSIONAL)
    portfolio = PortfolioFactory(owner=owner, state=PortfolioState.ADVISED)
    submission = portfolio.submissions.create(
        number=1, submitted_by=owner, document={}, evaluation={"rules": []}
    )
    round_ = AssessmentRound.objects.create(portfolio=portfolio, number=1, submission=submission)
    people = {
        "owner": owner,
        "other_professional": user_with(Role.PROFESSIONAL),
        "declared_assessor": user_with(Role.ASSESSOR),
        "undeclared_assessor": user_with(Role.ASSESSOR),
        "declined_assessor": user_with(Role.ASSESSOR),
        "unassigned_assessor": user_with(Role.ASSESSOR),
        "certification_coordinator": user_with(Role.CERTIFICATION_COORDINATOR),
        "circle_coordinator": user_with(Role.CIRCLE_COORDINATOR),
        "staff": user_with(Role.SECRETARIAT, is_staff=True),
    }
    now = timezone.now()
    Assignment.objects.create(
        round=round_,
        assessor=people["declared_assessor"],
        state=AssignmentState.JUDGED,
        declared_at=now,
        judged_at=now,
    )
    Assignment.objects.create(round=round_, assessor=people["undeclared_assessor"])
    Assignment.objects.create(
        round=round_,
        assessor=people["declined_assessor"],
        state=AssignmentState.DECLINED,
        declined_at=now,
        decline_reason="Oud-collega.",
    )
    with django_capture_on_commit_callbacks(execute=False):
        report = done(queue_assessment_report(round=round_, by=people["declared_assessor"]))
        dossier = done(queue_report(kind=DOSSIER, target=submission))
    return {
        "people": people,
        "portfolio": portfolio,
        "round": round_,
        "report": report,
        "dossier": dossier,
    }


REPORT_READERS = {"declared_assessor", "certification_coordinator", "staff"}
PERSONAS = [
    "owner",
    "other_professional",
    "declared_assessor",
    "undeclared_assessor",
    "declined_assessor",
    "unassigned_assessor",
    "certification_coordinator",
    "circle_coordinator",
    "staff",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_as7_report_download_per_persona_before_the_decision(client, world, persona):
    client.force_login(world["people"][persona])
    response = client.get(reverse("pdf:download", args=[world["report"].pk]))
    assert response.status_code == (200 if persona in REPORT_READERS else 404)
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == MINIMAL_PDF


@pytest.mark.parametrize("persona", PERSONAS)
def test_as7_report_download_per_persona_after_the_decision(client, world, persona):
    world["portfolio"].state = PortfolioState.DECIDED
    world["portfolio"].save(update_fields=["state"])
    client.force_login(world["people"][persona])
    response = client.get(reverse("pdf:download", args=[world["report"].pk]))
    assert response.status_code == (200 if persona in REPORT_READERS | {"owner"} else 404)


def test_as7_anonymous_is_sent_to_the_login(client, world):
    response = client.get(reverse("pdf:download", args=[world["report"].pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_as7_a_report_still_rendering_is_not_downloadable_yet(
    client, world, django_capture_on_commit_callbacks
):
    world["report"].delete()
    with django_capture_on_commit_callbacks(execute=False):
        job = queue_assessment_report(round=world["round"], by=None)
    client.force_login(world["people"]["certification_coordinator"])
    assert client.get(reverse("pdf:download", args=[job.pk])).status_code == 404


def render_list(user, round_) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("assessments/_reports.html", {"round": round_}, request=request)


def test_as7_the_round_list_shows_every_version_with_its_state(
    world, django_capture_on_commit_callbacks
):
    round_, report = world["round"], world["report"]
    with django_capture_on_commit_callbacks(execute=False):
        newer = queue_assessment_report(round=round_, by=None)
    failed = RenderJob.objects.create(
        kind=report.kind,
        content_type=report.content_type,
        object_id=round_.pk,
        version=3,
        title="x",
        state=RenderState.FAILED,
    )
    html = render_list(world["people"]["declared_assessor"], round_)
    assert "PDF&#x27;s van ronde 1" in html or "PDF's van ronde 1" in html
    assert "Dossier van indiening 1" in html
    assert reverse("pdf:download", args=[world["dossier"].pk]) in html
    assert reverse("pdf:download", args=[report.pk]) in html
    assert "Versie 1 (1 pagina&#x27;s)" in html or "Versie 1 (1 pagina's)" in html
    assert "Versie 2: in de wachtrij" in html
    # A version still being made has no link yet: the page asks for its state instead.
    assert f'href="{reverse("pdf:download", args=[newer.pk])}"' not in html
    assert f'data-render-job="{reverse("pdf:status", args=[newer.pk])}"' in html
    assert "Versie 3: mislukt" in html
    assert f'href="{reverse("pdf:download", args=[failed.pk])}"' not in html


def test_as7_the_round_list_shows_each_reader_only_what_they_may_download(world):
    round_ = world["round"]
    report_link = reverse("pdf:download", args=[world["report"].pk])
    dossier_link = reverse("pdf:download", args=[world["dossier"].pk])
    owner_html = render_list(world["people"]["owner"], round_)
    assert dossier_link in owner_html and report_link not in owner_html
    assert render_list(world["people"]["other_professional"], round_).strip() == ""
    assert render_list(AnonymousUser(), round_).strip() == ""
    world["portfolio"].state = PortfolioState.DECIDED
    world["portfolio"].save(update_fields=["state"])
    assert report_link in render_list(world["people"]["owner"], round_)


def test_as7_each_rounds_dossier_stays_downloadable(client, world):
    """A second submission's dossier does not hide the first round's versions."""
    portfolio, owner = world["portfolio"], world["people"]["owner"]
    second = portfolio.submissions.create(
        number=2, submitted_by=owner, document={}, evaluation={"rules": []}
    )
    AssessmentRound.objects.create(portfolio=portfolio, number=2, submission=second)
    client.force_login(world["people"]["declared_assessor"])
    assert client.get(reverse("pdf:download", args=[world["dossier"].pk])).status_code == 200
    assert "Dossier van indiening 1" in render_list(
        world["people"]["declared_assessor"], world["round"]
    )


@pytest.mark.parametrize(
    "persona", ["owner", "other_professional", "undeclared_assessor", "circle_coordinator"]
)
def test_as7_only_readers_queue_a_new_version(world, persona, django_capture_on_commit_callbacks):
    world["portfolio"].state = PortfolioState.DECIDED  # the owner reads it, but never orders it
    world["portfolio"].save(update_fields=["state"])
    with pytest.raises(ReportError, match="geen beoordelingsrapport"):
        queue_assessment_report(round=world["round"], by=world["people"][persona])
    assert RenderJob.objects.filter(kind=world["report"].kind).count() == 1


@pytest.mark.parametrize("persona", ["declared_assessor", "certification_coordinator", "staff"])
def test_as7_readers_queue_a_new_version(world, persona, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = queue_assessment_report(round=world["round"], by=world["people"][persona])
    assert job.version == 2 and job.requested_by == world["people"][persona]
