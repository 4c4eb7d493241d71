"""AS-5: a registration that runs out. Its owner is reminded 12, 6 and 3 months before the end
(each once), starts the recertification portfolio from it (the recertification date is the
registration's end), and the certification coordinator sees the registrations running out."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import tasks
from assessments.models import Registration, RegistrationReminder
from assessments.recertification_selectors import months_before
from assessments.recertification_services import (
    due_stage,
    send_registration_reminders,
    start_recertification,
)
from portfolios.jobcoach.models import JobcoachDetails
from portfolios.models import Portfolio, PortfolioState
from tests.assessments.coordination import advised_on, advised_portfolio
from tests.factories import Role, user_with
from tests.portfolios.factories import PortfolioFactory

pytestmark = pytest.mark.django_db

END = date(2027, 9, 30)


def registration(owner=None, *, valid_until=END, register="jobcoach", **kwargs) -> Registration:
    owner = owner or user_with(Role.PROFESSIONAL, full_name="Rianne Registratie")
    return Registration.objects.create(
        owner=owner,
        register=register,
        valid_from=valid_until - timedelta(days=4 * 365),
        valid_until=valid_until,
        **kwargs,
    )


def run(django_capture_on_commit_callbacks, as_of: date) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return send_registration_reminders(as_of=as_of)


def stages(registration) -> list[int]:
    return sorted(registration.reminders.values_list("months", flat=True), reverse=True)


# --- the calendar ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 9, 30), 12, date(2026, 9, 30)),
        (date(2027, 9, 30), 6, date(2027, 3, 30)),
        (date(2027, 9, 30), 3, date(2027, 6, 30)),
        # A day the month does not have becomes its last day.
        (date(2027, 8, 31), 6, date(2027, 2, 28)),
        (date(2028, 8, 31), 6, date(2028, 2, 29)),
        (date(2027, 5, 31), 3, date(2027, 2, 28)),
        # Across the turn of the year, and forward.
        (date(2027, 1, 15), 3, date(2026, 10, 15)),
        (date(2026, 10, 31), -4, date(2027, 2, 28)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


@pytest.mark.parametrize(
    ("as_of", "stage"),
    [
        (date(2026, 9, 29), None),  # a day before the first reminder
        (date(2026, 9, 30), 12),  # the day it becomes due
        (date(2027, 3, 29), 12),
        (date(2027, 3, 30), 6),
        (date(2027, 6, 29), 6),
        (date(2027, 6, 30), 3),
        (END, 3),  # the last day the registration is valid
        (END + timedelta(days=1), None),  # it has ended
    ],
)
def test_the_stage_due_on_a_day(as_of, stage):
    assert due_stage(END, as_of=as_of) == stage


# --- reminders ---------------------------------------------------------------------------------


def test_nothing_is_sent_the_day_before_twelve_months(django_capture_on_commit_callbacks):
    reg = registration()
    assert run(django_capture_on_commit_callbacks, date(2026, 9, 29)) == 0
    assert not mail.outbox and stages(reg) == []


def test_the_twelve_month_reminder_goes_out_the_day_it_is_due_and_once(
    django_capture_on_commit_callbacks,
):
    reg = registration()
    assert run(django_capture_on_commit_callbacks, date(2026, 9, 30)) == 1
    assert run(django_capture_on_commit_callbacks, date(2026, 9, 30)) == 0
    assert run(django_capture_on_commit_callbacks, date(2026, 10, 1)) == 0
    assert stages(reg) == [12]
    (message,) = mail.outbox
    assert message.to == [reg.owner.email]
    assert (
        message.subject == "Je registratie in het Register Jobcoach loopt af op 30 september 2027"
    )
    assert "loopt af op 30 september 2027, over 365 dagen" in message.body
    assert f"met je e-mailadres {reg.owner.email}." in message.body
    start = settings.SITE_URL.rstrip("/") + reverse("assessments:recertify", args=[reg.pk])
    assert f"Hercertificering starten: {start}" in message.body
    assert reverse("accounts:password_reset") in message.body
    reminder = reg.reminders.get()
    assert reminder.due_on == date(2026, 9, 30) and reminder.portfolio_state == ""


def test_all_three_reminders_over_time_each_once(django_capture_on_commit_callbacks):
    reg = registration()
    day, sent = date(2026, 9, 1), 0
    while day <= END + timedelta(days=10):
        sent += run(django_capture_on_commit_callbacks, day)
        day += timedelta(days=1)
    assert sent == 3
    assert stages(reg) == [12, 6, 3]
    assert ["over 365 dagen" in m.body for m in mail.outbox] == [True, False, False]
    assert ["over 184 dagen" in m.body for m in mail.outbox] == [False, True, False]
    assert ["over 92 dagen" in m.body for m in mail.outbox] == [False, False, True]
    assert [r.due_on for r in reg.reminders.order_by("-months")] == [
        date(2026, 9, 30),
        date(2027, 3, 30),
        date(2027, 6, 30),
    ]


def test_a_late_run_sends_the_due_stage_but_not_the_ones_it_missed(
    django_capture_on_commit_callbacks,
):
    """Beat was down from before the 12-month mark until after the 6-month mark: the owner gets
    the 6-month reminder, not the 12-month one as well; the 12-month one never follows."""
    reg = registration()
    assert run(django_capture_on_commit_callbacks, date(2027, 4, 10)) == 1
    assert stages(reg) == [6]
    assert run(django_capture_on_commit_callbacks, date(2027, 4, 11)) == 0
    assert run(django_capture_on_commit_callbacks, date(2027, 6, 30)) == 1
    assert stages(reg) == [6, 3]
    assert len(mail.outbox) == 2


def test_an_ended_registration_gets_none(django_capture_on_commit_callbacks):
    registration(valid_until=date(2026, 9, 29))
    assert run(django_capture_on_commit_callbacks, date(2026, 9, 30)) == 0
    assert not mail.outbox and not RegistrationReminder.objects.exists()


def test_a_renewed_registration_gets_none(django_capture_on_commit_callbacks):
    old = registration()
    registration(old.owner, valid_until=date(2031, 9, 30), previous=old)
    # Entered by the secretariat without naming its predecessor: still renewed.
    other = registration(user_with(Role.PROFESSIONAL))
    registration(other.owner, valid_until=date(2031, 9, 30))
    assert run(django_capture_on_commit_callbacks, date(2027, 7, 1)) == 0
    assert not mail.outbox


@pytest.mark.parametrize(
    "state",
    [
        PortfolioState.SUBMITTED,
        PortfolioState.IN_ASSESSMENT,
        PortfolioState.SUPPLEMENT_REQUESTED,
        PortfolioState.ADVISED,
    ],
)
def test_no_reminder_once_the_recertification_is_submitted(
    django_capture_on_commit_callbacks, state
):
    reg = registration()
    PortfolioFactory(owner=reg.owner, state=state)
    assert run(django_capture_on_commit_callbacks, date(2027, 7, 1)) == 0
    assert not mail.outbox


def test_a_withdrawn_or_decided_portfolio_does_not_stop_the_reminder(
    django_capture_on_commit_callbacks,
):
    reg = registration()
    PortfolioFactory(owner=reg.owner, state=PortfolioState.WITHDRAWN)
    PortfolioFactory(owner=reg.owner, state=PortfolioState.DECIDED)
    assert run(django_capture_on_commit_callbacks, date(2027, 7, 1)) == 1


def test_a_portfolio_in_preparation_is_named_in_the_reminder(django_capture_on_commit_callbacks):
    reg = registration()
    draft = PortfolioFactory(owner=reg.owner)
    Portfolio.objects.filter(pk=draft.pk).update(
        created_at=timezone.make_aware(timezone.datetime(2027, 2, 3, 10))
    )
    assert run(django_capture_on_commit_callbacks, date(2027, 7, 1)) == 1
    (message,) = mail.outbox
    assert "Je bent op 3 februari 2027 begonnen aan je hercertificeringsportfolio" in message.body
    assert "nog niet ingediend" in message.body
    detail = settings.SITE_URL.rstrip("/") + reverse("portfolios:detail", args=[draft.pk])
    assert f"Verder met je portfolio: {detail}" in message.body
    assert "Hercertificering starten" not in message.body
    assert reg.reminders.get().portfolio_state == "draft"


def test_a_register_without_a_recertification_portfolio_points_to_the_secretariat(
    django_capture_on_commit_callbacks,
):
    registration(register="loopbaanprofessional")
    assert run(django_capture_on_commit_callbacks, date(2027, 7, 1)) == 1
    (message,) = mail.outbox
    assert "Neem contact op met het secretariaat" in message.body
    assert "/hercertificeren/" not in message.body


def test_the_beat_task_runs_the_service_daily(django_capture_on_commit_callbacks):
    entry = settings.CELERY_BEAT_SCHEDULE["assessments-registration-reminders"]
    assert entry["task"] == "assessments.tasks.send_registration_reminders"
    assert entry["schedule"] == 60 * 60 * 24
    registration(valid_until=timezone.localdate() + timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_registration_reminders.delay().get() == 1
    assert len(mail.outbox) == 1


# --- the recertification starts from the registration -----------------------------------------


def test_the_recertification_date_comes_from_the_registration_not_the_form(client):
    reg = registration()
    client.force_login(reg.owner)
    form = client.get(reverse("portfolios:new"))
    field = form.context["form"].fields["recertification_date"]
    assert field.disabled and field.initial == END
    response = client.post(
        reverse("portfolios:new"),
        {"framework": "jobcoach-recertification", "recertification_date": "2030-01-01"},
    )
    portfolio = Portfolio.objects.get(owner=reg.owner)
    assert response.url == reverse("portfolios:detail", args=[portfolio.pk])
    assert portfolio.jobcoach.recertification_date == END


def test_without_a_registration_the_date_is_still_typed_in(client, professional):
    client.force_login(professional)
    assert (
        not client.get(reverse("portfolios:new"))
        .context["form"]
        .fields["recertification_date"]
        .disabled
    )
    client.post(
        reverse("portfolios:new"),
        {"framework": "jobcoach-recertification", "recertification_date": "2028-05-01"},
    )
    details = JobcoachDetails.objects.get(portfolio__owner=professional)
    assert details.recertification_date == date(2028, 5, 1)


def test_the_reminders_link_starts_the_portfolio_once(client):
    reg = registration()
    client.force_login(reg.owner)
    url = reverse("assessments:recertify", args=[reg.pk])
    page = client.get(url)
    assert "30 september 2027 over als hercertificeringsdatum" in page.content.decode()
    response = client.post(url)
    portfolio = Portfolio.objects.get(owner=reg.owner)
    assert response.url == reverse("portfolios:detail", args=[portfolio.pk])
    assert portfolio.framework == "jobcoach-recertification"
    assert portfolio.jobcoach.recertification_date == END
    # A second click (or the link again) leads to the same portfolio.
    assert client.post(url).url == response.url
    assert Portfolio.objects.filter(owner=reg.owner).count() == 1
    assert "Verder met mijn portfolio" in client.get(url).content.decode()


def test_a_newcomer_is_led_through_the_login_back_to_the_link(client):
    reg = registration()
    url = reverse("assessments:recertify", args=[reg.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


def test_only_the_owner_starts_the_recertification_of_a_current_registration(client):
    reg = registration()
    for someone in (
        user_with(Role.PROFESSIONAL),
        user_with(Role.CERTIFICATION_COORDINATOR),
        user_with(Role.SECRETARIAT, is_staff=True),
    ):
        client.force_login(someone)
        url = reverse("assessments:recertify", args=[reg.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert not Portfolio.objects.exists()
    renewed = registration(reg.owner, valid_until=date(2031, 9, 30), previous=reg)
    client.force_login(reg.owner)
    response = client.post(reverse("assessments:recertify", args=[reg.pk]), follow=True)
    assert "Deze registratie is al verlengd." in response.content.decode()
    assert not Portfolio.objects.exists()
    assert renewed.pk


def test_a2_shows_the_previous_plan_and_development_advice_beside_the_look_back(
    client, certification_coordinator
):
    from assessments.services import record_decision

    previous = advised_portfolio(PortfolioFactory)
    JobcoachDetails.objects.filter(portfolio=previous).update(
        plan_present="Ik begeleid vooral jongeren.",
        plan_future="Meer werkgeversbenadering.",
    )
    advised_on(previous, date(2026, 1, 10))
    record_decision(
        portfolio=previous,
        by=certification_coordinator,
        outcome="positive",
        decided_on=date(2026, 1, 15),
    )
    owner = previous.owner
    end = Registration.objects.get(owner=owner).valid_until
    portfolio = start_recertification(registration=Registration.objects.get(owner=owner), by=owner)
    assert portfolio.jobcoach.recertification_date == end
    client.force_login(owner)
    html = client.get(reverse("portfolios:a2", args=[portfolio.pk])).content.decode()
    assert "Ik begeleid vooral jongeren." in html and "Meer werkgeversbenadering." in html
    assert "Ontwikkeladvies van de assessoren" in html
    assert "Verdiep de reflectie op eigen handelen." in html
    assert 'name="a2_report"' in html


def test_a2_without_a_previous_portfolio_says_where_to_look(client, professional):
    portfolio = PortfolioFactory(owner=professional, jobcoach__recertification_date=END)
    client.force_login(professional)
    html = client.get(reverse("portfolios:a2", args=[portfolio.pk])).content.decode()
    assert "Je vorige ontwikkelplan staat niet in dit portaal" in html
    assert "ontwikkeladvies bij je vorige (her)certificering staat niet in dit portaal" in html


# --- the start page ----------------------------------------------------------------------------


def test_the_start_page_prompts_within_twelve_months(client):
    today = timezone.localdate()
    reg = registration(valid_until=today + timedelta(days=200))
    client.force_login(reg.owner)
    html = client.get(reverse("portfolios:list")).content.decode()
    assert "loopt af op" in html
    assert reverse("assessments:recertify", args=[reg.pk]) in html
    portfolio = start_recertification(registration=reg, by=reg.owner)
    html = client.get(reverse("portfolios:list")).content.decode()
    assert "Je bent al met je hercertificeringsportfolio bezig." in html
    Portfolio.objects.filter(pk=portfolio.pk).update(state=PortfolioState.SUBMITTED)
    html = client.get(reverse("portfolios:list")).content.decode()
    assert "Je hercertificeringsportfolio is ingediend" in html


def test_the_start_page_is_quiet_further_out_or_after_renewal(client):
    today = timezone.localdate()
    far = registration(valid_until=months_before(today, -12) + timedelta(days=1))
    client.force_login(far.owner)
    assert "loopt af op" not in client.get(reverse("portfolios:list")).content.decode()
    near = registration(valid_until=today + timedelta(days=30))
    registration(near.owner, valid_until=today + timedelta(days=30 + 4 * 365), previous=near)
    client.force_login(near.owner)
    assert "loopt af op" not in client.get(reverse("portfolios:list")).content.decode()


def test_the_start_page_reads_the_registrations_once_for_the_prompt_and_the_table(client):
    today = timezone.localdate()
    near = registration(valid_until=today + timedelta(days=30))
    registration(near.owner, valid_until=today - timedelta(days=3 * 365))
    registration(valid_until=today + timedelta(days=40))  # someone else's
    client.force_login(near.owner)
    client.get(reverse("portfolios:list"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("portfolios:list")).content.decode()
    assert html.count("loopt af op") == 1
    assert reverse("assessments:recertify", args=[near.pk]) in html
    assert html.count(reverse("register:certificate", args=[near.pk])) >= 1
    read = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].partition(" FROM ")[2].startswith('"assessments_registration"')
    ]
    assert len(read) == 1
    # One entered later in the same register without naming this one renews it as well.
    registration(near.owner, valid_until=today + timedelta(days=4 * 365))
    html = client.get(reverse("portfolios:list")).content.decode()
    assert "loopt af op" not in html and "Mijn registraties" in html


# --- the coordinator's list --------------------------------------------------------------------

LIST = reverse("assessments:expiring_registrations")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CERTIFICATION_COORDINATOR, 200),
        (Role.SECRETARIAT, 200),
        (Role.PROFESSIONAL, 404),
        (Role.ASSESSOR, 404),
        (Role.CIRCLE_COORDINATOR, 404),
        (Role.REGIONAL_CHAIR, 404),
    ],
)
def test_the_list_is_for_the_coordinator_and_the_secretariat(client, role, status):
    client.force_login(user_with(role))
    assert client.get(LIST).status_code == status


def test_the_list_asks_anonymous_visitors_to_log_in(client):
    assert client.get(LIST).url.startswith(reverse("accounts:login"))


def test_the_list_shows_what_runs_out_within_the_horizon(client, certification_coordinator):
    today = timezone.localdate()
    soon = registration(
        user_with(Role.PROFESSIONAL, full_name="Sanne Snel"), valid_until=today + timedelta(40)
    )
    RegistrationReminder.objects.create(
        registration=soon, months=3, due_on=months_before(soon.valid_until, 3)
    )
    later = registration(
        user_with(Role.PROFESSIONAL, full_name="Lars Later"), valid_until=today + timedelta(250)
    )
    PortfolioFactory(owner=later.owner)
    submitted = registration(
        user_with(Role.PROFESSIONAL, full_name="Iris Ingediend"), valid_until=today + timedelta(100)
    )
    PortfolioFactory(owner=submitted.owner, state=PortfolioState.SUBMITTED)
    registration(
        user_with(Role.PROFESSIONAL, full_name="Eva Eerder"), valid_until=today - timedelta(1)
    )
    client.force_login(certification_coordinator)

    html = client.get(LIST, {"months": 3}).content.decode()
    assert "Sanne Snel" in html and "Iris Ingediend" not in html and "Lars Later" not in html
    assert "3 maanden" in html and "niet gestart" in html
    html = client.get(LIST, {"months": 12}).content.decode()
    assert html.index("Sanne Snel") < html.index("Iris Ingediend") < html.index("Lars Later")
    assert "in voorbereiding" in html and "ingediend" in html
    assert "Eva Eerder" not in html
    # An invalid horizon is shown and the default (6 months) used.
    response = client.get(LIST, {"months": "99"})
    assert response.context["months"] == 6
    assert "Iris Ingediend" in response.content.decode()


def test_the_queue_links_to_the_list(client, certification_coordinator):
    client.force_login(certification_coordinator)
    assert LIST in client.get(reverse("assessments:certification")).content.decode()


def _list_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"months": 12})
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_one_and_many_rows(client, certification_coordinator):
    today = timezone.localdate()

    def add(n):
        reg = registration(user_with(Role.PROFESSIONAL), valid_until=today + timedelta(10 + n))
        RegistrationReminder.objects.create(registration=reg, months=3, due_on=today)
        PortfolioFactory(owner=reg.owner, state=PortfolioState.SUBMITTED if n % 2 else "draft")

    add(0)
    one = _list_queries(client, certification_coordinator)
    for n in range(1, 12):
        add(n)
    assert _list_queries(client, certification_coordinator) == one


def test_the_list_is_paginated(client, certification_coordinator):
    today = timezone.localdate()
    for n in range(27):
        registration(user_with(Role.PROFESSIONAL), valid_until=today + timedelta(10 + n))
    client.force_login(certification_coordinator)
    response = client.get(LIST, {"months": 3})
    assert len(response.context["page"].object_list) == 25
    assert "pagina=2" in response.content.decode()
    assert len(client.get(LIST, {"months": 3, "pagina": 2}).context["page"].object_list) == 2


# --- admin -------------------------------------------------------------------------------------


def test_the_reminders_are_read_only_in_the_admin(client, staff):
    reg = registration()
    reminder = RegistrationReminder.objects.create(registration=reg, months=12, due_on=END)
    client.force_login(staff)
    changelist = client.get(reverse("admin:assessments_registrationreminder_changelist"))
    assert changelist.status_code == 200
    assert LIST in changelist.content.decode()
    change = client.get(
        reverse("admin:assessments_registrationreminder_change", args=[reminder.pk])
    )
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert client.get(reverse("admin:assessments_registrationreminder_add")).status_code == 403


def test_an_inactive_account_gets_no_reminder(django_capture_on_commit_callbacks):
    reg = registration()
    reg.owner.is_active = False
    reg.owner.save(update_fields=["is_active"])
    assert run(django_capture_on_commit_callbacks, date(2027, 7, 1)) == 0


def test_the_hook_gives_the_end_of_the_registration_in_that_register(professional):
    from portfolios import hooks

    registration(professional)
    assert hooks.registration_end(owner=professional, register="jobcoach") == END
    assert hooks.registration_end(owner=professional, register="loopbaanprofessional") is None
