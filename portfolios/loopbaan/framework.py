"""Register Loopbaanprofessional, initial certification: the rule values as data (LP-A … LP-E).

The engine (``portfolios.loopbaan.rules``), the exchange parser, the web forms and the
coverage matrix all read these values; none of them holds a number, key or name of its own.
Names and guiding texts are Dutch because they are shown to candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from portfolios.registry import Criterion, FrameworkVersion, framework_version
from portfolios.registry import register_version as register


class RouteDocument(StrEnum):
    """The document a route is judged on (LP-A); the value is its key under ``education``."""

    DIPLOMA = "diploma"
    EVC_REPORT = "evc_report"
    ASSESSMENT_REPORT = "assessment_report"


LOOPBAAN = "loopbaanprofessional-initial"


@dataclass(frozen=True)
class EducationRoute:
    """One of the four LP-A routes and what it needs."""

    number: int
    name: str
    document: RouteDocument
    # Route 1 only: the diploma is in the field "mens en organisatie" with a CROHO code.
    needs_field_mens_en_organisatie: bool
    # Routes 2-4: the course certificates must add up to the framework's course-hours minimum.
    needs_course_hours: bool
    # Routes 3-4: accepted levels of the report (None: no upper bound).
    report_min_level: int | None = None
    report_max_level: int | None = None

    @property
    def needs_report(self) -> bool:
        return self.document is not RouteDocument.DIPLOMA


@dataclass(frozen=True)
class Task:
    """A task (process step) of the professional profile, LP-C1.

    ``suggested_areas`` and ``suggested_competences`` are the profile's suggested links: the web
    form shows them as hints, no rule requires them.
    """

    number: int
    name: str
    hint: str
    suggested_areas: tuple[int, ...]
    suggested_competences: tuple[str, ...]

    @property
    def key(self) -> str:
        return str(self.number)


@dataclass(frozen=True)
class KnowledgeArea:
    number: int
    name: str

    @property
    def key(self) -> str:
        return str(self.number)


@dataclass(frozen=True)
class Competence:
    key: str
    name: str


@dataclass(frozen=True)
class Attitude:
    """A professional attitude of LP-C4 with the question every case answers about it."""

    key: str
    name: str
    question: str


@dataclass(frozen=True)
class LoopbaanFramework(FrameworkVersion):
    routes: tuple[EducationRoute, ...]
    diploma_levels: tuple[str, ...]
    course_hours_minimum: int
    report_max_age_years: int
    experience_min_years: int
    experience_min_hours: int
    case_count: int
    case_recency_years: int
    tasks: tuple[Task, ...]
    knowledge_areas: tuple[KnowledgeArea, ...]
    mandatory_areas: tuple[int, ...]
    minimum_areas: int
    competences: tuple[Competence, ...]
    attitudes: tuple[Attitude, ...]

    def route(self, number: int) -> EducationRoute:
        for route in self.routes:
            if route.number == number:
                return route
        raise KeyError(number)

    def task(self, number: int) -> Task:
        for task in self.tasks:
            if task.number == number:
                return task
        raise KeyError(number)

    def knowledge_area(self, number: int) -> KnowledgeArea:
        for area in self.knowledge_areas:
            if area.number == number:
                return area
        raise KeyError(number)

    def competence(self, key: str) -> Competence:
        for competence in self.competences:
            if competence.key == key:
                return competence
        raise KeyError(key)

    def attitude(self, key: str) -> Attitude:
        for attitude in self.attitudes:
            if attitude.key == key:
                return attitude
        raise KeyError(key)


def loopbaan_framework(*, on: date | None = None, version: str | None = None) -> LoopbaanFramework:
    """The Loopbaanprofessional version named ``version``, else the one in force ``on``.

    A typed front to :func:`framework_version`; raises ``LookupError`` for an unknown version.
    """
    found = framework_version(LOOPBAAN, on=on, version=version)
    if not isinstance(found, LoopbaanFramework):
        raise TypeError(f"{LOOPBAAN} version {found.version} is not a LoopbaanFramework")
    return found


_ALL_COMPETENCES = (
    "methodisch_werken",
    "inlevingsvermogen",
    "effectief_communiceren",
    "adviseren",
    "coachen",
)

LOOPBAAN_2024 = LoopbaanFramework(
    code=LOOPBAAN,
    version="2024.1",
    effective_from=date(2024, 1, 1),
    title="Register Loopbaanprofessional – initiële certificering",
    assessor_count=2,  # AS-2, AS-4: two assessors for a Loopbaanprofessional certification
    interview=True,  # AS-4: the certification interview follows the two judgements
    routes=(
        EducationRoute(
            number=1,
            name="Hbo- of wo-diploma op het gebied van mens en organisatie",
            document=RouteDocument.DIPLOMA,
            needs_field_mens_en_organisatie=True,
            needs_course_hours=False,
        ),
        EducationRoute(
            number=2,
            name="Ander hbo- of wo-diploma met loopbaancursussen",
            document=RouteDocument.DIPLOMA,
            needs_field_mens_en_organisatie=False,
            needs_course_hours=True,
        ),
        EducationRoute(
            number=3,
            name="EVC-procedure op hbo-niveau met loopbaancursussen",
            document=RouteDocument.EVC_REPORT,
            needs_field_mens_en_organisatie=False,
            needs_course_hours=True,
            # LP-A route 3: the EVC report is aimed at BOC level 6.
            report_min_level=6,
            report_max_level=6,
        ),
        EducationRoute(
            number=4,
            name="Assessment op hbo-niveau met loopbaancursussen",
            document=RouteDocument.ASSESSMENT_REPORT,
            needs_field_mens_en_organisatie=False,
            needs_course_hours=True,
            # LP-A route 4: the assessment shows at least NLQF level 6.
            report_min_level=6,
        ),
    ),
    diploma_levels=("hbo", "wo"),
    course_hours_minimum=98,
    report_max_age_years=2,
    experience_min_years=2,
    experience_min_hours=1200,
    case_count=2,
    case_recency_years=2,
    tasks=(
        Task(
            number=0,
            name="Procestaken gedurende het hele traject",
            hint=(
                "Laat zien hoe je tijdens het hele traject bent meebewogen met de cliënt en "
                "met veranderende omstandigheden: waar stuurde je bij en waarom, en hoe hield "
                "je de regie bij de cliënt zelf?"
            ),
            suggested_areas=(2, 5),
            suggested_competences=(
                "methodisch_werken",
                "effectief_communiceren",
                "adviseren",
                "coachen",
            ),
        ),
        Task(
            number=1,
            name="Vraagverhelderend gesprek",
            hint=(
                "Vertel hoe je het eerste gesprek hebt opgebouwd: hoe kwam de eigenlijke vraag "
                "op tafel, hoe stemde je verwachtingen af, hoe zorgde je voor vertrouwen en "
                "welke afspraken kwamen eruit?"
            ),
            suggested_areas=(1, 2),
            suggested_competences=(
                "methodisch_werken",
                "inlevingsvermogen",
                "effectief_communiceren",
            ),
        ),
        Task(
            number=2,
            name="Doelgericht begeleidingsvoorstel",
            hint=(
                "Beschrijf je plan van aanpak voor dit traject en waarom je voor deze opbouw, "
                "volgorde en planning koos. Vertel ook hoe je het voorstel met de cliënt (en "
                "opdrachtgever) hebt besproken."
            ),
            suggested_areas=(1, 2),
            suggested_competences=(
                "methodisch_werken",
                "inlevingsvermogen",
                "effectief_communiceren",
                "adviseren",
            ),
        ),
        Task(
            number=3,
            name="Begeleiden bij zelfreflectie en (zelf)onderzoek",
            hint=(
                "Noem de methoden en instrumenten die je gebruikte, waarom ze bij deze cliënt "
                "en dit doel pasten, wat ze opleverden en hoe je de cliënt hielp een eigen "
                "profiel te maken."
            ),
            suggested_areas=(1, 2),
            suggested_competences=(
                "methodisch_werken",
                "inlevingsvermogen",
                "effectief_communiceren",
                "coachen",
            ),
        ),
        Task(
            number=4,
            name="Begeleiden bij het vormen van een visie op loopbaan, leren en ontwikkelen",
            hint=(
                "Beschrijf met welke interventies en informatiebronnen je de cliënt hielp een "
                "toekomstbeeld te vormen, waarom je daarvoor koos en hoe je omging met "
                "belemmeringen of weerstand."
            ),
            suggested_areas=(1, 2, 3, 4, 5),
            suggested_competences=(
                "methodisch_werken",
                "inlevingsvermogen",
                "adviseren",
                "coachen",
            ),
        ),
        Task(
            number=5,
            name="Begeleiden van het oriëntatie- en keuzeproces",
            hint=(
                "Laat zien hoe je de cliënt hielp mogelijkheden om te zetten in concrete "
                "keuzes en actiestappen, welke afwegingen je daarbij maakte en wat je deed "
                "als de cliënt tegenstribbelde."
            ),
            suggested_areas=(2, 3, 4, 5),
            suggested_competences=("effectief_communiceren", "adviseren", "coachen"),
        ),
        Task(
            number=6,
            name="Begeleiden bij het uitvoeren van de gekozen stap",
            hint=(
                "Vertel hoe je de cliënt ondersteunde bij het zetten van de gekozen stap: "
                "welke vaardigheden werden ontwikkeld, hoe bleef de cliënt in beweging en wat "
                "deed eventuele weerstand met jou?"
            ),
            suggested_areas=(2, 3, 4, 5),
            suggested_competences=_ALL_COMPETENCES,
        ),
        Task(
            number=7,
            name="Afronden en evalueren van het traject",
            hint=(
                "Beschrijf hoe je het traject met de cliënt (en opdrachtgever) hebt afgesloten "
                "en nabesproken, hoe de cliënt op eigen kracht verdergaat en wat jij zelf van "
                "dit traject hebt geleerd."
            ),
            suggested_areas=(2, 5),
            suggested_competences=("methodisch_werken", "effectief_communiceren", "adviseren"),
        ),
    ),
    knowledge_areas=(
        KnowledgeArea(1, "Loopbaantheorieën en -methodieken"),
        KnowledgeArea(2, "Ontwikkeling van de mens"),
        KnowledgeArea(3, "Arbeidsmarkt"),
        KnowledgeArea(4, "Opleidingen en beroepen"),
        KnowledgeArea(5, "Organisaties"),
    ),
    mandatory_areas=(1, 2),
    minimum_areas=4,
    competences=(
        Competence("methodisch_werken", "Methodisch werken"),
        Competence("inlevingsvermogen", "Inlevingsvermogen"),
        Competence("effectief_communiceren", "Effectief communiceren"),
        Competence("adviseren", "Adviseren"),
        Competence("coachen", "Coachen"),
    ),
    attitudes=(
        Attitude(
            "ethics",
            "Ethisch handelen volgens de gedragscode",
            "Kwam je in dit traject een ethisch dilemma tegen? Wat speelde er, wat woog je "
            "tegen elkaar af en hoe heb je uiteindelijk gehandeld?",
        ),
        Attitude(
            "self_reflection",
            "Zelfreflectie",
            "Welke rol nam jij in dit traject aan, wat pakte daarvan goed en wat minder goed "
            "uit, en wat doe je een volgende keer anders of juist vaker?",
        ),
        Attitude(
            "development",
            "Professionele en persoonlijke ontwikkeling",
            "Wat heb je van deze casus geleerd en welke leer- of ontwikkelpunten neem je mee?",
        ),
        Attitude(
            "diversity",
            "Diversiteit en inclusiviteit",
            "Botsten jouw waarden ergens in dit traject met die van de cliënt of "
            "opdrachtgever? Hoe ben je daarmee omgegaan?",
        ),
    ),
)


# AS-3: what an assessor looks for per criterion, after part III of the LP assessment framework
# (A, B1, the tasks of C.1, C.2, C.3 and C.4), in short observable points.
EDUCATION_INDICATORS = (
    "Het hbo- of wo-diploma is getekend en komt van een NVAO-geaccrediteerde instelling.",
    "Buiten route 1: samen minstens 98 uur cursus in loopbaanbegeleiding.",
    "Elke cursus heeft een keurmerk en een getekend certificaat met de studie-uren.",
    "Een EVC- of assessmentrapport is hooguit twee jaar oud, van een erkende partij, en toont "
    "hbo-niveau aan.",
)
EXPERIENCE_INDICATORS = (
    "De getekende verklaring toont minstens twee jaar in het vak en 1.200 uur begeleidingswerk.",
    "Ondernemerstaken en eigen scholing of intervisie zijn niet als werkervaring meegeteld.",
    "Een getekende verklaring bevestigt dat de kandidaat nu zelf cliënten begeleidt.",
)
TASK_INDICATORS = {
    0: (
        "Laat de cliënt zelf sturen en ondersteunt diens leren en wendbaarheid.",
        "Stuurt bij als cliënt of omstandigheden veranderen, en legt uit waarom.",
        "Houdt de vraag in lijn met mogelijkheden van de cliënt en de arbeidsmarkt.",
        "Verwijst door waar andere hulp nodig is; gaat zorgvuldig om met privacy.",
    ),
    1: (
        "Maakt goed contact, ook online, en brengt structuur in het gesprek.",
        "Brengt samen met de cliënt de aanleiding en de eigenlijke vraag in beeld.",
        "Legt het verloop van het traject uit, stemt verwachtingen af en noemt de gedragscode.",
        "Sluit af met concrete afspraken over het vervolg.",
    ),
    2: (
        "Zet de uitkomst van de intake om in een methodisch plan met doelen en planning.",
        "Motiveert de gekozen aanpak, fasering en prioriteiten.",
        "Bespreekt het voorstel met cliënt en/of opdrachtgever en past het zo nodig aan.",
    ),
    3: (
        "Kiest tests, methoden of instrumenten die bij de vraag passen en bespreekt de uitkomst.",
        "Helpt de cliënt onbevooroordeeld naar zichzelf te kijken.",
        "Begeleidt de cliënt naar een eigen persoonlijk profiel.",
    ),
    4: (
        "Verkent met de cliënt wensen voor loopbaan, leren of ontwikkeling, kort en lang.",
        "Brengt informatie over arbeidsmarkt, opleidingen en organisaties in en duidt die samen.",
        "Helpt ideeën om te zetten in een of meer richtingen.",
        "Maakt belemmeringen bespreekbaar en gaat om met weerstand.",
    ),
    5: (
        "Kiest met de cliënt welke richtingen nader onderzocht worden.",
        "Vertaalt profiel en richtingen naar concrete rollen, functies, beroepen of opleidingen.",
        "Helpt bij een doelgericht actieplan en reikt strategieën aan om de doelen te halen.",
    ),
    6: (
        "Oefent praktische vaardigheden en loopbaancompetenties, zoals zich presenteren.",
        "Zet de cliënt aan tot actie en volgt voortgang en resultaten.",
        "Ondersteunt zo nodig persoonlijke groei die de loopbaanvraag raakt.",
        "Beschrijft hoe met weerstand is omgegaan en wat die met de begeleider deed.",
    ),
    7: (
        "Vat bij de afronding met de cliënt het proces en het resultaat samen.",
        "Bespreekt hoe de cliënt zelfstandig verder kan en met welke hulpbronnen.",
        "Evalueert het traject met cliënt en/of opdrachtgever en leert ervan.",
        "Reflecteert op de eigen interventies en hun effect; rapporteert volgens afspraak en AVG.",
    ),
}
KNOWLEDGE_AREA_INDICATORS = (
    "Over beide casussen samen zijn minstens vier van de vijf kennisgebieden onderbouwd.",
    "Loopbaantheorie en Ontwikkeling van de mens zijn in elk geval onderbouwd.",
    "De theorie verklaart wat er in de casus met deze cliënt gebeurde, niet los daarvan.",
    "Genoemde theorieën, methodieken en informatiebronnen zijn actueel en gangbaar.",
)
COMPETENCE_INDICATORS = {
    "methodisch_werken": (
        "Stelt doelen en tussendoelen en onderbouwt de stappen ernaartoe.",
        "Kiest methoden, instrumenten en contactvorm (fysiek of online) bewust.",
        "Evalueert onderweg, stelt bij en leert van het eigen handelen.",
    ),
    "inlevingsvermogen": (
        "Is open en belangstellend naar cliënt en opdrachtgever.",
        "Denkt zonder oordeel mee vanuit andere opvattingen en gewoonten.",
        "Merkt non-verbale signalen op en helpt de cliënt van perspectief te wisselen.",
    ),
    "effectief_communiceren": (
        "Past taal en tempo aan de gesprekspartner aan en bouwt vertrouwen op.",
        "Luistert actief, vat samen, vraagt door en benoemt weerstand.",
        "Confronteert met respect en stuurt het gesprek naar bruikbare afspraken.",
        "Rapporteert en presenteert helder, zo nodig met digitale middelen.",
    ),
    "adviseren": (
        "Zet verschillende perspectieven met hun voor- en nadelen naast elkaar.",
        "Komt met passende informatie, voorstellen en oplossingsrichtingen.",
        "Verbindt het advies met de situatie van cliënt en/of opdrachtgever.",
    ),
    "coachen": (
        "Stimuleert een onderzoekende houding met open, verkennende vragen.",
        "Luistert als gelijke en zonder oordeel.",
        "Kijkt met de cliënt terug op eerdere ervaringen: wat werkte en wat niet.",
        "Daagt de cliënt uit zelf oplossingen te bedenken, te kiezen en te handelen.",
    ),
}
ATTITUDE_INDICATORS = (
    "Benoemt een ethisch dilemma uit het traject, de afwegingen en de gekozen actie.",
    "Kijkt kritisch naar de eigen rol en het effect ervan, en zegt wat een volgende keer anders "
    "gaat.",
    "Noemt concrete inzichten en leerpunten uit de casus voor de eigen ontwikkeling.",
    "Laat zien hoe is omgegaan met botsende waarden, met respect voor diversiteit.",
)


def _criteria(framework: LoopbaanFramework) -> tuple[Criterion, ...]:
    """AS-3: education, experience, each core task across both cases, the knowledge areas, each
    competence and the professional attitude. B2 and D are shown, not judged (the framework says
    they do not weigh in the judgement)."""
    education = Criterion(
        key="education",
        code="A",
        title="Opleiding",
        section="education",
        rule_prefixes=("LP-A",),
        indicators=EDUCATION_INDICATORS,
        group="Opleiding en werkervaring",
    )
    experience = Criterion(
        key="experience",
        code="B1",
        title="Werkervaring en verklaringen",
        section="experience",
        rule_prefixes=("LP-B1",),
        indicators=EXPERIENCE_INDICATORS,
        group="Opleiding en werkervaring",
    )
    tasks = tuple(
        Criterion(
            key=f"task_{task.number}",
            code=f"C.1 taak {task.number}",
            title=task.name,
            section="cases",
            rule_prefixes=("LP-C1",),
            indicators=TASK_INDICATORS.get(task.number, ()),
            group="Kerntaken (C.1)",
        )
        for task in framework.tasks
    )
    areas = Criterion(
        key="knowledge_areas",
        code="C.2",
        title="Kennisgebieden",
        section="cases",
        rule_prefixes=("LP-C2",),
        indicators=KNOWLEDGE_AREA_INDICATORS,
        group="Kennis, competenties en attitude",
    )
    competences = tuple(
        Criterion(
            key=f"competence_{competence.key}",
            code="C.3",
            title=competence.name,
            section="cases",
            rule_prefixes=("LP-C3",),
            indicators=COMPETENCE_INDICATORS.get(competence.key, ()),
            group="Kennis, competenties en attitude",
        )
        for competence in framework.competences
    )
    attitude = Criterion(
        key="attitude",
        code="C.4",
        title="Professionele attitude",
        section="cases",
        rule_prefixes=("LP-C4",),
        indicators=ATTITUDE_INDICATORS,
        group="Kennis, competenties en attitude",
    )
    return (education, experience, *tasks, areas, *competences, attitude)


LOOPBAAN_2024 = replace(LOOPBAAN_2024, criteria=_criteria(LOOPBAAN_2024))
register(LOOPBAAN_2024)
