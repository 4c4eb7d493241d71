"""Demo data of Register Loopbaanprofessional: candidate@example.org gets a draft with one gap
in the coverage (task 6 is described in neither case) and the declarations still to make."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from portfolios import services
from portfolios.demo import sample_pdf as _pdf
from portfolios.loopbaan import services as loopbaan_services
from portfolios.loopbaan.framework import LOOPBAAN, loopbaan_framework
from portfolios.loopbaan.models import CaseTextKind, Course
from portfolios.models import Portfolio

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
_TASK_6 = "Anja oefende haar pitch bij twee netwerkgesprekken; daarna besprak ik de reacties."
_ATTITUDE = {
    "ethics": "HR vroeg om een tussentijds verslag; ik deelde alleen wat de cliënt goedkeurde.",
    "self_reflection": "Ik had de neiging te snel met oplossingen te komen.",
    "development": "Ik wil meer oefenen met het werken met een opdrachtgever erbij.",
    "diversity": "Mijn beeld van een goede keuze bleek niet dat van de cliënt te zijn.",
}


def complete_portfolio(owner) -> Portfolio:
    """A draft of ``owner`` that meets every rule, ready to submit (demo work for assessors):
    the demo draft with task 6 described in the second case and the declarations made."""
    portfolio = _build(owner, complete=True)
    loopbaan_services.update_declarations(
        portfolio=portfolio,
        by=owner,
        code_of_conduct=True,
        complaints_regulation=True,
        truthful=True,
    )
    return portfolio


def _seed_loopbaan(owner) -> None:
    """A nearly complete route-2 draft whose only gap in the coverage is task 6."""
    if Portfolio.objects.filter(owner=owner, framework=LOOPBAAN).exists():
        return
    _build(owner, complete=False)


def _build(owner, *, complete: bool) -> Portfolio:
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
    portfolio.cv = _pdf(owner, "cv.pdf", f"Curriculum vitae {owner.full_name}")
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
        if complete and 6 not in data["tasks"] and 6 not in data["not_relevant"]:
            tasks[6] = (False, _TASK_6)
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
    return portfolio


def seed(users: dict) -> None:
    _seed_loopbaan(users["candidate"])
