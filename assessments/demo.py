"""Demo work in every state of the assessment (`manage.py seed_demo`, never in production).

The demo assessors (assessor@, assessor2@) and the certification coordinator find: a portfolio to
assign, one awaiting a declaration, one being judged, a Loopbaanprofessional portfolio whose two
assessors differ, one in a supplement round with a diff to read, one advised and waiting for the
decision, and professional@'s portfolio decided, with its registration. Two jobcoaches hold a
registration that runs out within six months (seed_recertification).

The public register has entries too: current registrations of several demo professionals (some
showing their place), one that expires within three months and one that expired.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from assessments import recertification_services, services
from assessments.models import (
    AdviceOutcome,
    DecisionOutcome,
    Registration,
    RegistrationReminder,
    ReminderMonths,
    Verdict,
)
from noloc_portal.accounts.demo import DEMO_PASSWORD
from noloc_portal.accounts.models import Role, RoleGrant, User
from portfolios import registry
from portfolios import services as portfolio_services
from portfolios.evaluation.common import years_before
from portfolios.models import Portfolio, PortfolioState

JOBCOACH = "jobcoach-recertification"
LOOPBAAN = "loopbaanprofessional-initial"

# Professionals whose portfolios make up the work (not demo logins of a role of their own).
OWNERS = {
    "to_assign": ("jeroen.bos@example.org", "Jeroen Bos"),
    "pending": ("linda.smit@example.org", "Linda Smit"),
    "judging": ("mark.devries@example.org", "Mark de Vries"),
    "differ": ("fatima.yilmaz@example.org", "Fatima Yilmaz"),
    "supplement": ("sophie.mulder@example.org", "Sophie Mulder"),
    "advised": ("ruud.kramer@example.org", "Ruud Kramer"),
}


def _owner(key: str) -> User:
    email, name = OWNERS[key]
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    RoleGrant.objects.get_or_create(user=user, role=Role.PROFESSIONAL)
    return user


def _submitted(owner: User, framework: str) -> Portfolio:
    portfolio = registry.get(framework).demo_complete_portfolio(owner)
    portfolio_services.submit_portfolio(portfolio=portfolio, by=owner)
    portfolio.refresh_from_db()
    return portfolio


def _round(portfolio: Portfolio):
    return portfolio.rounds.order_by("-number").first()


def _assign(portfolio: Portfolio, assessor: User, coordinator: User):
    return services.assign_assessor(round=_round(portfolio), assessor=assessor, by=coordinator)


def _judge(assignment, verdicts: dict[str, tuple[str, str]], *, finish: bool):
    """Judge every criterion "meets" except those in ``verdicts``; finish when asked."""
    services.declare_no_conflict(assignment=assignment, by=assignment.assessor)
    values = {
        criterion.key: (Verdict.MEETS, "") for criterion in services.judged_criteria(assignment)
    }
    values.update(verdicts)
    if not finish:
        values = dict(list(values.items())[:3])
    services.save_judgements(assignment=assignment, by=assignment.assessor, values=values)
    if finish:
        services.finish_judging(assignment=assignment, by=assignment.assessor)
    return assignment


def seed(users: dict) -> None:
    seed_recertification()
    if Portfolio.objects.filter(owner__email=OWNERS["to_assign"][0]).exists():
        return
    coordinator, first, second = users["certification"], users["assessor"], users["assessor2"]
    _seed_registrations(users)

    # Submitted, waiting for the coordinator to assign an assessor.
    _submitted(_owner("to_assign"), JOBCOACH)

    # Assigned to assessor@, who has not yet declared (no conflict of interest).
    _assign(_submitted(_owner("pending"), JOBCOACH), first, coordinator)

    # assessor@ declared and saved the first judgements as a draft.
    judging = _assign(_submitted(_owner("judging"), JOBCOACH), first, coordinator)
    _judge(judging, {}, finish=False)

    # Loopbaanprofessional: both assessors judged and differ on two criteria; the interview is
    # planned, so the joint advice waits for it.
    differ = _submitted(_owner("differ"), LOOPBAAN)
    a, b = services.assign_assessors(
        round=_round(differ), assessors=[first, second], by=coordinator
    )
    _judge(
        a,
        {
            "task_4": (
                Verdict.SUPPLEMENT_NEEDED,
                "De visie op de loopbaan van de cliënt blijft in casus 2 erg algemeen.",
            ),
        },
        finish=True,
    )
    _judge(
        b,
        {
            "task_4": (Verdict.MEETS, ""),
            "competence_adviseren": (
                Verdict.DOES_NOT_MEET,
                "Het advies aan de opdrachtgever wordt genoemd, niet onderbouwd.",
            ),
        },
        finish=True,
    )
    services.schedule_interview(
        round=_round(differ),
        by=first,
        starts_at=timezone.now() + timedelta(days=10),
        location="Noloc, Utrecht",
    )

    # A supplement round: assessor2@ asked for more PE evidence, the owner added an activity and
    # resubmitted; the second round shows what changed.
    supplement = _submitted(_owner("supplement"), JOBCOACH)
    assignment = _assign(supplement, second, coordinator)
    _judge(
        assignment,
        {
            "b": (
                Verdict.SUPPLEMENT_NEEDED,
                "Voor de cursus motiverende gespreksvoering ontbreekt het certificaat.",
            )
        },
        finish=True,
    )
    services.record_advice(
        round=_round(supplement),
        by=second,
        outcome=AdviceOutcome.SUPPLEMENT,
        motivation="Lever het certificaat van de training aan en vul zo nodig aan.",
        development_advice="",
        supplement_sections=["b"],
        supplement_deadline=timezone.localdate() + timedelta(days=30),
    )
    supplement.refresh_from_db()
    _add_activity(supplement)
    portfolio_services.submit_portfolio(portfolio=supplement, by=supplement.owner)

    # Advised positively by assessor2@; the coordinator records the decision.
    advised = _submitted(_owner("advised"), JOBCOACH)
    _judge(_assign(advised, second, coordinator), {}, finish=True)
    services.record_advice(
        round=_round(advised),
        by=second,
        outcome=AdviceOutcome.POSITIVE,
        motivation="Alle onderdelen voldoen; de reflectie is eerlijk en concreet.",
        development_advice="Verdiep je de komende jaren in begeleiding bij psychische klachten.",
    )

    # professional@'s submitted portfolio: judged, advised and decided, with its registration.
    decided = (
        Portfolio.objects.filter(owner=users["professional"], state=PortfolioState.SUBMITTED)
        .order_by("pk")
        .first()
    )
    if decided is None:
        return
    _judge(_assign(decided, first, coordinator), {}, finish=True)
    services.record_advice(
        round=_round(decided),
        by=first,
        outcome=AdviceOutcome.POSITIVE,
        motivation="Een volledig en goed onderbouwd portfolio.",
        development_advice=(
            "Zoek meer intervisie met jobcoaches buiten je eigen organisatie en leg vast wat je "
            "daaruit meeneemt in je werk met werkgevers."
        ),
    )
    services.record_decision(
        portfolio=decided,
        by=coordinator,
        outcome=DecisionOutcome.POSITIVE,
        decided_on=timezone.localdate(),
    )
    seed_pe_statement(users)


def seed_pe_statement(users: dict) -> None:
    """JC-B category 4: assessor@ is also a professional with a draft Jobcoach portfolio, and the
    coordinator signed her PE statement over the last twelve months (the Jobcoach portfolio she
    judged above is its candidate; the Loopbaanprofessional one is in another register). The
    statement waits on her PE register to be taken over. Idempotent."""
    from assessments.models import PEStatement
    from assessments.pe_statements import issue_pe_statement

    assessor, coordinator = users["assessor"], users["certification"]
    if PEStatement.objects.filter(assessor=assessor).exists():
        return
    RoleGrant.objects.get_or_create(user=assessor, role=Role.PROFESSIONAL)
    today = timezone.localdate()
    if not Portfolio.objects.filter(owner=assessor, framework=JOBCOACH).exists():
        registry.get(JOBCOACH).start(
            owner=assessor,
            data={"recertification_date": date(today.year + 1, 6, 30)},
        )
    issue_pe_statement(
        assessor=assessor,
        period_start=years_before(today, 1) + timedelta(days=1),
        period_end=today,
        by=coordinator,
    )


def _add_activity(portfolio: Portfolio) -> None:
    """The supplement: the certificate of the course, as a new PE activity with evidence."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portfolios.demo import _sample_pdf
    from portfolios.jobcoach.services import ACTIVITIES

    certificate = _sample_pdf("Certificaat", portfolio.owner.full_name, "certificaat.pdf")
    ACTIVITIES.add(
        portfolio=portfolio,
        by=portfolio.owner,
        values={
            "title": "Training motiverende gespreksvoering (certificaat)",
            "date": timezone.localdate() - timedelta(days=400),
            "sbu": Decimal(12),
        },
        type="course",
        upload=SimpleUploadedFile("certificaat.pdf", certificate, content_type="application/pdf"),
    )


