"""Demo data of Register Jobcoach: professional@example.org gets a nearly complete draft (a few
rules still open) and a second portfolio that is already submitted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from portfolios import services
from portfolios.demo import sample_pdf as _pdf
from portfolios.jobcoach import services as jobcoach_services
from portfolios.jobcoach.models import (
    ConfirmationState,
    FacilitatorConfirmation,
    PEActivity,
    ReflectionMeeting,
)
from portfolios.models import Portfolio


def _fill(portfolio: Portfolio, *, complete: bool) -> None:
    owner = portfolio.owner
    portfolio.cv = _pdf(owner, "cv.pdf", f"Curriculum vitae {owner.full_name}")
    details = portfolio.jobcoach
    details.a1_statement = _pdf(owner, "verklaring-werkzaam.pdf", "Verklaring werkzaam")
    details.a1_statement_signed = True
    details.a2_report = (
        "Vier jaar geleden wilde ik mij verdiepen in begeleiding van mensen met een "
        "arbeidsbeperking. Ik volgde de leergang en paste die toe bij twee werkgevers."
    )
    meetings = [
        ReflectionMeeting.objects.create(
            portfolio=portfolio,
            date=date(2024, 3, 14),
            kind="intervision",
            facilitator="Marieke Smit",
            own_situation=True,
            statement_signed=True,
            statement=_pdf(owner, "intervisie-maart-2024.pdf", "Verklaring intervisie"),
        ),
        ReflectionMeeting.objects.create(
            portfolio=portfolio,
            date=date(2025, 1, 21),
            kind="supervision",
            facilitator="Jan Kok",
            facilitator_registration="LVSC",
            own_situation=True,
            statement_signed=True,
            statement=_pdf(owner, "supervisie-jan-2025.pdf", "Verklaring supervisie"),
        ),
        ReflectionMeeting.objects.create(
            portfolio=portfolio,
            date=date(2025, 9, 30),
            kind="coaching",
            facilitator="Els de Wit",
            facilitator_registration="NOBCO",
            own_situation=False,
        ),
    ]
    FacilitatorConfirmation.objects.create(
        meeting=meetings[2],
        email="els.dewit@example.org",
        state=ConfirmationState.CONFIRMED if complete else ConfirmationState.PENDING,
        expires_at=timezone.now() + jobcoach_services.CONFIRMATION_VALID_FOR,
        responded_at=timezone.now() if complete else None,
    )
    details.report_meeting = meetings[0]
    details.report_situation = (
        "Een werkgever wilde de proefplaatsing van mijn cliënt stoppen na twee weken."
    )
    details.report_motivation = (
        "Ik merkte dat ik de werkgever wilde redden in plaats van mijn cliënt."
    )
    details.report_insights = (
        "Mijn neiging om problemen snel op te lossen staat eigenaarschap in de weg."
    )
    details.report_consequences = (
        "Ik stel eerst vragen aan beide partijen voordat ik een oplossing aandraag."
    )
    details.plan_present = (
        "Hybride werken en digitale hulpmiddelen veranderen het werk van mijn cliënten."
    )
    details.plan_past = "Het belangrijkste moment was de overstap naar zelfstandig werken in 2023."
    details.plan_future = (
        "Ik wil mij specialiseren in begeleiding naar werk bij psychische kwetsbaarheid."
        if complete
        else ""
    )
    portfolio.declares_code_of_conduct = complete
    portfolio.declares_complaints_regulation = complete
    portfolio.save()
    details.save()
    activities = [
        dict(
            type="course",
            title="Leergang jobcoaching bij psychische kwetsbaarheid",
            date=date(2024, 2, 1),
            sbu=Decimal(28),
        ),
        dict(
            type="workshop",
            title="Webinar Wet banenafspraak",
            date=date(2024, 6, 12),
            hours=Decimal(3),
        ),
        dict(type="congress", title="Jobcoach-congres", date=date(2025, 4, 4), days=1),
        dict(type="book", title="Werk als medicijn", date=date(2024, 8, 1)),
        dict(
            type="podcast", title="Podcast Loopbaan in beeld, aflevering 12", date=date(2025, 2, 2)
        ),
        dict(
            type="intercollegial_meeting",
            title="Kwaliteitskring Utrecht",
            date=date(2025, 5, 20),
            facilitator="Kees Bakker",
        ),
        dict(
            type="congress_outside_field",
            title="Congres arbeid en gezondheid",
            date=date(2025, 11, 6),
            half_days=1,
        ),
        dict(
            type="network_member",
            title="Werkgroep inclusief werkgeverschap",
            start=date(2023, 5, 1),
            end=None,
        ),
        dict(type="lecture", title="Gastles hogeschool Utrecht", date=date(2025, 3, 11)),
        dict(type="volunteer", title="Taalmaatje bij de bibliotheek", start=date(2023, 9, 1)),
    ]
    if complete:
        activities.append(
            dict(
                type="course",
                title="Training motiverende gespreksvoering",
                date=date(2025, 10, 2),
                sbu=Decimal(12),
            ),
        )
    for values in activities:
        evidence = None
        if values["type"] not in ("book", "podcast", "journal_subscription"):
            evidence = _pdf(owner, f"bewijs-{values['type']}.pdf", values["title"][:60])
        PEActivity.objects.create(portfolio=portfolio, evidence=evidence, **values)


def complete_portfolio(owner, *, recertification_date: date = date(2026, 12, 31)) -> Portfolio:
    """A draft of ``owner`` that meets every rule, ready to submit (demo work for assessors)."""
    portfolio = jobcoach_services.start_jobcoach_portfolio(
        owner=owner, recertification_date=recertification_date
    )
    _fill(portfolio, complete=True)
    return portfolio


def _seed_jobcoach(owner) -> None:
    if Portfolio.objects.filter(owner=owner).exists():
        return
    submitted = complete_portfolio(owner)
    services.submit_portfolio(portfolio=submitted, by=owner)
    draft = jobcoach_services.start_jobcoach_portfolio(
        owner=owner, recertification_date=date(2027, 3, 31)
    )
    _fill(draft, complete=False)


# Two trajectories of Karim El Amrani (demo text, written for the portal).
def seed(users: dict) -> None:
    _seed_jobcoach(users["professional"])
