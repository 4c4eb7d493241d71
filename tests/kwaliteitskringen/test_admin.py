"""The secretariat's admin: every model listed, actions go through the services."""

from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from kwaliteitskringen import services
from kwaliteitskringen.models import AnnualReport, ClaimState, ReportState, SubsidyClaim
from tests.kwaliteitskringen.factories import (
    ApplicationFactory,
    CircleFactory,
    MembershipFactory,
    held_meeting,
)

pytestmark = pytest.mark.django_db


def test_every_model_has_an_admin_page(admin_client):
    circle = CircleFactory()
    ApplicationFactory(circle=circle)
    held_meeting(circle, date(2026, 3, 1), present=[MembershipFactory(circle=circle).member])
    for model in apps.get_app_config("kwaliteitskringen").get_models():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, opts.model_name


def test_reject_claim_asks_for_a_reason_then_calls_the_service(admin_client):
    circle = CircleFactory()
    claim = services.prepare_subsidy_claim(circle=circle, year=2026, by=circle.coordinator)
    services.submit_subsidy_claim(claim=claim, by=circle.coordinator)
    url = reverse("admin:kwaliteitskringen_subsidyclaim_changelist")
    data = {"action": "reject_subsidy_claim_action", "_selected_action": [claim.pk]}
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "Reden" in response.content.decode()
    admin_client.post(url, {**data, "apply": "1", "reason": "Jaarverslag ontbreekt"})
    claim.refresh_from_db()
    assert claim.state == ClaimState.REJECTED
    assert claim.decision_reason == "Jaarverslag ontbreekt"


def test_publish_action_refuses_a_draft_with_a_message(admin_client):
    circle = CircleFactory()
    draft = AnnualReport.objects.create(circle=circle, year=2025)
    submitted = AnnualReport.objects.create(circle=circle, year=2024, state=ReportState.SUBMITTED)
    url = reverse("admin:kwaliteitskringen_annualreport_changelist")
    response = admin_client.post(
        url, {"action": "publish", "_selected_action": [draft.pk, submitted.pk]}, follow=True
    )
    body = response.content.decode()
    assert "Alleen een ingediend jaarverslag" in body
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert (draft.state, submitted.state) == (ReportState.DRAFT, ReportState.PUBLISHED)


def test_approve_action(admin_client):
    circle = CircleFactory()
    claim = SubsidyClaim.objects.create(circle=circle, year=2026, state=ClaimState.SUBMITTED)
    admin_client.post(
        reverse("admin:kwaliteitskringen_subsidyclaim_changelist"),
        {"action": "approve", "_selected_action": [claim.pk]},
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.APPROVED


def test_programme_agree_action_calls_the_service_and_refuses_without_a_place(admin_client):
    from kwaliteitskringen.models import ProgrammeState

    circle = CircleFactory()
    member = MembershipFactory(circle=circle, year=2026).member
    ready = services.draft_programme(circle=circle, year=2026, by=circle.coordinator)
    services.propose_programme_item(
        programme=ready, by=member, on=date(2026, 12, 1), theme="T", form="tips", place="Ede"
    )
    other = CircleFactory()
    unplaced = services.draft_programme(circle=other, year=2026, by=other.coordinator)
    services.propose_programme_item(
        programme=unplaced, by=other.coordinator, on=date(2026, 12, 1), theme="T", form="tips"
    )
    url = reverse("admin:kwaliteitskringen_programme_changelist")
    response = admin_client.post(
        url, {"action": "agree", "_selected_action": [ready.pk, unplaced.pk]}, follow=True
    )
    assert "vul een plaats in" in response.content.decode()
    ready.refresh_from_db()
    unplaced.refresh_from_db()
    assert (ready.state, unplaced.state) == (ProgrammeState.AGREED, ProgrammeState.DRAFT)
    assert ready.items.get().meeting is not None
    assert (
        admin_client.get(
            reverse("admin:kwaliteitskringen_programme_change", args=[ready.pk])
        ).status_code
        == 200
    )


def test_programme_item_withdraw_and_subgroup_leave_actions(admin_client):
    from kwaliteitskringen.models import ProgrammeItem, SubgroupMembership

    circle = CircleFactory()
    member = MembershipFactory(circle=circle, year=2026).member
    programme = services.draft_programme(circle=circle, year=2026, by=circle.coordinator)
    item = services.propose_programme_item(
        programme=programme, by=member, on=date(2026, 12, 1), theme="T", form="tips"
    )
    admin_client.post(
        reverse("admin:kwaliteitskringen_programmeitem_changelist"),
        {"action": "withdraw", "_selected_action": [item.pk]},
    )
    assert not ProgrammeItem.objects.exists()
    subgroup = services.form_subgroup(circle=circle, name="Intervisie", by=member)
    place = SubgroupMembership.objects.get()
    url = reverse("admin:kwaliteitskringen_subgroup_changelist")
    body = admin_client.get(url + "?q=Intervisie").content.decode()
    assert "Intervisie" in body
    admin_client.post(
        reverse("admin:kwaliteitskringen_subgroupmembership_changelist"),
        {"action": "leave", "_selected_action": [place.pk]},
    )
    place.refresh_from_db()
    subgroup.refresh_from_db()
    assert place.left_at is not None and subgroup.convener is None
