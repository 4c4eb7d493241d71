"""AS-7: the assessment report of a round, rendered through the render jobs and read back with
pdftotext: every criterion with each assessor's verdict and explanation, the interview, the
advice and the development advice, a running header and page numbers on every page."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments.models import (
    Advice,
    AdviceOutcome,
    AssessmentRound,
    Assignment,
    AssignmentState,
    Interview,
    InterviewNote,
    InterviewState,
    Judgement,
    Verdict,
)
from assessments.reports import ASSESSMENT_REPORT, build_assessment_report
from assessments.services import queue_assessment_report
from noloc_portal.pdf.models import RenderState
from noloc_portal.pdf.services import latest_reports, run_render_job
from portfolios.models import PortfolioState
from portfolios.registry import framework_version
from portfolios.services import submit_portfolio
from tests.factories import Role, user_with
from tests.pdf_files import pdf_pages
from tests.portfolios.factories import complete_loopbaan_portfolio, complete_portfolio

pytestmark = pytest.mark.django_db


def submitted(portfolio, capture) -> AssessmentRound:
    with capture(execute=True):
        submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    return portfolio.rounds.get()


def judged_by(round_, assessor, verdicts: dict[str, tuple[str, str]]) -> Assignment:
    now = timezone.now()
    assignment = Assignment.objects.create(
        round=round_,
        assessor=assessor,
        state=AssignmentState.JUDGED,
        declared_at=now,
        judged_at=now,
    )
    for key, (verdict, explanation) in verdicts.items():
        Judgement.objects.create(
            assignment=assignment, criterion=key, verdict=verdict, explanation=explanation
        )
    return assignment


def rendered_text(round_, capture, by) -> tuple[list[str], object]:
    with capture(execute=True):
        job = queue_assessment_report(round=round_, by=by)
    job.refresh_from_db()
    assert job.state == RenderState.DONE, job.error
    return pdf_pages(job.file.read()), job


def test_as7_jobcoach_report_shows_each_criterion_with_verdict_and_explanation(
    django_capture_on_commit_callbacks,
):
    portfolio = complete_portfolio(owner__full_name="Petra de Jong")
    round_ = submitted(portfolio, django_capture_on_commit_callbacks)
    assessor = user_with(Role.ASSESSOR, full_name="Anton Assessor")
    judged_by(
        round_,
        assessor,
        {
            "a1": (Verdict.MEETS, ""),
            "a31": (Verdict.DOES_NOT_MEET, "Twee verklaringen missen een handtekening."),
            "b": (Verdict.SUPPLEMENT_NEEDED, "Het congres van maart mist een bewijs."),
        },
    )
    Advice.objects.create(
        round=round_,
        outcome=AdviceOutcome.SUPPLEMENT,
        motivation="De reflectie is sterk, de bewijzen zijn onvolledig.",
        development_advice="Zoek intervisie buiten de eigen organisatie.",
        supplement_sections=["a31", "b"],
        supplement_deadline=date(2027, 1, 15),
        advised_by=assessor,
    )
    pages, job = rendered_text(round_, django_capture_on_commit_callbacks, assessor)
    text = "\n".join(pages)
    squashed = " ".join(text.split())

    assert job.version == 1 and job.page_count == len(pages)
    assert "Beoordelingsrapport" in text and "Petra de Jong" in text
    version = framework_version(portfolio.framework, version=portfolio.framework_version)
    assert f"{version.title}, versie {version.version}" in squashed
    for criterion in version.criteria:
        assert f"{criterion.code} · {criterion.title}" in squashed, criterion.code
    assert "Anton Assessor" in text
    assert "Voldoet niet" in text and "Twee verklaringen missen een handtekening." in squashed
    assert "Aanvulling nodig" in text and "Het congres van maart mist een bewijs." in squashed
    assert "nog geen oordeel" in text  # a2, a32, a4 were not judged
    assert "Aanvulling gevraagd" in text
    assert "De reflectie is sterk, de bewijzen zijn onvolledig." in squashed
    assert "Aanvullen uiterlijk 15 januari 2027" in squashed
    assert "A3.1 Reflectiebijeenkomsten" in squashed and "B Permanente educatie" in squashed
    assert "Ontwikkeladvies" in text
    assert "Zoek intervisie buiten de eigen organisatie." in squashed
    assert "Toetsingsgesprek" not in text  # a Jobcoach round has no interview


def test_as7_every_page_has_the_running_header_and_page_x_of_y(
    django_capture_on_commit_callbacks,
):
    portfolio = complete_portfolio(owner__full_name="Petra-Jan d'Ançon")
    round_ = submitted(portfolio, django_capture_on_commit_callbacks)
    assessor = user_with(Role.ASSESSOR)
    long_text = "\n".join(f"Regel {n} van een lange toelichting." for n in range(60))
    judged_by(round_, assessor, {key: (Verdict.DOES_NOT_MEET, long_text) for key in ("a1", "b")})
    pages, _job = rendered_text(round_, django_capture_on_commit_callbacks, assessor)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        header, footer = " ".join(lines[0].split()), lines[-1]
        heading = "Petra-Jan d'Ançon · Register Jobcoach – hercertificering · ronde 1"
        assert heading in header, (number, header)
        assert "kader versie 2024.1 · rapportversie 1" in header, (number, header)
        assert f"pagina {number} van {len(pages)}" in footer, (number, footer)


def test_as7_loopbaan_report_shows_both_assessors_and_the_interview(
    django_capture_on_commit_callbacks,
):
    portfolio = complete_loopbaan_portfolio(owner__full_name="Lotte Loopbaan")
    round_ = submitted(portfolio, django_capture_on_commit_callbacks)
    first = user_with(Role.ASSESSOR, full_name="Eerste Beoordelaar")
    second = user_with(Role.ASSESSOR, full_name="Tweede Beoordelaar")
    judged_by(round_, first, {"education": (Verdict.MEETS, "")})
    judged_by(round_, second, {"education": (Verdict.DOES_NOT_MEET, "De CROHO-code ontbreekt.")})
    interview = Interview.objects.create(
        round=round_,
        state=InterviewState.HELD,
        starts_at=timezone.now() - timedelta(days=2),
        location="Noloc-kantoor, Utrecht",
        scheduled_by=first,
        held_on=timezone.localdate() - timedelta(days=2),
        notes="Een open gesprek over beide casussen.",
        recorded_by=second,
    )
    InterviewNote.objects.create(
        interview=interview, criterion="task_3", notes="Licht de keuze voor deze taak toe."
    )
    Advice.objects.create(
        round=round_,
        outcome=AdviceOutcome.POSITIVE,
        motivation="Beide casussen tonen de kerntaken.",
        advised_by=second,
    )
    pages, _job = rendered_text(round_, django_capture_on_commit_callbacks, second)
    squashed = " ".join("\n".join(pages).split())
    assert "Eerste Beoordelaar" in squashed and "Tweede Beoordelaar" in squashed
    assert "Kerntaken (C.1)" in squashed  # the criteria's groups head their criteria
    assert "De CROHO-code ontbreekt." in squashed
    assert "Toetsingsgesprek" in squashed and "Noloc-kantoor, Utrecht" in squashed
    assert "Gehouden, gehouden op" in squashed
    assert "Licht de keuze voor deze taak toe." in squashed
    assert "Een open gesprek over beide casussen." in squashed
    assert "Positief" in squashed and "Beide casussen tonen de kerntaken." in squashed
    assert "Tweede Beoordelaar" in squashed.split("Uitgebracht door")[1]


def test_as7_rendering_again_is_a_new_version_and_the_old_one_stays(
    django_capture_on_commit_callbacks,
):
    portfolio = complete_portfolio()
    round_ = submitted(portfolio, django_capture_on_commit_callbacks)
    assessor = user_with(Role.ASSESSOR)
    assignment = judged_by(round_, assessor, {"a1": (Verdict.DOES_NOT_MEET, "Eerste lezing.")})
    _pages, first = rendered_text(round_, django_capture_on_commit_callbacks, assessor)
    assignment.judgements.update(explanation="Gecorrigeerde lezing.")
    pages, _second = rendered_text(round_, django_capture_on_commit_callbacks, assessor)

    assert [job.version for job in latest_reports(round_, ASSESSMENT_REPORT)] == [2, 1]
    assert "Gecorrigeerde lezing." in "".join(pages) and "rapportversie 2" in pages[0]
    first.refresh_from_db()
    old = "".join(pdf_pages(first.file.read()))
    assert "Eerste lezing." in old and "rapportversie 1" in old


def test_as7_a_double_click_queues_one_version(django_capture_on_commit_callbacks):
    portfolio = complete_portfolio()
    round_ = submitted(portfolio, django_capture_on_commit_callbacks)
    coordinator = user_with(Role.CERTIFICATION_COORDINATOR)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = queue_assessment_report(round=round_, by=coordinator)
        again = queue_assessment_report(round=round_, by=coordinator)
    assert first.pk == again.pk and first.state == RenderState.QUEUED
    assert first.requested_by == coordinator
    assert len(callbacks) == 1
    run_render_job(job_id=first.pk)
    first.refresh_from_db()
    assert first.state == RenderState.DONE, first.error


def test_as7_a2_exempt_is_reported_as_not_judged(django_capture_on_commit_callbacks):
    portfolio = complete_portfolio()
    round_ = submitted(portfolio, django_capture_on_commit_callbacks)
    submission = round_.submission
    for rule in submission.evaluation["rules"]:
        if rule["id"] == "JC-A2":
            rule["status"] = "exempt"
    submission.save(update_fields=["evaluation"])
    report = build_assessment_report(round_)
    rows = {row["criterion"].key: row for row in report.context["criteria"]}
    assert rows["a2"]["skipped"] and not rows["a1"]["skipped"]


def test_as7_report_of_a_round_without_advice_says_so(django_capture_on_commit_callbacks):
    portfolio = complete_portfolio()
    round_ = submitted(portfolio, django_capture_on_commit_callbacks)
    assert portfolio.state != PortfolioState.DRAFT
    pages, _job = rendered_text(round_, django_capture_on_commit_callbacks, None)
    text = " ".join("".join(pages).split())
    assert "In deze ronde is nog geen advies uitgebracht." in text
    assert "Er is nog geen assessor toegewezen." in text
    assert re.search(r"pagina 1 van \d", text)
