"""A supplement round reopens only the named checklist sections (workflow.md, AS-1): every
write path names the Section.key it changes, the pages show forms only for the reopened ones, and
the owner sees the live checklist while the assessors keep the frozen one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from portfolios import services
from portfolios.jobcoach import services as jobcoach_services
from portfolios.loopbaan import services as loopbaan_services
from portfolios.models import AuditEvent, PortfolioState
from portfolios.services import PortfolioFrozen
from tests.portfolios.factories import complete_loopbaan_portfolio, complete_portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_dossier(monkeypatch):
    monkeypatch.setattr(services, "queue_report", lambda **kwargs: None)


def in_supplement(portfolio, sections):
    """Submitted, then reopened for ``sections`` (as an advice asking a supplement does)."""
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    portfolio.refresh_from_db()
    portfolio.state = PortfolioState.IN_ASSESSMENT
    portfolio.save(update_fields=["state"])
    return services.request_supplement(portfolio=portfolio, by=None, sections=sections)


@pytest.fixture
def jobcoach():
    return in_supplement(complete_portfolio(), ["b"])


ACTIVITY = {"title": "Nieuwe cursus", "date": date(2025, 9, 1), "sbu": Decimal(6)}


def test_a_reopened_section_takes_adds_changes_and_removals(jobcoach):
    owner = jobcoach.owner
    added = jobcoach_services.add_activity(
        portfolio=jobcoach, by=owner, type="course", values=ACTIVITY
    )
    jobcoach_services.update_activity(
        portfolio=jobcoach, by=owner, activity_id=added.pk, values={"title": "Anders"}
    )
    added.refresh_from_db()
    assert added.title == "Anders"
    assert jobcoach_services.remove_activity(portfolio=jobcoach, by=owner, activity_id=added.pk)
    actions = list(AuditEvent.objects.filter(portfolio=jobcoach).values_list("action", flat=True))
    assert {"activity_added", "activity_changed", "activity_removed"} <= set(actions)


def test_a_section_not_reopened_stays_frozen(jobcoach):
    owner = jobcoach.owner
    with pytest.raises(PortfolioFrozen, match="niet heropend"):
        services.update_section(
            portfolio=jobcoach, by=owner, section="a1", values={"a1_statement_signed": False}
        )
    with pytest.raises(PortfolioFrozen):
        jobcoach_services.add_meeting(
            portfolio=jobcoach, by=owner, values={"date": date(2025, 1, 1), "kind": "coaching"}
        )
    with pytest.raises(PortfolioFrozen):
        services.update_section(portfolio=jobcoach, by=owner, section=None, values={})


def test_saving_a1_during_the_round_says_it_is_not_reopened(client, jobcoach):
    client.force_login(jobcoach.owner)
    response = client.post(
        reverse("portfolios:a1", args=[jobcoach.pk]), {"a1_statement_signed": ""}, follow=True
    )
    assert response.status_code == 200
    assert "niet heropend voor aanvulling" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("portfolios:detail", args=[jobcoach.pk])


def test_the_pages_show_forms_only_for_reopened_sections(client, jobcoach):
    client.force_login(jobcoach.owner)
    a1 = client.get(reverse("portfolios:a1", args=[jobcoach.pk])).content.decode()
    assert "Opslaan" not in a1
    assert "niet heropend voor aanvulling en alleen te lezen" in a1
    pe = client.get(reverse("portfolios:pe", args=[jobcoach.pk])).content.decode()
    assert "Activiteit toevoegen" in pe
    assert "Dit onderdeel is heropend" in pe
    assert client.get(reverse("portfolios:pe_new", args=[jobcoach.pk])).status_code == 200
    meetings = client.get(reverse("portfolios:meetings", args=[jobcoach.pk])).content.decode()
    assert "Bekijken" in meetings and "Bewerken" not in meetings
    form = client.get(reverse("portfolios:pe_add", args=[jobcoach.pk, "course"]))
    assert form.status_code == 200
    meeting = jobcoach.reflection_meetings.first()
    gone = client.post(reverse("portfolios:meeting_delete", args=[jobcoach.pk, meeting.pk]))
    assert gone.status_code == 302
    assert jobcoach.reflection_meetings.filter(pk=meeting.pk).exists()


def test_the_owner_adds_an_activity_through_the_page(client, jobcoach):
    client.force_login(jobcoach.owner)
    response = client.post(
        reverse("portfolios:pe_add", args=[jobcoach.pk, "course"]),
        {"title": "Cursus in de aanvulling", "date": "2025-09-01", "sbu": "6"},
    )
    assert response.status_code == 302
    assert jobcoach.pe_activities.filter(title="Cursus in de aanvulling").exists()


def test_the_owner_sees_the_live_checklist_the_assessor_the_frozen_one(jobcoach):
    for activity in jobcoach.pe_activities.all():
        jobcoach_services.remove_activity(
            portfolio=jobcoach, by=jobcoach.owner, activity_id=activity.pk
        )
    assert services.evaluate_portfolio(jobcoach).submittable  # frozen with the submission
    assert not services.evaluate_portfolio(jobcoach, live=True).submittable
    draft = complete_portfolio()
    assert services.evaluate_portfolio(draft, live=True).submittable


def test_the_owner_overview_offers_the_resubmission(client, jobcoach):
    client.force_login(jobcoach.owner)
    page = client.get(reverse("portfolios:detail", args=[jobcoach.pk])).content.decode()
    assert "Aanvulling indienen" in page
    assert reverse("portfolios:pe", args=[jobcoach.pk]) in page


def test_loopbaan_sections_follow_their_checklist_keys():
    portfolio = in_supplement(complete_loopbaan_portfolio(), ["cases"])
    owner = portfolio.owner
    case = portfolio.cases.first()
    loopbaan_services.update_case(
        case=case,
        by=owner,
        title="Nieuwe titel",
        started=case.started,
        ended=case.ended,
        rationale="Waarom",
        tasks={},
        texts={},
    )
    loopbaan_services.update_details(
        portfolio=portfolio, by=owner, section="cases", values={"diversity": "Anders"}
    )
    event = AuditEvent.objects.filter(portfolio=portfolio, action="section_saved").last()
    assert event.detail["section"] == "cases"
    with pytest.raises(PortfolioFrozen):
        loopbaan_services.update_details(
            portfolio=portfolio, by=owner, section="education", values={"route": 1}
        )
    with pytest.raises(PortfolioFrozen):
        loopbaan_services.update_declarations(
            portfolio=portfolio,
            by=owner,
            code_of_conduct=True,
            complaints_regulation=True,
            truthful=True,
        )
    with pytest.raises(PortfolioFrozen):
        loopbaan_services.add_course(portfolio=portfolio, by=owner, values={"title": "X"})


def test_loopbaan_pages_during_a_supplement(client):
    portfolio = in_supplement(complete_loopbaan_portfolio(), ["cases"])
    client.force_login(portfolio.owner)
    saved = client.post(
        reverse("portfolios:lp_cases", args=[portfolio.pk]), {"diversity": "Nieuw verschil"}
    )
    assert saved.status_code == 302
    portfolio.loopbaan.refresh_from_db()
    assert portfolio.loopbaan.diversity == "Nieuw verschil"
    refused = client.post(
        reverse("portfolios:lp_plan", args=[portfolio.pk]),
        {"development_plan": "Ander plan"},
        follow=True,
    )
    assert "niet heropend voor aanvulling" in refused.content.decode()
    portfolio.loopbaan.refresh_from_db()
    assert portfolio.loopbaan.development_plan == "Plan."