# --- registrations running out (AS-5) ------------------------------------------------------------

# Registered jobcoaches whose registration ends soon (log in with the demo password): one
# reminded three months before the end and not yet started, one preparing the recertification.
RENEWING = {
    "expiring": ("anouk.peters@example.org", "Anouk Peters", 75, ReminderMonths.THREE),
    "preparing": ("bram.visser@example.org", "Bram Visser", 160, ReminderMonths.SIX),
}


def seed_recertification() -> None:
    """Registrations in the Register Jobcoach ending within three and six months (entered as
    the secretariat does for a registration made before the portal), with the reminder each
    received; Bram Visser started his recertification portfolio from the reminder. Idempotent."""
    from assessments.recertification_selectors import months_before
    from portfolios.evaluation.common import years_before

    today = timezone.localdate()
    for email, name, days_left, months in RENEWING.values():
        owner, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if created:
            owner.set_password(DEMO_PASSWORD)
            owner.save(update_fields=["password"])
        RoleGrant.objects.get_or_create(user=owner, role=Role.PROFESSIONAL)
        if Registration.objects.filter(owner=owner).exists():
            continue
        valid_until = today + timedelta(days=days_left)
        registration = Registration.objects.create(
            owner=owner,
            register="jobcoach",
            valid_from=years_before(valid_until, 4) + timedelta(days=1),
            valid_until=valid_until,
        )
        if months == ReminderMonths.SIX:
            recertification_services.start_recertification(registration=registration, by=owner)
        RegistrationReminder.objects.create(
            registration=registration,
            months=months,
            due_on=months_before(valid_until, months),
            portfolio_state="draft" if months == ReminderMonths.SIX else "",
        )


