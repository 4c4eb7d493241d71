"""AS-2 in the admin: assessors are assigned only through assign_assessor, and the round's
assignments are read only."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.models import AssessmentRound, Assignment
from assessments.services import AssignmentError, assign_assessor
from portfolios.models import AuditEvent, PortfolioState
from tests.factories import Role, user_with
from tests.portfolios.factories import LoopbaanPortfolioFactory, PortfolioFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:assessments_assessmentround_changelist"


def submitted_round(factory=PortfolioFactory, **kwargs) -> AssessmentRound:
    portfolio = factory(state=PortfolioState.SUBMITTED, **kwargs)
    return AssessmentRound.objects.create(portfolio=portfolio, number=1)


def assign_in_admin(client, round_, assessor):
    return client.post(
        reverse(CHANGELIST),
        {
            "action": "assign_assessor",
            "_selected_action": [round_.pk],
            "apply": "1",
            "assessor": assessor.pk,
        },
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_as2_the_action_asks_for_the_assessor_first(client, staff, assessor):
    round_ = submitted_round()
    client.force_login(staff)
    response = client.post(
        reverse(CHANGELIST), {"action": "assign_assessor", "_selected_action": [round_.pk]}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Beoordelaar toewijzen" in body and escape(str(assessor)) in body
    assert not Assignment.objects.exists()


def test_as2_admin_assigns_through_the_service_and_the_audit_names_the_staff_member(
    client, staff, assessor
):
    round_ = submitted_round()
    client.force_login(staff)
    response = assign_in_admin(client, round_, assessor)
    assert any("is toegewezen" in message for message in messages_of(response))
    assert Assignment.objects.get(round=round_).assessor == assessor
    round_.portfolio.refresh_from_db()
    assert round_.portfolio.state == PortfolioState.IN_ASSESSMENT
    event = AuditEvent.objects.get(portfolio=round_.portfolio, action="assessor_assigned")
    assert event.actor == staff
    assert event.detail == {"round": 1, "assessor": assessor.pk}


def test_as2_admin_refuses_the_owner_with_a_message_and_writes_nothing(client, staff):
    owner = user_with(Role.PROFESSIONAL, Role.ASSESSOR)
    round_ = submitted_round(owner=owner)
    client.force_login(staff)
    response = assign_in_admin(client, round_, owner)
    assert any("eigen portfolio" in message for message in messages_of(response))
    assert not Assignment.objects.exists()
    assert not AuditEvent.objects.filter(action="assessor_assigned").exists()
    round_.portfolio.refresh_from_db()
    assert round_.portfolio.state == PortfolioState.SUBMITTED


@pytest.mark.parametrize(
    ("factory", "already"), [(PortfolioFactory, 1), (LoopbaanPortfolioFactory, 2)]
)
def test_as2_admin_refuses_one_assessor_too_many(client, staff, factory, already):
    round_ = submitted_round(factory)
    for _ in range(already):
        assign_assessor(round=round_, assessor=user_with(Role.ASSESSOR), by=staff)
    client.force_login(staff)
    response = assign_in_admin(client, round_, user_with(Role.ASSESSOR))
    assert any(f"al {already} assessor" in message for message in messages_of(response))
    assert round_.assignments.count() == already
    assert AuditEvent.objects.filter(action="assessor_assigned").count() == already


def test_as2_a_round_page_offers_the_assignment_and_its_inline_is_read_only(
    client, staff, assessor
):
    round_ = submitted_round()
    assign_assessor(round=round_, assessor=assessor, by=staff)
    client.force_login(staff)
    url = reverse("admin:assessments_assessmentround_change", args=[round_.pk])
    response = client.get(url)
    assert 'value="assign_assessor"' in response.content.decode()
    (inline,) = response.context["inline_admin_formsets"]
    assert not (inline.has_add_permission or inline.has_change_permission)
    assert not inline.has_delete_permission
    other = user_with(Role.ASSESSOR)
    posted = client.post(
        url,
        {
            "assignments-TOTAL_FORMS": "1",
            "assignments-INITIAL_FORMS": "0",
            "assignments-0-assessor": other.pk,
            "assignments-0-state": "judging",
        },
    )
    assert posted.status_code == 403
    assert list(round_.assignments.values_list("assessor", flat=True)) == [assessor.pk]


def test_as2_no_raw_assignment_in_the_admin(client, staff, assessor):
    round_ = submitted_round()
    assignment = assign_assessor(round=round_, assessor=assessor, by=staff)
    client.force_login(staff)
    add = reverse("admin:assessments_assignment_add")
    assert client.post(add, {"round": round_.pk, "assessor": assessor.pk}).status_code == 403
    assert client.get(reverse("admin:assessments_assessmentround_add")).status_code == 403
    other = user_with(Role.ASSESSOR)
    change = reverse("admin:assessments_assignment_change", args=[assignment.pk])
    client.post(change, {"assessor": other.pk, "round": round_.pk, "state": "judging"})
    assignment.refresh_from_db()
    assert assignment.assessor == assessor
    assert assignment.state == "pending_declaration"  # the assessor declares on their own page
    delete = reverse("admin:assessments_assignment_delete", args=[assignment.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_as2_only_the_current_round_takes_an_assessor(staff, assessor):
    first = submitted_round()
    AssessmentRound.objects.create(portfolio=first.portfolio, number=2)
    with pytest.raises(AssignmentError, match="lopende beoordelingsronde"):
        assign_assessor(round=first, assessor=assessor, by=staff)
    assert not Assignment.objects.exists()


# --- AS-5: the decision through the admin --------------------------------------------------

ADVICES = "admin:assessments_advice_changelist"


def decide_in_admin(client, advice, **data):
    return client.post(
        reverse(ADVICES),
        {"action": "record_decision", "_selected_action": [advice.pk], "apply": "1", **data},
        follow=True,
    )


def test_as5_the_decision_action_asks_first_then_records_through_the_service(client, staff):
    from datetime import date

    from assessments.models import Decision, Registration
    from tests.assessments.coordination import advised_on, advised_portfolio

    portfolio = advised_portfolio(jobcoach__recertification_date=date(2026, 3, 31))
    advised_on(portfolio, date(2026, 1, 10))
    advice = portfolio.rounds.get().advice
    client.force_login(staff)
    asked = client.post(
        reverse(ADVICES), {"action": "record_decision", "_selected_action": [advice.pk]}
    )
    assert asked.status_code == 200 and "Besluit vastleggen" in asked.content.decode()
    assert not Decision.objects.exists()
    response = decide_in_admin(client, advice, outcome="positive", decided_on="2026-01-15")
    assert any("besluit positief vastgelegd" in m for m in messages_of(response))
    decision = Decision.objects.get()
    assert decision.decided_by == staff
    registration = Registration.objects.get()
    assert (registration.valid_from, registration.valid_until) == (
        date(2026, 4, 1),
        date(2030, 3, 31),
    )
    event = AuditEvent.objects.get(action="decided")
    assert event.actor == staff


def test_as5_the_admin_refuses_a_decision_on_a_supplement_advice(client, staff):
    from django.utils import timezone

    from assessments.models import Decision
    from tests.assessments.coordination import advised_portfolio

    portfolio = advised_portfolio(outcome="supplement")
    portfolio.state = PortfolioState.SUPPLEMENT_REQUESTED
    portfolio.save()
    client.force_login(staff)
    response = decide_in_admin(
        client,
        portfolio.rounds.get().advice,
        outcome="positive",
        decided_on=timezone.localdate().isoformat(),
    )
    assert any("een besluit volgt pas op een advies" in m for m in messages_of(response))
    assert not Decision.objects.exists()


def test_as5_decisions_are_read_only_in_the_admin(client, staff):
    client.force_login(staff)
    assert client.get(reverse("admin:assessments_decision_add")).status_code == 403
    assert client.get(reverse("admin:assessments_decision_changelist")).status_code == 200
    assert client.get(reverse("admin:assessments_registration_changelist")).status_code == 200


def test_as5_the_secretariat_enters_a_registration_from_before_the_portal(client, staff):
    from datetime import date

    from assessments.models import Registration
    from assessments.services import record_decision
    from tests.assessments.coordination import advised_on, advised_portfolio

    portfolio = advised_portfolio(jobcoach__recertification_date=date(2026, 3, 31))
    advised_on(portfolio, date(2026, 1, 10))
    client.force_login(staff)
    add = reverse("admin:assessments_registration_add")
    data = {"owner": portfolio.owner.pk, "register": "jobcoach", "valid_from": "2022-06-01"}
    backwards = client.post(add, {**data, "valid_until": "2021-06-01"})
    assert "Het einde ligt vóór het begin." in backwards.content.decode()
    assert client.post(add, {**data, "valid_until": "2026-05-31"}).status_code == 302
    earlier = Registration.objects.get()
    change = client.get(reverse("admin:assessments_registration_change", args=[earlier.pk]))
    assert change.status_code == 200 and 'name="valid_until"' not in change.content.decode()
    decision = record_decision(
        portfolio=portfolio, by=staff, outcome="positive", decided_on=date(2026, 1, 15)
    )
    # The entered registration, not the date the portfolio states, is what is extended.
    assert decision.registration.previous == earlier
    assert decision.registration.valid_until == date(2030, 5, 31)
