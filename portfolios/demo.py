"""Demo portfolios for `manage.py seed_demo`: professional@example.org gets a nearly complete
Jobcoach draft (a few rules still open) and a second portfolio that is already submitted;
candidate@example.org gets a Loopbaanprofessional draft with one gap in the coverage (task 6 is
described in neither case) and the declarations still to make."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from noloc_portal.documents.services import store_bytes
from noloc_portal.pdf.rendering import render_statement
from portfolios import services
from portfolios.jobcoach import services as jobcoach_services
from portfolios.jobcoach.models import (
    ConfirmationState,
    FacilitatorConfirmation,
    PEActivity,
    ReflectionMeeting,
)
from portfolios.loopbaan import services as loopbaan_services
from portfolios.loopbaan.framework import LOOPBAAN, loopbaan_framework
from portfolios.loopbaan.models import CaseTextKind, Course
from portfolios.models import Portfolio


@functools.cache
def _sample_pdf(title: str, owner_name: str, name: str) -> bytes:
    # The submitted and the draft portfolio hold the same files: each is rendered once.
    return render_statement(title=title, rows=[("Professional", owner_name), ("Bestand", name)])


def _pdf(owner, name: str, text: str):
    data = _sample_pdf(text, owner.full_name, name)
    return store_bytes(data=data, name=name, content_type="application/pdf", owner=owner)


def _fill(portfolio: Portfolio, *, complete: bool) -> None:
    owner = portfolio.owner
    portfolio.cv = _pdf(owner, "cv-petra-de-jong.pdf", "Curriculum vitae Petra de Jong")
    portfolio.a1_statement = _pdf(owner, "verklaring-werkzaam.pdf", "Verklaring werkzaam")
    portfolio.a1_statement_signed = True
    portfolio.a2_report = (
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
    portfolio.report_meeting = meetings[0]
    portfolio.report_situation = (
        "Een werkgever wilde de proefplaatsing van mijn cliënt stoppen na twee weken."
    )
    portfolio.report_motivation = (
        "Ik merkte dat ik de werkgever wilde redden in plaats van mijn cliënt."
    )
    portfolio.report_insights = (
        "Mijn neiging om problemen snel op te lossen staat eigenaarschap in de weg."
    )
    portfolio.report_consequences = (
        "Ik stel eerst vragen aan beide partijen voordat ik een oplossing aandraag."
    )
    portfolio.plan_present = (
        "Hybride werken en digitale hulpmiddelen veranderen het werk van mijn cliënten."
    )
    portfolio.plan_past = (
        "Het belangrijkste moment was de overstap naar zelfstandig werken in 2023."
    )
    portfolio.plan_future = (
        "Ik wil mij specialiseren in begeleiding naar werk bij psychische kwetsbaarheid."
        if complete
        else ""
    )
    portfolio.declares_code_of_conduct = complete
    portfolio.declares_complaints_regulation = complete
    portfolio.save()
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


def _seed_jobcoach(owner) -> None:
    if Portfolio.objects.filter(owner=owner).exists():
        return
    submitted = jobcoach_services.start_jobcoach_portfolio(
        owner=owner, recertification_date=date(2026, 12, 31)
    )
    _fill(submitted, complete=True)
    services.submit_portfolio(portfolio=submitted, by=owner)
    draft = jobcoach_services.start_jobcoach_portfolio(
        owner=owner, recertification_date=date(2027, 3, 31)
    )
    _fill(draft, complete=False)


# Two trajectories of Karim El Amrani (demo text, written for the portal).
_CASES = [
    {
        "title": "Havist kiest een vervolgopleiding",
        "rationale": "Een jongere die vastliep in zijn keuze: typisch voor mijn werk op school.",
        "tasks": {
            0: "Ik liet Sem steeds zelf de volgende stap bepalen en stemde af met zijn mentor.",
            1: "In het eerste gesprek bleek dat niet de studiekeuze, maar faalangst de vraag was.",
            2: "We spraken vijf gesprekken af, met een meeloopdag als vast onderdeel.",
            3: "Met een waardenkaartspel en een interessetest bracht Sem zijn drijfveren in kaart.",
            4: "Sem schreef een toekomstverhaal; daarin werd zorg en techniek zichtbaar.",
            5: "Hij vergeleek drie opleidingen aan de hand van zijn eigen criteria.",
            7: "We sloten af met Sem en zijn ouders; hij schreef zich in voor de hbo-opleiding.",
        },
        "not_relevant": {6: "Na de keuze liep de begeleiding via de nieuwe opleiding."},
        "areas": {
            "1": "Ik werkte vanuit de narratieve benadering van loopbaanbegeleiding.",
            "2": "De faalangst van Sem paste bij zijn ontwikkelingsfase als adolescent.",
            "4": "Ik zocht met hem opleidingen en beroepen in zorgtechniek uit.",
        },
        "competences": {
            "methodisch_werken": "Elk gesprek had een doel dat we samen vaststelden.",
            "inlevingsvermogen": "Ik merkte de spanning op en benoemde die.",
            "coachen": "Ik liet Sem zelf de conclusies trekken.",
        },
        "days": (420, 240),
    },
    {
        "title": "Teamleider zoekt werk na reorganisatie",
        "rationale": "Een heel andere vraag: een ervaren werknemer met een opdrachtgever erbij.",
        "tasks": {
            0: "De werkgever betaalde; ik maakte vooraf afspraken over vertrouwelijkheid.",
            1: "Anja wilde eerst vooral haar verhaal over de reorganisatie kwijt.",
            2: "Het voorstel besprak ik met Anja en met HR als opdrachtgever.",
            3: "Een loopbaananker-test liet zien dat zelfstandigheid voor haar zwaar weegt.",
            4: "We onderzochten de regionale arbeidsmarkt voor zorgmanagers.",
            5: "Anja koos voor een interim-functie en maakte een netwerkplan.",
            7: "In het eindgesprek evalueerden we met HR; Anja begon aan een interim-opdracht.",
        },
        "not_relevant": {},
        "areas": {
            "3": "Ik gebruikte cijfers over vacatures in zorgmanagement in de regio.",
            "5": "De reorganisatie en de rol van HR bepaalden de ruimte in het traject.",
        },
        "competences": {
            "effectief_communiceren": "Ik vatte haar boosheid samen zonder partij te kiezen.",
            "adviseren": "Ik adviseerde HR over een realistische termijn.",
        },
        "days": (200, 60),
    },
]
_ATTITUDE = {
    "ethics": "HR vroeg om een tussentijds verslag; ik deelde alleen wat de cliënt goedkeurde.",
    "self_reflection": "Ik had de neiging te snel met oplossingen te komen.",
    "development": "Ik wil meer oefenen met het werken met een opdrachtgever erbij.",
    "diversity": "Mijn beeld van een goede keuze bleek niet dat van de cliënt te zijn.",
}


def _seed_loopbaan(owner) -> None:
    """A nearly complete route-2 draft whose only gap in the coverage is task 6."""
    if Portfolio.objects.filter(owner=owner, framework=LOOPBAAN).exists():
        return
    portfolio = loopbaan_services.start_loopbaan_portfolio(owner=owner)
    framework = loopbaan_framework(version=portfolio.framework_version)
    details = portfolio.loopbaan
    details.route = 2
    details.diploma_level = "hbo"
    details.diploma_signed = True
    details.diploma_nvao_accredited = True
    details.diploma = _pdf(owner, "diploma-bedrijfskunde.pdf", "Diploma Bedrijfskunde (hbo)")
    details.experience_years = Decimal(4)
    details.experience_hours = Decimal(2600)
    details.experience_statement_signed = True
    details.experience_statement = _pdf(owner, "verklaring-ervaring.pdf", "Verklaring ervaring")
    details.working_statement_signed = True
    details.working_statement = _pdf(owner, "verklaring-werkzaam.pdf", "Verklaring werkzaam")
    details.motivation = (
        "Als decaan merkte ik hoe veel leerlingen vastlopen in hun keuze. Ik schoolde mij om "
        "tot loopbaanbegeleider en werk nu ook voor volwassenen."
    )
    details.diversity = (
        "De eerste casus gaat over een jongere zonder werkervaring en zonder opdrachtgever; de "
        "tweede over een ervaren werknemer in een traject dat de werkgever betaalde."
    )
    details.development_plan = (
        "De komende vier jaar wil ik mij verdiepen in trajecten met een opdrachtgever en in "
        "begeleiding van mensen met een migratieachtergrond."
    )
    details.save()
    portfolio.cv = _pdf(owner, "cv-karim-el-amrani.pdf", "Curriculum vitae Karim El Amrani")
    portfolio.save(update_fields=["cv"])
    for title, hours in (("Leergang loopbaanbegeleiding", 72), ("Training narratief werken", 32)):
        Course.objects.create(
            portfolio=portfolio,
            title=title,
            hours=Decimal(hours),
            quality_mark=True,
            signed=True,
            certificate=_pdf(owner, f"certificaat-{hours}.pdf", title),
        )
    today = services.today()
    for data in _CASES:
        case = loopbaan_services.add_case(portfolio=portfolio, by=owner)
        started, ended = (today - timedelta(days=days) for days in data["days"])
        tasks = {number: (False, text) for number, text in data["tasks"].items()}
        tasks |= {number: (True, text) for number, text in data["not_relevant"].items()}
        texts = {(CaseTextKind.KNOWLEDGE_AREA, k): t for k, t in data["areas"].items()}
        texts |= {(CaseTextKind.COMPETENCE, k): t for k, t in data["competences"].items()}
        texts |= {(CaseTextKind.ATTITUDE, a.key): _ATTITUDE[a.key] for a in framework.attitudes}
        loopbaan_services.update_case(
            case=case,
            by=owner,
            title=data["title"],
            started=started,
            ended=ended,
            rationale=data["rationale"],
            tasks=tasks,
            texts=texts,
        )


def seed(users: dict) -> None:
    _seed_jobcoach(users["professional"])
    _seed_loopbaan(users["candidate"])
