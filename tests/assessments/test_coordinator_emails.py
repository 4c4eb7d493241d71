"""Notifications of the coordinator's transitions: submitted (owner and coordinators)."""

import pytest
from django.urls import reverse

from assessments.models import AssessmentRound
from portfolios import services
from portfolios.models import PortfolioState
from tests.factories import Role, user_with
from tests.portfolios.factories import complete_portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_dossier(monkeypatch):
    monkeypatch.setattr(services, "queue_report", lambda **kwargs: None)


def test_a_submit_tells_the_owner_and_every_coordinator(
    mailoutbox, django_capture_on_commit_callbacks, no_dossier
):
    coordinators = [user_with(Role.CERTIFICATION_COORDINATOR) for _ in range(2)]
    user_with(Role.CERTIFICATION_COORDINATOR, is_active=False)
    portfolio = complete_portfolio()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_address) == {portfolio.owner.email, *(c.email for c in coordinators)}
    owner_mail = by_address[portfolio.owner.email]
    assert "ingediend" in owner_mail.subject
    assert reverse("portfolios:detail", args=[portfolio.pk]) in owner_mail.body
    coordinator_mail = by_address[coordinators[0].email]
    assert str(portfolio.owner) in coordinator_mail.subject
    assert (
        reverse("assessments:certification_portfolio", args=[portfolio.pk]) in coordinator_mail.body
    )


def test_a_resubmission_is_not_announced_as_a_new_submission(
    mailoutbox, django_capture_on_commit_callbacks, no_dossier
):
    user_with(Role.CERTIFICATION_COORDINATOR)
    portfolio = complete_portfolio()
    services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    portfolio.state = PortfolioState.SUPPLEMENT_REQUESTED
    portfolio.reopened_sections = ["a1"]
    portfolio.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    assert AssessmentRound.objects.filter(portfolio=portfolio).count() == 2
    assert not [mail for mail in mailoutbox if "ingediend" in mail.subject.lower()]
