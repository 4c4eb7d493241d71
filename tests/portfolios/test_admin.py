"""The portfolio admin: actions go through the services with the staff member as the actor, and
content past draft (AS-1) cannot be changed there."""

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portfolios import services
from portfolios.jobcoach import services as jobcoach_services
from portfolios.jobcoach.models import JobcoachDetails
from portfolios.jobcoach.services import (
    ConfirmationState,
    FacilitatorConfirmation,
    ReflectionMeeting,
)
from portfolios.models import AuditEvent, PortfolioState
from tests.portfolios.factories import (
    CaseFactory,
    PortfolioFactory,
    ReflectionMeetingFactory,
    complete_portfolio,
    fill_case,
)

pytestmark = pytest.mark.django_db

PORTFOLIOS = "admin:portfolios_portfolio_changelist"


def run_action(client, changelist, action, objects):
    return client.post(
        reverse(changelist),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def test_admin_submit_names_the_staff_member(client, staff, django_capture_on_commit_callbacks):
    portfolio = complete_portfolio()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        run_action(client, PORTFOLIOS, "submit", [portfolio])
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.SUBMITTED
    assert portfolio.submissions.get().submitted_by == staff
    assert AuditEvent.objects.get(portfolio=portfolio, action="submitted").actor == staff
    assert portfolio.rounds.count() == 1


def test_admin_withdraw_names_the_staff_member(client, staff):
    portfolio = PortfolioFactory(state=PortfolioState.SUBMITTED)
    client.force_login(staff)
    run_action(client, PORTFOLIOS, "withdraw", [portfolio])
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.WITHDRAWN
    assert AuditEvent.objects.get(portfolio=portfolio, action="withdrawn").actor == staff


def test_admin_revoke_names_the_staff_member(client, staff):
    meeting = ReflectionMeetingFactory()
    confirmation = FacilitatorConfirmation.objects.create(
        meeting=meeting, email="begeleider@example.org", expires_at=timezone.now()
    )
    client.force_login(staff)
    run_action(
        client, "admin:portfolios_facilitatorconfirmation_changelist", "revoke", [confirmation]
    )
    confirmation.refresh_from_db()
    assert confirmation.state == ConfirmationState.REVOKED
    event = AuditEvent.objects.get(portfolio=meeting.portfolio, action="confirmation_revoked")
    assert event.actor == staff


def test_only_the_owner_or_staff_act_for_the_owner(staff, other_professional):
    portfolio = PortfolioFactory()
    with pytest.raises(services.TransitionError, match="Alleen de eigenaar"):
        services.withdraw_portfolio(portfolio=portfolio, by=other_professional)
    services.withdraw_portfolio(portfolio=portfolio, by=staff)


def test_as1_a_submitted_portfolio_and_its_inlines_are_read_only(client, staff):
    portfolio = PortfolioFactory(state=PortfolioState.SUBMITTED, jobcoach__a2_report="Terugblik")
    ReflectionMeetingFactory(portfolio=portfolio)
    client.force_login(staff)
    url = reverse("admin:portfolios_portfolio_change", args=[portfolio.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    inlines = response.context["inline_admin_formsets"]
    assert JobcoachDetails in [inline.formset.model for inline in inlines]
    for inline in inlines:
        assert not inline.has_add_permission, inline.opts
        assert not inline.has_change_permission, inline.opts
        assert not inline.has_delete_permission, inline.opts
    assert client.post(url, {"jobcoach-0-a2_report": "Anders"}).status_code == 403
    assert JobcoachDetails.objects.get(portfolio=portfolio).a2_report == "Terugblik"


def test_as1_a_draft_keeps_its_inlines_editable(client, staff):
    portfolio = PortfolioFactory()
    client.force_login(staff)
    response = client.get(reverse("admin:portfolios_portfolio_change", args=[portfolio.pk]))
    assert response.context["has_change_permission"]
    assert all(inline.has_add_permission for inline in response.context["inline_admin_formsets"])


def test_the_jobcoach_sections_are_a_stacked_inline_of_the_portfolio_that_staff_can_save(
    client, staff
):
    portfolio = PortfolioFactory(jobcoach__a2_report="Terugblik")
    details = portfolio.jobcoach
    client.force_login(staff)
    url = reverse("admin:portfolios_portfolio_change", args=[portfolio.pk])
    form = client.get(url).context["adminform"].form
    # The portfolio row keeps only what every framework shares.
    assert {"cv", "declares_code_of_conduct"} <= set(form.fields)
    assert "a2_report" not in form.fields
    data = {
        "declares_code_of_conduct": "on",
        "jobcoach-0-id": details.pk,
        "jobcoach-0-portfolio": portfolio.pk,
        "jobcoach-0-recertification_date": "2027-03-31",
        "jobcoach-0-a2_report": "Anders",
    }
    for prefix, forms in (("jobcoach", 1), ("reflection_meetings", 0), ("pe_activities", 0)):
        data |= {f"{prefix}-TOTAL_FORMS": forms, f"{prefix}-INITIAL_FORMS": forms}
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    details.refresh_from_db()
    assert details.a2_report == "Anders"
    portfolio.refresh_from_db()
    assert portfolio.declares_code_of_conduct


@pytest.mark.parametrize(
    ("state", "added"), [(PortfolioState.DRAFT, 1), (PortfolioState.SUBMITTED, 0)]
)
def test_as1_nothing_is_added_to_a_portfolio_past_draft(client, staff, state, added):
    portfolio = PortfolioFactory(state=state)
    client.force_login(staff)
    response = client.post(
        reverse("admin:portfolios_reflectionmeeting_add"),
        {"portfolio": portfolio.pk, "kind": "intervision", "date": "2025-05-12"},
    )
    assert ReflectionMeeting.objects.filter(portfolio=portfolio).count() == added
    if not added:
        assert "kan niet meer worden gewijzigd" in response.content.decode()


def test_as1_a_case_task_of_a_submitted_portfolio_is_read_only(client, staff):
    case = fill_case(CaseFactory(portfolio__state=PortfolioState.SUBMITTED), tasks=[0])
    task = case.tasks.get()
    client.force_login(staff)
    url = reverse("admin:portfolios_casetask_change", args=[task.pk])
    response = client.post(url, {"case": case.pk, "number": 0, "text": "Anders"})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.text != "Anders"


def test_audit_events_and_submissions_are_never_written_in_the_admin(
    client, staff, django_capture_on_commit_callbacks
):
    portfolio = complete_portfolio()
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submit_portfolio(portfolio=portfolio, by=portfolio.owner)
    event = AuditEvent.objects.filter(portfolio=portfolio).first()
    client.force_login(staff)
    for name, obj in (("auditevent", event), ("submission", submission)):
        assert client.get(reverse(f"admin:portfolios_{name}_add")).status_code == 403
        change = reverse(f"admin:portfolios_{name}_change", args=[obj.pk])
        assert not client.get(change).context["has_change_permission"]
        delete = reverse(f"admin:portfolios_{name}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert type(obj).objects.filter(pk=obj.pk).exists()


def test_a_draft_is_still_deleted_with_its_audit_trail(client, staff):
    portfolio = jobcoach_services.start_jobcoach_portfolio(
        owner=PortfolioFactory().owner, recertification_date=None
    )
    client.force_login(staff)
    delete = reverse("admin:portfolios_portfolio_delete", args=[portfolio.pk])
    client.post(delete, {"post": "yes"})
    assert not AuditEvent.objects.filter(portfolio_id=portfolio.pk).exists()
    assert not type(portfolio).objects.filter(pk=portfolio.pk).exists()


def test_as1_an_admin_save_racing_a_submit_is_refused(rf, staff):
    """The admin loaded the draft; the owner submits before the save: the save checks the
    portfolio row under its lock, not the copy it loaded."""
    portfolio = PortfolioFactory(jobcoach__a2_report="Terugblik")
    type(portfolio).objects.filter(pk=portfolio.pk).update(state=PortfolioState.SUBMITTED)
    request = rf.post("/")
    request.user = staff
    for instance, data in (
        (portfolio, {"declares_code_of_conduct": "on"}),
        (portfolio.jobcoach, {"portfolio": portfolio.pk, "a2_report": "Anders"}),
    ):
        model_admin = admin.site._registry[type(instance)]
        form = model_admin.get_form(request, instance, change=True)(data, instance=instance)
        with transaction.atomic():
            assert not form.is_valid()
        assert "kan niet meer worden gewijzigd" in str(form.errors)
