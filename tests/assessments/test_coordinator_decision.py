"""AS-5: the certification coordinator records the certifying body's decision on an advised
portfolio; a positive one creates or extends the registration."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments.models import Decision, Registration
from assessments.services import DecisionError, record_decision
from portfolios.models import AuditEvent, PortfolioState
from tests.assessments.coordination import advised_on, advised_portfolio, assign, round_of
from tests.factories import Role, user_with
from tests.portfolios.factories import LoopbaanPortfolioFactory, PortfolioFactory
from tests.portfolios.test_write_services import in_threads, postgresql_only

pytestmark = pytest.mark.django_db

DECIDED_ON = date(2026, 1, 15)


def advised(factory=PortfolioFactory, outcome="positive", **kwargs):
    portfolio = advised_portfolio(factory, outcome, **kwargs)
    advised_on(portfolio, DECIDED_ON - timedelta(days=5))
    return portfolio


def decide(portfolio, by, outcome="positive", decided_on=DECIDED_ON, **kwargs):
    return record_decision(
        portfolio=portfolio, by=by, outcome=outcome, decided_on=decided_on, **kwargs
    )


def test_as5_a_positive_recertification_extends_the_date_the_portfolio_states(
    certification_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    portfolio = advised(jobcoach__recertification_date=date(2026, 3, 31))
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(portfolio, certification_coordinator, notes="Conform advies.")
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.DECIDED
    assert decision.advice == portfolio.rounds.get().advice
    registration = Registration.objects.get(decision=decision)
    assert (registration.owner, registration.register) == (portfolio.owner, "jobcoach")
    assert (registration.valid_from, registration.valid_until) == (
        date(2026, 4, 1),
        date(2030, 3, 31),
    )
    assert registration.previous is None
    event = AuditEvent.objects.get(portfolio=portfolio, action="decided")
    assert event.actor == certification_coordinator
    assert event.detail == {
        "outcome": "positive",
        "decided_on": "2026-01-15",
        "valid_from": "2026-04-01",
        "valid_until": "2030-03-31",
    }
    (mail,) = mailoutbox
    assert mail.to == [portfolio.owner.email]
    assert "positief" in mail.body and "31 maart 2030" in mail.body
    assert "Conform advies." in mail.body
    assert reverse("portfolios:detail", args=[portfolio.pk]) in mail.body


def test_as5_a_recertification_extends_the_owners_latest_registration_in_that_register(
    certification_coordinator,
):
    portfolio = advised(jobcoach__recertification_date=date(2026, 3, 31))
    owner = portfolio.owner
    Registration.objects.create(
        owner=owner, register="jobcoach", valid_from=date(2018, 1, 1), valid_until=date(2022, 1, 1)
    )
    latest = Registration.objects.create(
        owner=owner, register="jobcoach", valid_from=date(2021, 1, 1), valid_until=date(2025, 12, 1)
    )
    Registration.objects.create(
        owner=owner,
        register="loopbaanprofessional",
        valid_from=date(2024, 1, 1),
        valid_until=date(2028, 1, 1),
    )
    decision = decide(portfolio, certification_coordinator)
    registration = decision.registration
    # The portal's own registration wins over the date the portfolio states; it had ended
    # before the decision, so the new one starts on the decision date.
    assert (registration.valid_from, registration.valid_until) == (DECIDED_ON, date(2029, 12, 1))
    assert registration.previous == latest


def test_as5_an_initial_certification_runs_four_years_from_the_decision(
    certification_coordinator,
):
    portfolio = advised(LoopbaanPortfolioFactory)
    decided_on = date(2024, 2, 29)
    advised_on(portfolio, decided_on)
    registration = decide(portfolio, certification_coordinator, decided_on=decided_on).registration
    assert registration.register == "loopbaanprofessional"
    assert (registration.valid_from, registration.valid_until) == (decided_on, date(2028, 2, 29))


def test_as5_a_negative_decision_creates_no_registration_and_leaves_the_previous_one(
    certification_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    portfolio = advised(outcome="negative")
    previous = Registration.objects.create(
        owner=portfolio.owner,
        register="jobcoach",
        valid_from=date(2022, 3, 1),
        valid_until=date(2026, 3, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(portfolio, certification_coordinator, outcome="negative")
    assert decision.outcome == "negative"
    assert list(Registration.objects.all()) == [previous]
    previous.refresh_from_db()
    assert previous.valid_until == date(2026, 3, 1)
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.DECIDED
    assert "negatief" in mailoutbox[0].body


def test_as5_the_decision_may_differ_from_the_advice(certification_coordinator):
    portfolio = advised(outcome="negative")
    decision = decide(portfolio, certification_coordinator, outcome="positive")
    assert decision.registration.valid_until == date(2031, 3, 31)


def test_as5_a_double_click_records_one_decision(
    certification_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    portfolio = advised()
    with django_capture_on_commit_callbacks(execute=True):
        first = decide(portfolio, certification_coordinator)
        second = decide(portfolio, certification_coordinator)
    assert first == second
    assert Decision.objects.count() == Registration.objects.count() == 1
    assert AuditEvent.objects.filter(action="decided").count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    "state",
    [
        PortfolioState.DRAFT,
        PortfolioState.SUBMITTED,
        PortfolioState.IN_ASSESSMENT,
        PortfolioState.SUPPLEMENT_REQUESTED,
        PortfolioState.DECIDED,
        PortfolioState.WITHDRAWN,
    ],
)
def test_as5_no_decision_from_a_wrong_state(certification_coordinator, state):
    portfolio = advised()
    portfolio.state = state
    portfolio.save()
    with pytest.raises(DecisionError, match="een besluit volgt pas op een advies"):
        decide(portfolio, certification_coordinator)
    assert not Decision.objects.exists()
    portfolio.refresh_from_db()
    assert portfolio.state == state


def test_as5_no_decision_on_a_supplement_advice_or_without_an_advice(certification_coordinator):
    supplement = advised_portfolio(outcome="supplement")
    with pytest.raises(DecisionError, match="geen positief of negatief advies"):
        decide(supplement, certification_coordinator, decided_on=timezone.localdate())
    later = advised()
    round_of(later, 2)  # a new round without an advice yet: the old advice does not count
    with pytest.raises(DecisionError, match="geen positief of negatief advies"):
        decide(later, certification_coordinator)
    assert not Decision.objects.exists()


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.PROFESSIONAL, Role.CIRCLE_COORDINATOR])
def test_as5_only_the_certification_coordinator_decides(role):
    portfolio = advised()
    with pytest.raises(DecisionError, match="coördinator certificeren"):
        decide(portfolio, user_with(role))
    assert not Decision.objects.exists()


def test_as5_staff_may_record_the_decision(staff):
    assert decide(advised(), staff).decided_by == staff


def test_as5_a_decision_neither_in_the_future_nor_before_its_advice(certification_coordinator):
    portfolio = advised()
    with pytest.raises(DecisionError, match="toekomst"):
        decide(portfolio, certification_coordinator, decided_on=timezone.localdate() + timedelta(1))
    with pytest.raises(DecisionError, match="vóór de datum van het advies"):
        decide(portfolio, certification_coordinator, decided_on=DECIDED_ON - timedelta(days=6))
    assert not Decision.objects.exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_as5_two_coordinators_at_once_record_one_decision():
    portfolio = advised()
    first, second = (user_with(Role.CERTIFICATION_COORDINATOR) for _ in range(2))
    results = in_threads(
        lambda: decide(portfolio, first), lambda: decide(portfolio, second, outcome="negative")
    )
    assert not any(isinstance(result, Exception) for result in results), results
    assert results[0] == results[1]
    assert Decision.objects.count() == 1
    assert AuditEvent.objects.filter(action="decided").count() == 1
    assert Registration.objects.count() == (1 if results[0].outcome == "positive" else 0)
    connection.close()


# --- the page -----------------------------------------------------------------------------------


def page(pk):
    return reverse("assessments:certification_portfolio", args=[pk])


def test_the_page_of_an_advised_portfolio_shows_the_advice_and_the_decision_form(
    client, certification_coordinator
):
    portfolio = advised(outcome="negative")
    client.force_login(certification_coordinator)
    response = client.get(page(portfolio.pk))
    body = response.content.decode()
    assert "Besluit vastleggen" in body
    assert "Het portfolio laat overtuigend zien" in body
    assert "Verdiep de reflectie" in body
    assert response.context["decision_form"].initial["outcome"] == "negative"
    assert reverse("assessments:certification_decide", args=[portfolio.pk]) in body


def test_deciding_on_the_page_records_it_and_shows_the_registration(
    client, certification_coordinator
):
    portfolio = advised(jobcoach__recertification_date=date(2026, 3, 31))
    client.force_login(certification_coordinator)
    url = reverse("assessments:certification_decide", args=[portfolio.pk])
    data = {"outcome": "positive", "decided_on": "2026-01-15", "notes": ""}
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == page(portfolio.pk)
    body = response.content.decode()
    assert "is vastgelegd" in body
    assert "1 april 2026 tot en met 31 maart 2030" in body
    # A second click lands on the same page and the same decision.
    again = client.post(url, data, follow=True)
    assert again.status_code == 200
    assert Decision.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "", "decided_on": "2026-01-15"}, "Dit veld is vereist"),
        ({"outcome": "positive", "decided_on": "3026-01-15"}, "2100"),
        ({"outcome": "positive", "decided_on": "gisteren"}, "geldige datum"),
        ({"outcome": "positive", "decided_on": "2026-01-01"}, "vóór de datum van het advies"),
    ],
)
def test_a_refused_decision_is_shown_on_the_form_and_keeps_the_input(
    client, certification_coordinator, data, message
):
    portfolio = advised()
    client.force_login(certification_coordinator)
    data = {**data, "notes": "Getypte toelichting"}
    response = client.post(reverse("assessments:certification_decide", args=[portfolio.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Getypte toelichting" in body
    assert not Decision.objects.exists()


def test_deciding_on_a_portfolio_that_is_not_advised_says_why(client, certification_coordinator):
    portfolio = PortfolioFactory(state=PortfolioState.IN_ASSESSMENT)
    assign(round_of(portfolio))
    client.force_login(certification_coordinator)
    response = client.post(
        reverse("assessments:certification_decide", args=[portfolio.pk]),
        {"outcome": "positive", "decided_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "een besluit volgt pas op een advies" in response.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.parametrize("persona", ["assessor", "owner", "staff", "circle_coordinator"])
def test_outsiders_cannot_post_a_decision(client, persona, request):
    portfolio = advised()
    people = {"owner": portfolio.owner}
    user = people.get(persona) or request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(
        reverse("assessments:certification_decide", args=[portfolio.pk]),
        {"outcome": "positive", "decided_on": "2026-01-15"},
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()
