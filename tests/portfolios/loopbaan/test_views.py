"""The Loopbaanprofessional portfolio in the browser's terms: pages per persona, query counts,
the route chooser, courses, cases and the coverage matrix (the same cells as `portfolio
evaluate` gives for the same document), and a new user's way from an empty portfolio to a
submitted one with its dossier PDF."""

from __future__ import annotations

import io
import json
import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import AssessmentRound, Assignment, AssignmentState
from noloc_portal.pdf.models import RenderState
from noloc_portal.pdf.services import latest_reports
from portfolios.dossier import DOSSIER, build_dossier
from portfolios.exchange.storage import export_document
from portfolios.loopbaan.models import Case, Course
from portfolios.models import Portfolio, PortfolioState, Submission
from portfolios.services import evaluate_portfolio
from tests.factories import Role, user_with
from tests.pdf_files import MINIMAL_PDF
from tests.portfolios.factories import (
    CaseFactory,
    CourseFactory,
    LoopbaanPortfolioFactory,
    complete_loopbaan_portfolio,
    fill_case,
)

pytestmark = pytest.mark.django_db

PAGES = ["detail", "lp_education", "lp_experience", "lp_cases", "lp_plan", "lp_declaration"]


def pdf(name="bewijs.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def page_urls(portfolio) -> list[str]:
    urls = [reverse(f"portfolios:{name}", args=[portfolio.pk]) for name in PAGES]
    urls += [
        reverse("portfolios:lp_case", args=[portfolio.pk, c.pk]) for c in portfolio.cases.all()
    ]
    return urls


@pytest.fixture
def draft(professional):
    portfolio = LoopbaanPortfolioFactory(owner=professional)
    fill_case(CaseFactory(portfolio=portfolio, number=1), tasks=range(6))
    return portfolio


@pytest.fixture
def submitted(professional):
    return complete_loopbaan_portfolio(owner=professional, state=PortfolioState.SUBMITTED)


def assign(portfolio, assessor) -> None:
    round_ = AssessmentRound.objects.create(portfolio=portfolio, number=1)
    Assignment.objects.create(round=round_, assessor=assessor, state=AssignmentState.JUDGING)


# --- Who sees what ---------------------------------------------------------------------------


def test_owner_sees_every_page_with_its_rules(client, draft):
    client.force_login(draft.owner)
    for url in page_urls(draft):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "LP-" in response.content.decode(), url


@pytest.mark.parametrize("persona", ["other_professional", "assessor", "certification_coordinator"])
def test_outsiders_get_404_on_a_draft(client, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in page_urls(draft):
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_login(client, draft):
    for url in page_urls(draft):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["staff", "certification_coordinator", "assigned"])
def test_readers_of_a_submitted_portfolio_see_it_read_only(client, submitted, persona, request):
    if persona == "assigned":
        reader = user_with(Role.ASSESSOR)
        assign(submitted, reader)
    else:
        reader = request.getfixturevalue(persona)
    client.force_login(reader)
    for url in page_urls(submitted):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert "Portfolio indienen" not in body
        assert 'type="submit"' not in body.split("<main", 1)[1], url


def test_unassigned_assessor_gets_404_on_a_submitted_portfolio(client, submitted, assessor):
    assign(submitted, user_with(Role.ASSESSOR))
    client.force_login(assessor)
    for url in page_urls(submitted):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["other_professional", "staff"])
