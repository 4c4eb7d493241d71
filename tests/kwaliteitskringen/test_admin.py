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