LP = "loopbaanprofessional"
# Registrations made before the portal (as the secretariat enters them):
# ((e-mail, name), register, days until the end, place, shown in the public register).
REGISTRATIONS = (
    (OWNERS["to_assign"], "jobcoach", 200, "Utrecht", True),
    (OWNERS["pending"], "jobcoach", 540, "Zwolle", False),
    (OWNERS["judging"], "jobcoach", 45, "Eindhoven", True),  # expires within three months
    (OWNERS["supplement"], "jobcoach", 800, "Amersfoort", True),
    (OWNERS["advised"], "jobcoach", -60, "Deventer", True),  # expired; recertification advised
    (("regio@example.org", "Renate van der Linden"), LP, 1100, "Den Haag", True),
    (("hanneke.willems@example.org", "Hanneke Willems"), LP, 950, "", False),
    (("youssef.amrani@example.org", "Youssef Amrani"), LP, 400, "Tilburg", True),
    (("ingrid.postma@example.org", "Ingrid Postma"), "jobcoach", 1300, "Groningen", True),
)


def _seed_registrations(users: dict) -> None:
    """The entries of the public register (REGISTRATIONS), and professional@'s registration that
    the decision on her recertification extends. Her place is filled in but not shown, so the
    page where she chooses what the register shows has something to switch on."""
    today = timezone.localdate()
    for (email, name), register, days_left, place, shown in REGISTRATIONS:
        owner, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if created:
            owner.set_password(DEMO_PASSWORD)
        owner.place, owner.show_place_in_register = place, shown
        owner.save()
        RoleGrant.objects.get_or_create(user=owner, role=Role.PROFESSIONAL)
        valid_until = today + timedelta(days=days_left)
        Registration.objects.get_or_create(
            owner=owner,
            register=register,
            defaults={
                "valid_from": years_before(valid_until, 4) + timedelta(days=1),
                "valid_until": valid_until,
            },
        )
    professional = users["professional"]
    professional.place, professional.show_place_in_register = "Arnhem", False
    professional.save(update_fields=["place", "show_place_in_register"])
    # The registration her submitted recertification extends (it ends where the portfolio says).
    recertification = (
        Portfolio.objects.filter(owner=professional, state=PortfolioState.SUBMITTED)
        .order_by("pk")
        .first()
    )
    framework = registry.get(recertification.framework) if recertification else None
    if framework is not None and framework.previous_registration_end is not None:
        valid_until = framework.previous_registration_end(recertification)
        if valid_until is not None:
            Registration.objects.get_or_create(
                owner=professional,
                register=framework.register_code,
                valid_until=valid_until,
                defaults={"valid_from": years_before(valid_until, 4) + timedelta(days=1)},
            )