def test_only_the_owner_may_post(client, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))
    case = draft.cases.get()
    posts = [
        (reverse("portfolios:lp_plan", args=[draft.pk]), {"development_plan": "overgenomen"}),
        (reverse("portfolios:lp_case", args=[draft.pk, case.pk]), {"title": "overgenomen"}),
        (reverse("portfolios:lp_case_add", args=[draft.pk]), {}),
        (reverse("portfolios:lp_case_delete", args=[draft.pk, case.pk]), {}),
        (reverse("portfolios:lp_course_new", args=[draft.pk]), {"title": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert draft.cases.get().title == case.title
    assert draft.loopbaan.development_plan == ""
    assert not draft.courses.exists()


def test_a_submitted_portfolio_cannot_be_changed(client, submitted):
    client.force_login(submitted.owner)
    case = submitted.cases.first()
    response = client.post(
        reverse("portfolios:lp_case", args=[submitted.pk, case.pk]), {"title": "Later"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title != "Later"


def test_jobcoach_portfolio_has_no_loopbaan_pages(client, professional):
    from tests.portfolios.factories import PortfolioFactory

    jobcoach = PortfolioFactory(owner=professional)
    client.force_login(professional)
    assert client.get(reverse("portfolios:lp_cases", args=[jobcoach.pk])).status_code == 404


# --- Queries ---------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_case_page_queries_do_not_grow_with_what_is_written(
    client, professional, django_assert_num_queries
):
    few = LoopbaanPortfolioFactory(owner=professional)
    case_few = fill_case(CaseFactory(portfolio=few), tasks=[0], areas=[], competences=[])
    CourseFactory(portfolio=few)
    many = LoopbaanPortfolioFactory(owner=professional)
    case_many = fill_case(CaseFactory(portfolio=many))
    fill_case(CaseFactory(portfolio=many, number=2))
    CourseFactory.create_batch(5, portfolio=many)
    client.force_login(professional)
    expected = count_queries(client, reverse("portfolios:lp_case", args=[few.pk, case_few.pk]))
    with django_assert_num_queries(expected):
        client.get(reverse("portfolios:lp_case", args=[many.pk, case_many.pk]))


@pytest.mark.parametrize("name", ["lp_education", "detail", "lp_cases"])
def test_pages_cost_the_same_for_1_and_10_courses(
    client, professional, name, django_assert_num_queries
):
    portfolio = LoopbaanPortfolioFactory(owner=professional)
    CourseFactory(portfolio=portfolio)
    fill_case(CaseFactory(portfolio=portfolio), tasks=[1], areas=[], competences=[])
    client.force_login(professional)
    url = reverse(f"portfolios:{name}", args=[portfolio.pk])
    expected = count_queries(client, url)
    CourseFactory.create_batch(9, portfolio=portfolio)
    fill_case(CaseFactory(portfolio=portfolio, number=2))
    with django_assert_num_queries(expected):
        response = client.get(url)
    if name == "lp_education":
        assert response.content.decode().count("Loopbaancursus ") == 10


def test_overview_for_staff_costs_the_same_queries(client, staff, django_assert_num_queries):
    small = LoopbaanPortfolioFactory(state=PortfolioState.SUBMITTED)
    CaseFactory(portfolio=small)
    big = complete_loopbaan_portfolio(state=PortfolioState.SUBMITTED)
    client.force_login(staff)
    expected = count_queries(client, reverse("portfolios:detail", args=[small.pk]))
    with django_assert_num_queries(expected):
        client.get(reverse("portfolios:detail", args=[big.pk]))


# --- Education: one route at a time ------------------------------------------------------------


def groups_shown(body: str) -> dict[str, bool]:
    """Which route groups of the education page are visible (not ``hidden``)."""
    found = re.findall(r'<(?:fieldset|section)[^>]*data-routes="([^"]*)"[^>]*?(hidden)?>', body)
    tags = re.findall(r'<(?:fieldset|section)[^>]*data-routes="[^"]*"[^>]*>', body)
    return {
        re.search(r'id="([^"]+)"', tag).group(1): " hidden" not in tag
        for tag, _ in zip(tags, found, strict=True)
    }


def test_route_switching_shows_only_that_routes_fields(client, professional):
    portfolio = LoopbaanPortfolioFactory(owner=professional)
    client.force_login(professional)
    url = reverse("portfolios:lp_education", args=[portfolio.pk])

    shown = groups_shown(client.get(url).content.decode())
    assert not any(shown.values())

    response = client.post(
        url,
        {
            "route": "1",
            "diploma_level": "wo",
            "diploma_croho": "66604",
            "diploma_signed": "on",
            "diploma_nvao_accredited": "on",
            "diploma_field_mens_en_organisatie": "on",
            "diploma_upload": pdf("diploma.pdf"),
            # A value of another route that a stale form might still post: ignored.
            "evc_level": "6",
        },
    )
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert groups_shown(body) == {
        "groep-diploma": True,
        "groep-field": True,
        "groep-evc": False,
        "groep-assessment": False,
        "cursussen": False,
    }
    assert evaluate_portfolio(portfolio).rule("LP-A").status == "met"
    portfolio.loopbaan.refresh_from_db()
    assert portfolio.loopbaan.evc_level is None

    client.post(url, {"route": "3", "evc_date": "2026-02-01", "evc_level": "6"})
    body = client.get(url).content.decode()
    assert groups_shown(body) == {
        "groep-diploma": False,
        "groep-field": False,
        "groep-evc": True,
        "groep-assessment": False,
        "cursussen": True,
    }
    details = portfolio.loopbaan
    details.refresh_from_db()
    # The diploma typed for route 1 is kept for when the candidate switches back.
    assert (details.route, details.diploma_croho, details.evc_level) == (3, "66604", 6)
    assert details.diploma is not None
    rules = {r.id: r for r in evaluate_portfolio(portfolio).rules}
    assert rules["LP-A"].status == "not_met"
    assert "erkende" in rules["LP-A"].message


def test_an_impossible_report_date_keeps_what_was_typed(client, professional):
    portfolio = LoopbaanPortfolioFactory(owner=professional)
    client.force_login(professional)
    url = reverse("portfolios:lp_education", args=[portfolio.pk])
    response = client.post(
        url, {"route": "4", "assessment_date": "2026-02-30", "assessment_level": "7"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "geldige datum" in body
    assert 'value="7"' in body
    portfolio.loopbaan.refresh_from_db()
    assert portfolio.loopbaan.route is None


def test_report_age_is_checked_against_today(client, professional):
    portfolio = LoopbaanPortfolioFactory(owner=professional)
    client.force_login(professional)
    url = reverse("portfolios:lp_education", args=[portfolio.pk])
    client.post(url, {"route": "3", "evc_date": "2020-01-01", "evc_level": "6"})
    body = client.get(url).content.decode()
    assert "LP-A-REPORT-AGE" in body
    assert evaluate_portfolio(portfolio).rule("LP-A-REPORT-AGE").status == "not_met"


def test_courses_and_the_running_total(client, professional):
    portfolio = LoopbaanPortfolioFactory(owner=professional)
    portfolio.loopbaan.route = 2
    portfolio.loopbaan.save()
    client.force_login(professional)
    new = reverse("portfolios:lp_course_new", args=[portfolio.pk])
    response = client.post(
        new,
        {"title": "Coaching", "hours": "60", "quality_mark": "on", "signed": "on",
         "certificate_upload": pdf("c.pdf")},
    )  # fmt: skip
    assert response.status_code == 302
    client.post(new, {"title": "Zonder keurmerk", "hours": "40", "signed": "on"})
    response = client.post(new, {"title": "Negatief", "hours": "-3"})
    assert response.status_code == 200
    assert 'value="Negatief"' in response.content.decode()

    body = client.get(reverse("portfolios:lp_education", args=[portfolio.pk])).content.decode()
    assert "60 van 98 uur" in body
    assert "geen keurmerk" in body
    assert evaluate_portfolio(portfolio).rule("LP-A-HOURS").status == "not_met"

    course = portfolio.courses.get(title="Zonder keurmerk")
    client.post(
        reverse("portfolios:lp_course_edit", args=[portfolio.pk, course.pk]),
        {"title": "Met keurmerk", "hours": "40", "quality_mark": "on", "signed": "on",
         "certificate_upload": pdf("c2.pdf")},
    )  # fmt: skip
    body = client.get(reverse("portfolios:lp_education", args=[portfolio.pk])).content.decode()
    assert "100 van 98 uur" in body
    assert evaluate_portfolio(portfolio).rule("LP-A-HOURS").status == "met"

    client.post(reverse("portfolios:lp_course_delete", args=[portfolio.pk, course.pk]))
    assert list(portfolio.courses.values_list("title", flat=True)) == ["Coaching"]


# --- Cases and the coverage matrix --------------------------------------------------------------


CELL = re.compile(
    r'<td[^>]*data-group="(\w+)" data-row="(\w+)" data-case="(\d+)" data-state="(\w+)"'
)
ROW = re.compile(r'<tr data-group="(\w+)" data-row="(\w+)" data-covered="(true|false)"')


def rendered_matrix(body: str) -> dict:
    """The coverage matrix as the page shows it, in the shape of evaluate's ``coverage``."""
    matrix: dict = {}
    for group, row, covered in ROW.findall(body):
        matrix.setdefault(group, {})[row] = {"cases": [], "covered": covered == "true"}
    for group, row, index, state in CELL.findall(body):
        cases = matrix[group][row]["cases"]
        assert int(index) == len(cases)
        cases.append(state)
    return matrix


def mixed_portfolio(owner):
    """Task 6 nowhere described, area 2 missing, one competence short, a not-relevant task."""
    portfolio = LoopbaanPortfolioFactory(owner=owner)
    first = fill_case(
        CaseFactory(portfolio=portfolio, number=1),
        tasks=[0, 1, 2, 3, 4, 5, 7],
        areas=["1", "3"],
        competences=["coachen", "adviseren"],
    )
    first.tasks.create(number=6, not_relevant=True, text="Niet aan de orde.")
    second = fill_case(
        CaseFactory(portfolio=portfolio, number=2),
        tasks=[0, 1, 2, 4, 5, 7],
        areas=["4"],
        competences=["methodisch_werken", "inlevingsvermogen"],
    )
    second.tasks.create(number=3, not_relevant=True, text="Was al gedaan.")
    return portfolio


def test_matrix_in_the_page_equals_portfolio_evaluate(client, tmp_path, professional):
    portfolio = mixed_portfolio(professional)
    document = tmp_path / "portfolio.json"
    document.write_text(json.dumps(export_document(portfolio)), encoding="utf-8")
    out = io.StringIO()
    call_command("portfolio", "evaluate", str(document), stdout=out)
    coverage = json.loads(out.getvalue())["coverage"]
    assert coverage["tasks"]["6"] == {"cases": ["not_relevant", "missing"], "covered": False}

    client.force_login(professional)
    urls = [
        reverse("portfolios:detail", args=[portfolio.pk]),
        reverse("portfolios:lp_cases", args=[portfolio.pk]),
    ]
    urls += [
        reverse("portfolios:lp_case", args=[portfolio.pk, case.pk])
        for case in portfolio.cases.all()
    ]
    for url in urls:
        assert rendered_matrix(client.get(url).content.decode()) == coverage, url


def test_red_cells_link_to_the_field_that_fixes_them(client, professional):
    portfolio = mixed_portfolio(professional)
    first, second = portfolio.cases.all()
    client.force_login(professional)
    body = client.get(reverse("portfolios:lp_case", args=[portfolio.pk, first.pk])).content.decode()

    def cell(group, row, index):
        match = re.search(
            rf'<td class="[^"]*lp-(\w+)"[^>]*data-group="{group}" data-row="{row}" '
            rf'data-case="{index}"[^>]*>\s*(.*?)</td>',
            body,
            re.S,
        )
        return match.group(1), match.group(2)

    tone, html = cell("tasks", "6", 1)
    assert tone == "gap"
    assert f'href="/portfolios/{portfolio.pk}/loopbaan/casussen/{second.pk}/#taak-6"' in html
    tone, html = cell("tasks", "6", 0)
    assert (tone, 'href="#taak-6"' in html) == ("gap", True)  # this very page
    assert cell("tasks", "3", 1)[0] == "nr"  # not relevant in case 2, described in case 1
    assert cell("knowledge_areas", "2", 0)[0] == "gap"  # mandatory and nowhere
    assert cell("knowledge_areas", "5", 0)[0] == "gap"  # only 3 of the 4 needed areas
    assert cell("competences", "effectief_communiceren", 1)[0] == "gap"
    assert cell("competences", "coachen", 1)[0] == "open"  # shown in case 1
    assert 'id="taak-6"' in body and 'id="kennisgebied-2"' in body


def test_dossier_matrix_has_the_tones_of_the_page(client, professional):
    portfolio = mixed_portfolio(professional)
    submission = Submission.objects.create(
        portfolio=portfolio,
        number=1,
        submitted_by=professional,
        document=export_document(portfolio),
        evaluation=evaluate_portfolio(portfolio).to_json(),
    )
    client.force_login(professional)
    page = client.get(reverse("portfolios:detail", args=[portfolio.pk])).content.decode()
    report = build_dossier(submission)
    dossier = render_to_string(report.template, report.context)

    page_tones = re.findall(r'<td class="text-center lp-cell lp-(\w+)"', page)
    dossier_tones = re.findall(r'<td class="cell (ok|nr|gap|open)">', dossier)
    assert dossier_tones == page_tones
    assert set(dossier_tones) == {"ok", "nr", "gap", "open"}  # every tone is compared


def test_case_form_saves_and_keeps_input_on_an_error(client, professional):
    portfolio = LoopbaanPortfolioFactory(owner=professional)
    case = CaseFactory(portfolio=portfolio, title="", started=None, ended=None)
    client.force_login(professional)
    url = reverse("portfolios:lp_case", args=[portfolio.pk, case.pk])
    data = {
        "title": "Zij-instromer",
        "started": "2026-03-01",
        "ended": "2026-01-01",
        "task_0_state": "described",
        "task_0_text": "Mijn aanpak van taak nul.",
        "task_3_state": "not_relevant",
        "task_3_motivation": "Deze stap had de cliënt al gezet.",
        "area_1": "Theorie U",
        "competence_coachen": "Doorvragen",
        "attitude_ethics": "Het dilemma",
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "voor de begindatum" in body
    assert "Mijn aanpak van taak nul." in body and "Deze stap had de cliënt al gezet." in body
    case.refresh_from_db()
    assert case.title == ""

    response = client.post(url, data | {"ended": "2026-06-30"})
    assert response.status_code == 302
    snapshot_case = json.loads(json.dumps(export_document(portfolio)))["cases"][0]
    assert snapshot_case["tasks"] == {
        "0": {"text": "Mijn aanpak van taak nul."},
        "3": {"not_relevant": "Deze stap had de cliënt al gezet."},
    }
    assert snapshot_case["knowledge_areas"] == {"1": "Theorie U"}
    assert snapshot_case["competences"] == {"coachen": "Doorvragen"}
    # The choice survives a reload: the motivation shows, the description field is hidden.
    body = client.get(url).content.decode()
    assert re.search(r'<div data-choice="described" hidden>', body.split('id="taak-3"')[1])


def test_at_most_two_cases_and_removal_renumbers(client, professional):
    portfolio = LoopbaanPortfolioFactory(owner=professional)
    client.force_login(professional)
    add = reverse("portfolios:lp_case_add", args=[portfolio.pk])
    first = client.post(add)
    second = client.post(add)
    third = client.post(add, follow=True)
    assert first.status_code == second.status_code == 302
    assert "al 2 casussen" in third.content.decode()
    assert portfolio.cases.count() == 2
    one, two = portfolio.cases.all()
    client.post(reverse("portfolios:lp_case_delete", args=[portfolio.pk, one.pk]))
    assert list(portfolio.cases.values_list("pk", "number")) == [(two.pk, 1)]


def test_diversity_sits_next_to_the_matrix(client, draft):
    client.force_login(draft.owner)
    url = reverse("portfolios:lp_cases", args=[draft.pk])
    response = client.post(url, {"diversity": "Een jongere en een ervaren werknemer."})
    assert response.status_code == 302
    body = client.get(reverse("portfolios:detail", args=[draft.pk])).content.decode()
    matrix_at = body.index('id="dekking"')
    assert body.index("Een jongere en een ervaren werknemer.") > matrix_at
    assert evaluate_portfolio(draft).rule("LP-C-DIVERSITY").status == "met"


def test_checklist_links_go_to_the_field(client, professional):
    portfolio = mixed_portfolio(professional)
    client.force_login(professional)
    body = client.get(reverse("portfolios:detail", args=[portfolio.pk])).content.decode()
    first = portfolio.cases.get(number=1)
    # LP-C1-NR points at the first task that breaks it: task 6 in case 1.
    assert f"/loopbaan/casussen/{first.pk}/#taak-6" in body
    assert f"/portfolios/{portfolio.pk}/loopbaan/verklaringen/" in body


# --- Submit ----------------------------------------------------------------------------------


def test_submit_is_refused_with_a_gap_and_accepted_when_complete(client, professional):
    portfolio = complete_loopbaan_portfolio(owner=professional)
    task = portfolio.cases.get(number=2).tasks.get(number=6)
    task_text = task.text
    task.delete()
    portfolio.cases.get(number=1).tasks.filter(number=6).delete()
    client.force_login(professional)
    submit = reverse("portfolios:submit", args=[portfolio.pk])

    response = client.post(submit, follow=True)
    assert "voldoet nog niet" in response.content.decode()
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.DRAFT

    for case in portfolio.cases.all():
        case.tasks.create(number=6, text=task_text)
    client.post(submit)
    client.post(submit)
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.SUBMITTED
    assert Submission.objects.filter(portfolio=portfolio).count() == 1
    assert portfolio.rounds.count() == 1


def pdf_text(path: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_new_user_from_an_empty_portfolio_to_a_submitted_one(
    client, professional, django_capture_on_commit_callbacks
):
    client.force_login(professional)
    response = client.get(reverse("portfolios:new"))
    assert "Register Loopbaanprofessional" in response.content.decode()
    response = client.post(reverse("portfolios:new"), {"framework": "loopbaanprofessional-initial"})
    portfolio = Portfolio.objects.get(owner=professional)
    assert response.url == reverse("portfolios:detail", args=[portfolio.pk])
    assert portfolio.framework == "loopbaanprofessional-initial"
    overview = client.get(response.url).content.decode()
    assert "Nog niet klaar om in te dienen" in overview
    assert "LP-C-COUNT" in overview

    def post(name, data, *args):
        url = reverse(f"portfolios:{name}", args=[portfolio.pk, *args])
        response = client.post(url, data)
        errors = re.findall(r"invalid-feedback.{0,300}", response.content.decode(), re.S)
        assert response.status_code == 302, errors
        return response

    diploma = {"diploma_signed": "on", "diploma_nvao_accredited": "on"}
    post("lp_education", {"route": "2", "diploma_level": "hbo", **diploma,
                          "diploma_upload": pdf("diploma.pdf")})  # fmt: skip
    for title, hours in (("Loopbaanleergang", "70"), ("Training coachen", "28")):
        certificate = pdf(f"{title}.pdf")
        post("lp_course_new", {"title": title, "hours": hours, "quality_mark": "on",
                               "signed": "on", "certificate_upload": certificate})  # fmt: skip
    post("lp_experience", {
        "experience_years": "2,5", "experience_hours": "1300",
        "experience_statement_signed": "on", "working_statement_signed": "on",
        "experience_statement_upload": pdf("ervaring.pdf"),
        "working_statement_upload": pdf("werkzaam.pdf"), "cv_upload": pdf("cv.pdf"),
        "motivation": "Ik wil mensen helpen hun weg te vinden.",
    })  # fmt: skip
    today = evaluate_portfolio(portfolio).as_of
    for number in (1, 2):
        response = post("lp_case_add", {})
        case = Case.objects.get(portfolio=portfolio, number=number)
        assert response.url == reverse("portfolios:lp_case", args=[portfolio.pk, case.pk])
        data = {
            "title": f"Traject {number}",
            "started": today.replace(year=today.year - 1).isoformat(),
            "ended": today.isoformat(),
            "rationale": "Gekozen omdat het typisch is.",
        }
        for task in range(8):
            if number == 2 and task == 3:
                data |= {"task_3_state": "not_relevant", "task_3_motivation": "Al gedaan."}
            else:
                data |= {f"task_{task}_state": "described", f"task_{task}_text": f"Taak {task}."}
        areas = ["1", "2"] if number == 1 else ["3", "5"]
        competences = (
            ["methodisch_werken", "inlevingsvermogen", "coachen"]
            if number == 1
            else ["effectief_communiceren", "adviseren"]
        )
        data |= {f"area_{key}": f"Kennisgebied {key}." for key in areas}
        data |= {f"competence_{key}": f"Competentie {key}." for key in competences}
        data |= {
            f"attitude_{key}": f"Antwoord {key}."
            for key in ("ethics", "self_reflection", "development", "diversity")
        }
        post("lp_case", data, case.pk)
    post("lp_cases", {"diversity": "Een scholier en een werknemer met andere vragen."})
    post("lp_plan", {"development_plan": "Verdiepen in groepsbegeleiding."})
    assert not evaluate_portfolio(portfolio).submittable
    declarations = ("code_of_conduct", "complaints_regulation", "truthful")
    post("lp_declaration", dict.fromkeys(declarations, "on"))

    evaluation = evaluate_portfolio(portfolio)
    assert evaluation.submittable, [r for r in evaluation.rules if r.status != "met"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portfolios:submit", args=[portfolio.pk]), follow=True)
    body = response.content.decode()
    assert "Je portfolio is ingediend" in body
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.SUBMITTED
    submission = portfolio.submissions.get()

    job = latest_reports(submission, DOSSIER).get()
    assert job.state == RenderState.DONE, job.error
    text = " ".join(pdf_text(job.file.path).split())
    assert "Portfoliodossier Register Loopbaanprofessional" in text
    assert professional.full_name in text
    assert "Route 2" in text and "98 uur telt mee" in text
    assert "Traject 1" in text and "Traject 2" in text
    assert "Niet relevant in deze casus: Al gedaan." in text
    assert "Dekking over de casussen" in text
    assert "LP-C1-ALL" in text and "LP-E" in text
    assert "Een scholier en een werknemer" in text
    overview = client.get(reverse("portfolios:detail", args=[portfolio.pk])).content.decode()
    assert reverse("pdf:download", args=[job.pk]) in overview


# --- Demo ------------------------------------------------------------------------------------


def test_seed_demo_gives_the_candidate_a_draft_with_one_coverage_gap(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())
    portfolio = Portfolio.objects.get(owner__email="candidate@example.org")
    assert portfolio.framework == "loopbaanprofessional-initial"
    assert portfolio.state == PortfolioState.DRAFT
    coverage = evaluate_portfolio(portfolio).extra["coverage"]
    gaps = [(group, key) for group, rows in coverage.items()
            for key, row in rows.items() if not row["covered"]]  # fmt: skip
    assert gaps == [("tasks", "6")]
    assert Course.objects.filter(portfolio=portfolio).count() == 2


def test_route_explanations_state_the_framework_versions_values():
    from dataclasses import replace

    from portfolios.loopbaan.forms import route_help
    from portfolios.loopbaan.framework import loopbaan_framework

    other = replace(loopbaan_framework(), course_hours_minimum=120, report_max_age_years=3)
    helps = route_help(other)
    assert "120 uur" in helps[2] and "98" not in helps[2]
    assert "3 jaar oud" in helps[3] and "120 uur" in helps[4]
