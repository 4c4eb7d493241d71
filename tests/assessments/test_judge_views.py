"""The assessor's pages (AS-2, AS-3): own list, declaration, judging, evidence inline, and the
portfolio pages as an assessor or coordinator reads them."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from assessments.models import AssignmentState, Judgement, Verdict
from assessments.services import judged_criteria
from assessments.views import ASSIGNMENTS_PER_PAGE
from tests.assessments.judging import assigned
from tests.factories import Role, user_with
from tests.portfolios.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def verdicts_posted(assignment, *, action="save", **overrides):
    data = {"action": action}
    for criterion in judged_criteria(assignment):
        verdict, explanation = overrides.get(criterion.key, (Verdict.MEETS, ""))
        data[f"verdict-{criterion.key}"] = verdict
        data[f"explanation-{criterion.key}"] = explanation
    return data


def test_list_shows_only_own_assignments_with_the_next_step(client, assessor):
    pending = assigned(assessor)
    judging = assigned(assessor, declared=True)
    someone_else = assigned(user_with(Role.ASSESSOR))
    client.force_login(assessor)
    body = client.get(reverse("assessments:assigned")).content.decode()
    assert reverse("assessments:assignment", args=[pending.pk]) in body
    assert reverse("assessments:judge", args=[judging.pk]) in body
    assert str(someone_else.round.portfolio.owner) not in body
    assert "verklaar dat je geen belangenverstrengeling hebt" in body
    assert "beoordeel dit portfolio per criterium" in body
    # Waiting for a declaration comes first.
    assert body.index(str(pending.round.portfolio.owner)) < body.index(
        str(judging.round.portfolio.owner)
    )


def test_list_queries_do_not_grow_and_it_is_paginated(client, assessor, django_assert_num_queries):
    assigned(assessor)
    client.force_login(assessor)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("assessments:assigned"))
    for _ in range(ASSIGNMENTS_PER_PAGE):
        assigned(assessor, declared=True)
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(reverse("assessments:assigned")).content.decode()
    assert "Pagina 1 van 2" in body
    second = client.get(reverse("assessments:assigned"), {"pagina": 2}).content.decode()
    assert "Pagina 2 van 2" in second


def test_before_declaring_only_the_declaration_opens(client, assessor):
    assignment = assigned(assessor)
    portfolio = assignment.round.portfolio
    client.force_login(assessor)
    body = client.get(reverse("assessments:assignment", args=[assignment.pk])).content.decode()
    assert "geen belangenverstrengeling" in body
    assert escape(str(portfolio.owner)) in body
    assert reverse("portfolios:detail", args=[portfolio.pk]) not in body
    assert client.get(reverse("portfolios:detail", args=[portfolio.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[portfolio.cv.uuid])).status_code == 404
    assert client.get(reverse("documents:inline", args=[portfolio.cv.uuid])).status_code == 404
    judge = client.get(reverse("assessments:judge", args=[assignment.pk]))
    assert judge.url == reverse("assessments:assignment", args=[assignment.pk])


def test_declaring_opens_the_judging_page(client, assessor):
    assignment = assigned(assessor)
    client.force_login(assessor)
    url = reverse("assessments:assignment", args=[assignment.pk])
    response = client.post(url, {"action": "declare"})
    assert response.url == reverse("assessments:judge", args=[assignment.pk])
    portfolio = assignment.round.portfolio
    assert client.get(reverse("portfolios:detail", args=[portfolio.pk])).status_code == 200
    body = client.get(url).content.decode()
    assert "Volgende stap" in body and "Beoordelen per criterium" in body


def test_decline_needs_a_reason_next_to_the_field(
    client, assessor, django_capture_on_commit_callbacks
):
    assignment = assigned(assessor)
    user_with(Role.CERTIFICATION_COORDINATOR)
    client.force_login(assessor)
    url = reverse("assessments:assignment", args=[assignment.pk])
    body = client.post(url, {"action": "decline", "reason": ""}).content.decode()
    assert "is-invalid" in body and "Vul de reden in" in body
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.PENDING_DECLARATION
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "decline", "reason": "Mijn buurvrouw."})
    assert response.url == reverse("assessments:assigned")
    assert mail.outbox and "Mijn buurvrouw." in mail.outbox[0].body
    assert client.get(url).status_code == 404


def test_other_people_get_404_on_the_assessor_pages(client, assessor):
    assignment = assigned(assessor, declared=True)
    for someone in (
        user_with(Role.ASSESSOR),
        user_with(Role.CERTIFICATION_COORDINATOR),
        assignment.round.portfolio.owner,
    ):
        client.force_login(someone)
        for name in ("assessments:assignment", "assessments:judge"):
            assert client.get(reverse(name, args=[assignment.pk])).status_code == 404
            assert client.post(reverse(name, args=[assignment.pk]), {}).status_code == 404


def test_judging_page_shows_rules_indicators_and_evidence_per_criterion(client, assessor):
    assignment = assigned(assessor, declared=True)
    portfolio = assignment.round.portfolio
    client.force_login(assessor)
    body = client.get(reverse("assessments:judge", args=[assignment.pk])).content.decode()
    assert 'id="criterium-a31"' in body and 'id="criterium-b"' in body
    assert "Werkzaam als uitvoerend jobcoach" in body
    assert "De werkgeversverklaring of opdrachtbevestiging is ondertekend" in body
    assert "JC-B" in body and "in orde" in body
    assert reverse("documents:inline", args=[portfolio.cv.uuid]) in body
    activity = portfolio.pe_activities.first()
    assert reverse("documents:inline", args=[activity.evidence.uuid]) in body
    section_b = body[body.index('id="criterium-b"') :]
    assert reverse("documents:inline", args=[activity.evidence.uuid]) in section_b
    assert reverse("documents:inline", args=[portfolio.cv.uuid]) not in section_b
    assert 'name="verdict-b"' in body and 'name="explanation-b"' in body


def test_evidence_opens_inline_in_the_browser(client, assessor):
    assignment = assigned(assessor, declared=True)
    document = assignment.round.portfolio.cv
    client.force_login(assessor)
    response = client.get(reverse("documents:inline", args=[document.uuid]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    # The browser's PDF viewer may load the file; the rest of the policy stays strict.
    policy = response["Content-Security-Policy"]
    assert "object-src 'self'" in policy and "script-src 'self'" in policy
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    download = client.get(reverse("documents:download", args=[document.uuid]))
    assert download["Content-Disposition"].startswith("attachment")


def test_a_word_file_is_downloaded_not_shown(client, professional):
    document = DocumentFactory(
        owner=professional,
        original_name="bewijs.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    client.force_login(professional)
    response = client.get(reverse("documents:inline", args=[document.uuid]))
    assert response["Content-Disposition"].startswith("attachment")


def test_save_draft_keeps_what_was_typed(client, assessor):
    assignment = assigned(assessor, declared=True)
    client.force_login(assessor)
    url = reverse("assessments:judge", args=[assignment.pk])
    data = verdicts_posted(assignment, b=("", "Nog naar de bewijsstukken kijken"))
    assert client.post(url, data).url == url
    judgement = Judgement.objects.get(assignment=assignment, criterion="b")
    assert (judgement.verdict, judgement.explanation) == ("", "Nog naar de bewijsstukken kijken")
    body = client.get(url).content.decode()
    assert "Nog naar de bewijsstukken kijken" in body
    assert 'id="verdict-a1-meets" value="meets" checked' in body


def test_finish_shows_each_error_next_to_its_criterion_and_keeps_the_input(client, assessor):
    assignment = assigned(assessor, declared=True)
    client.force_login(assessor)
    url = reverse("assessments:judge", args=[assignment.pk])
    data = verdicts_posted(
        assignment,
        action="finish",
        a4=(Verdict.DOES_NOT_MEET, ""),
        b=(Verdict.SUPPLEMENT_NEEDED, "Certificaat ontbreekt"),
    )
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    a4 = body[body.index('id="criterium-a4"') : body.index('id="criterium-b"')]
    assert "Licht je oordeel bij A4" in a4 and "is-invalid" in a4
    assert 'id="verdict-a4-does_not_meet" value="does_not_meet" checked' in a4
    assert "Certificaat ontbreekt" in body
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.JUDGING


def test_too_long_explanation_is_refused_next_to_the_criterion(client, assessor):
    assignment = assigned(assessor, declared=True)
    client.force_login(assessor)
    url = reverse("assessments:judge", args=[assignment.pk])
    data = verdicts_posted(assignment, a1=(Verdict.DOES_NOT_MEET, "x" * 6000))
    data["verdict-a4"] = "excellent"
    body = client.post(url, data).content.decode()
    assert "Houd de toelichting onder de 5000 tekens" in body
    assert "Kies een van de oordelen" in body
    assert not Judgement.objects.filter(assignment=assignment).exists()


def test_finish_then_read_only(client, assessor):
    assignment = assigned(assessor, declared=True)
    client.force_login(assessor)
    url = reverse("assessments:judge", args=[assignment.pk])
    data = verdicts_posted(assignment, action="finish", b=(Verdict.SUPPLEMENT_NEEDED, "Bewijs"))
    assert client.post(url, data).url == reverse("assessments:assignment", args=[assignment.pk])
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.JUDGED
    body = client.get(url).content.decode()
    assert "<textarea" not in body and "kan niet meer worden gewijzigd" in body
    assert 'id="volgende-stap"' in body
    assert "Aanvulling nodig" in body
    client.post(url, verdicts_posted(assignment, action="save", b=(Verdict.MEETS, "")))
    assert Judgement.objects.get(assignment=assignment, criterion="b").verdict == (
        Verdict.SUPPLEMENT_NEEDED
    )
    page = client.get(reverse("assessments:assignment", args=[assignment.pk])).content.decode()
    assert 'id="volgende-stap"' in page


def test_loopbaan_judging_page_groups_the_criteria(client, assessor):
    assignment = assigned(assessor, loopbaan=True, declared=True)
    portfolio = assignment.round.portfolio
    client.force_login(assessor)
    body = client.get(reverse("assessments:judge", args=[assignment.pk])).content.decode()
    for group in ("Opleiding en werkervaring", "Kerntaken (C.1)", "Kennis, competenties en"):
        assert group in body
    assert 'id="criterium-task_0"' in body and 'id="criterium-attitude"' in body
    education = body[
        body.index('id="criterium-education"') : body.index('id="criterium-experience"')
    ]
    assert reverse("documents:inline", args=[portfolio.loopbaan.diploma.uuid]) in education
    assert "LP-A" in education


def test_portfolio_pages_speak_to_the_reader_with_their_own_breadcrumbs(client, assessor):
    assignment = assigned(assessor, declared=True)
    portfolio = assignment.round.portfolio
    coordinator = user_with(Role.CERTIFICATION_COORDINATOR)
    for reader, crumb in ((assessor, "Toegewezen beoordelingen"), (coordinator, "Certificering")):
        client.force_login(reader)
        body = client.get(reverse("portfolios:detail", args=[portfolio.pk])).content.decode()
        assert "Overzicht van dit portfolio" in body
        assert "Mijn portfolio" not in body
        assert crumb in body
        assert f'href="{reverse("portfolios:list")}"' not in body
        assert "Download dit hele portfolio (zip)" in body
        bundle = client.get(reverse("portfolios:bundle", args=[portfolio.pk]))
        assert bundle.status_code == 200 and bundle["Content-Type"] == "application/zip"
        section = client.get(reverse("portfolios:pe", args=[portfolio.pk])).content.decode()
        assert "Activiteiten in dit portfolio" in section and "Mijn portfolio" not in section
    client.force_login(portfolio.owner)
    body = client.get(reverse("portfolios:detail", args=[portfolio.pk])).content.decode()
    assert "Overzicht van je portfolio" in body and "Mijn portfolio" in body
