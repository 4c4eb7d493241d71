"""Register Jobcoach recertification: every rule value as versioned data (domain.md §1).

Nothing here computes a verdict; :mod:`portfolios.jobcoach.rules` reads these values. Web
forms read the activity-type table to show only the fields a type needs and to explain how its
points are earned, so the table is plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import cast

from portfolios.registry import Criterion, FrameworkVersion, framework_version, versions_of
from portfolios.registry import register_version as register

JOBCOACH = "jobcoach-recertification"
# AS-5: the register a positive decision on a Jobcoach portfolio registers its owner in.
JOBCOACH_REGISTER = "jobcoach"
# JC-B-OVERLAP, KK-12: the category-2 activity type an attended circle meeting becomes, and the
# one that may duplicate a JC-A3.1 meeting.
INTERCOLLEGIAL_MEETING = "intercollegial_meeting"
# JC-B category 4: mentor or assessor in Register Jobcoach (re)certification, the type a statement
# of the certification coordinator becomes when the assessor takes it over.
JOBCOACH_MENTOR_ASSESSOR = "jobcoach_mentor_assessor"


class PointsMethod(StrEnum):
    """How an activity type turns what the user enters into PE points (JC-B)."""

    PER_SBU = "per_sbu"  # rate × study-load hours
    PER_HOUR = "per_hour"  # rate × contact hours
    PER_HALF_DAY_AND_DAY = "per_half_day_and_day"  # rate × half_days + day_rate × days
    FIXED = "fixed"  # rate per activity
    PER_YEAR = "per_year"  # rate × whole years of the period inside the window
    PER_YEAR_AND_CANDIDATE = "per_year_and_candidate"  # … + candidate_rate × candidates
    ARTICLE = "article"  # rate when words >= min_words, else 0


# The value kind of every activity field other than type, title and evidence (exchange.md).
FIELD_KINDS: dict[str, str] = {
    "date": "date",
    "start": "date",
    "end": "date",
    "sbu": "number",
    "hours": "number",
    "half_days": "integer",
    "days": "integer",
    "words": "integer",
    "candidates": "integer",
    "isbn": "text",
    "facilitator": "text",
}

# Fields a type may leave out: an open end runs until the recertification date, absent half
# days / days count as 0, and isbn / facilitator do not change the points.
OPTIONAL_FIELDS = frozenset({"end", "half_days", "days", "isbn", "facilitator"})

PERIOD_METHODS = frozenset({PointsMethod.PER_YEAR, PointsMethod.PER_YEAR_AND_CANDIDATE})


@dataclass(frozen=True)
class ActivityType:
    """One row of the PE activity table (exchange.md "PE activity types", domain.md JC-B)."""

    code: str
    category: int
    label: str
    fields: tuple[str, ...]
    method: PointsMethod
    rate: int
    evidence_hint: str
    literature: bool = False
    evidence_required: bool = True
    day_rate: int = 0
    candidate_rate: int = 0
    min_words: int = 0

    @property
    def is_period(self) -> bool:
        """Per-year types carry ``start``/``end``; all others carry one ``date``."""
        return self.method in PERIOD_METHODS

    @property
    def required_fields(self) -> tuple[str, ...]:
        """The fields without which the points cannot be computed."""
        return tuple(name for name in self.fields if name not in OPTIONAL_FIELDS)


@dataclass(frozen=True)
class Category:
    """A PE category with its bound per four years (JC-B)."""

    number: int
    name: str
    minimum: int | None = None
    maximum: int | None = None
    # JC-B: within category 1 at most this many points from literature and podcasts count.
    literature_cap: int | None = None

    @property
    def bound(self) -> str:
        """The bound as exchange.md writes it: ``"min 30"`` or ``"max 10"``."""
        return f"min {self.minimum}" if self.minimum is not None else f"max {self.maximum}"


@dataclass(frozen=True)
class ReflectionRequirement:
    """JC-A3.1: meetings and own situations required from a recertification year onwards."""

    from_year: int
    meetings: int
    own_situations: int


@dataclass(frozen=True)
class MeetingKind:
    """A kind of reflection meeting (JC-A3.1)."""

    code: str
    label: str
    # JC-A3.1: supervisors and coaches must be registered with a professional association.
    registration_required: bool
    registration_examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class JobcoachFramework(FrameworkVersion):
    window_years: int
    required_total: int
    a2_exempt_from: date
    a2_exempt_until: date
    reflection_table: tuple[ReflectionRequirement, ...]
    meeting_kinds: tuple[MeetingKind, ...]
    categories: tuple[Category, ...]
    activity_types: tuple[ActivityType, ...]

    def a2_exempt(self, day: date) -> bool:
        """JC-A2 Decision: exempt when the recertification date lies in the window (inclusive)."""
        return self.a2_exempt_from <= day <= self.a2_exempt_until

    def reflection_requirement(self, year: int) -> ReflectionRequirement:
        """JC-A3.1: the row for a recertification year.

        Decision: the table starts at 2024; a recertification date before that (only possible
        for old or mistyped data) is judged by the first row rather than rejected, and every
        year after the last row uses the last row ("2027 and later").
        """
        rows = [row for row in self.reflection_table if row.from_year <= year]
        return rows[-1] if rows else self.reflection_table[0]

    def meeting_kind(self, code: str) -> MeetingKind | None:
        return next((kind for kind in self.meeting_kinds if kind.code == code), None)

    def category(self, number: int) -> Category:
        return next(category for category in self.categories if category.number == number)

    @property
    def intercollegial_meeting(self) -> ActivityType:
        kind = self.activity_type(INTERCOLLEGIAL_MEETING)
        if kind is None:
            raise LookupError(f"{self.code} {self.version} has no {INTERCOLLEGIAL_MEETING}")
        return kind

    def activity_type(self, code: str) -> ActivityType | None:
        return self._activity_types_by_code.get(code)

    @cached_property
    def _activity_types_by_code(self) -> dict[str, ActivityType]:
        # Looked up for every activity of a portfolio, several times per page.
        by_code: dict[str, ActivityType] = {}
        for kind in self.activity_types:
            by_code.setdefault(kind.code, kind)
        return by_code


_PARTICIPATION = "Bewijs van deelname"
_TITLE_ONLY = "Alleen de titel opgeven; een bewijsstuk is niet nodig"
_ROLE_STATEMENT = (
    "Verklaring met je functie en de periode, ondertekend door een medebestuurder "
    "of medecommissielid"
)
_ANNOUNCEMENT_STATEMENT = (
    "Verklaring met onderwerp, datum, publiek en vorm, met een afbeelding van de aankondiging"
)

ACTIVITY_TYPES: tuple[ActivityType, ...] = (
    ActivityType(
        code="course",
        category=1,
        label="Opleiding, cursus of training",
        fields=("date", "sbu"),
        method=PointsMethod.PER_SBU,
        rate=1,
        evidence_hint="Bewijs van deelname, certificaat of diploma",
    ),
    ActivityType(
        code="workshop",
        category=1,
        label="Masterclass, workshop, regiobijeenkomst, webinar of e-learning",
        fields=("date", "hours"),
        method=PointsMethod.PER_HOUR,
        rate=1,
        evidence_hint="Bewijs van deelname, of anders de bevestiging van je inschrijving",
    ),
    ActivityType(
        code="congress",
        category=1,
        label="Congres of seminar binnen het vakgebied",
        fields=("date", "half_days", "days"),
        method=PointsMethod.PER_HALF_DAY_AND_DAY,
        rate=3,
        day_rate=6,
        evidence_hint=_PARTICIPATION,
    ),
    ActivityType(
        code="book",
        category=1,
        label="Vakboek gelezen",
        fields=("date",),
        method=PointsMethod.FIXED,
        rate=2,
        literature=True,
        evidence_required=False,
        evidence_hint=_TITLE_ONLY,
    ),
    ActivityType(
        code="journal_subscription",
        category=1,
        label="Abonnement op een vaktijdschrift",
        fields=("start", "end"),
        method=PointsMethod.PER_YEAR,
        rate=1,
        literature=True,
        evidence_required=False,
        evidence_hint=_TITLE_ONLY,
    ),
    ActivityType(
        code="podcast",
        category=1,
        label="Vakgerichte podcast beluisterd",
        fields=("date",),
        method=PointsMethod.FIXED,
        rate=1,
        literature=True,
        evidence_required=False,
        evidence_hint=_TITLE_ONLY,
    ),
    ActivityType(
        code="intercollegial_meeting",
        category=2,
        label="Supervisie, intervisie, coaching of kwaliteitskring",
        fields=("date", "facilitator"),
        method=PointsMethod.FIXED,
        rate=2,
        evidence_hint=_PARTICIPATION,
    ),
    ActivityType(
        code="congress_outside_field",
        category=3,
        label="Congres of seminar buiten het vakgebied",
        fields=("date", "half_days", "days"),
        method=PointsMethod.PER_HALF_DAY_AND_DAY,
        rate=3,
        day_rate=6,
        evidence_hint=_PARTICIPATION,
    ),
    ActivityType(
        code="course_outside_field",
        category=3,
        label="Opleiding, cursus of training buiten het vakgebied",
        fields=("date", "sbu"),
        method=PointsMethod.PER_SBU,
        rate=1,
        evidence_hint=_PARTICIPATION,
    ),
    ActivityType(
        code="noloc_board",
        category=4,
        label="Bestuurslid van Noloc",
        fields=("start", "end"),
        method=PointsMethod.PER_YEAR,
        rate=10,
        evidence_hint=_ROLE_STATEMENT,
    ),
    ActivityType(
        code="noloc_committee",
        category=4,
        label="Lid van de ledenraad, een commissie of werkgroep van Noloc",
        fields=("start", "end"),
        method=PointsMethod.PER_YEAR,
        rate=6,
        evidence_hint=_ROLE_STATEMENT,
    ),
    ActivityType(
        code="network_board",
        category=4,
        label="Onbetaalde bestuursfunctie in een netwerk of beroeps- of brancheorganisatie",
        fields=("start", "end"),
        method=PointsMethod.PER_YEAR,
        rate=10,
        evidence_hint=_ROLE_STATEMENT,
    ),
    ActivityType(
        code="network_member",
        category=4,
        label="Onbetaald lid van een netwerk, commissie of werkgroep in het vakgebied",
        fields=("start", "end"),
        method=PointsMethod.PER_YEAR,
        rate=6,
        evidence_hint=_ROLE_STATEMENT,
    ),
    ActivityType(
        code=JOBCOACH_MENTOR_ASSESSOR,
        category=4,
        label="Mentor of assessor bij de (re)certificering Register Jobcoach",
        fields=("start", "end", "candidates"),
        method=PointsMethod.PER_YEAR_AND_CANDIDATE,
        rate=4,
        candidate_rate=2,
        evidence_hint=(
            "Verklaring met functie, periode en aantal kandidaten, ondertekend door de "
            "Coördinator Certificeren"
        ),
    ),
    ActivityType(
        code="other_mentor_assessor",
        category=4,
        label="Mentor, assessor of supervisor in het vakgebied in een andere context",
        fields=("start", "end"),
        method=PointsMethod.PER_YEAR,
        rate=4,
        evidence_hint="Verklaring met functie, periode en context, ondertekend door de instelling",
    ),
    ActivityType(
        code="article",
        category=5,
        label="Artikel over het vakgebied gepubliceerd",
        fields=("date", "words"),
        method=PointsMethod.ARTICLE,
        rate=10,
        min_words=1500,
        evidence_hint=(
            "Verklaring met titel, korte inhoud, medium en aantal woorden, met een afbeelding "
            "van het artikel"
        ),
    ),
    ActivityType(
        code="book_authored",
        category=5,
        label="Boek over het vakgebied geschreven",
        fields=("date", "isbn"),
        method=PointsMethod.FIXED,
        rate=25,
        evidence_hint=(
            "Verklaring met ISBN, titel, korte inhoud en uitgever, met een afbeelding van de omslag"
        ),
    ),
    ActivityType(
        code="noloc_webinar",
        category=5,
        label="Webinar gegeven of regiobijeenkomst verzorgd binnen Noloc",
        fields=("date",),
        method=PointsMethod.FIXED,
        rate=6,
        evidence_hint=_ANNOUNCEMENT_STATEMENT,
    ),
    ActivityType(
        code="lecture",
        category=5,
        label="Lezing of gastles over het vakgebied gegeven",
        fields=("date",),
        method=PointsMethod.FIXED,
        rate=6,
        evidence_hint=_ANNOUNCEMENT_STATEMENT,
    ),
    ActivityType(
        code="volunteer",
        category=6,
        label="Vrijwilligerswerk buiten het vakgebied",
        fields=("start", "end"),
        method=PointsMethod.PER_YEAR,
        rate=2,
        evidence_hint="Verklaring die het soort werk noemt, ondertekend door de organisatie",
    ),
)

CATEGORIES: tuple[Category, ...] = (
    Category(1, "Bij- en nascholing binnen het vakgebied", minimum=30, literature_cap=10),
    Category(2, "(Inter)collegiale deskundigheidsbevordering", maximum=30),
    Category(3, "Congressen, seminars en opleidingen buiten het vakgebied", maximum=30),
    Category(4, "Bijdrage aan de beroepsgroep", maximum=30),
    Category(5, "Bijdrage aan het vakgebied", maximum=30),
    Category(6, "Overige maatschappelijke activiteiten", maximum=10),
)

MEETING_KINDS: tuple[MeetingKind, ...] = (
    MeetingKind("intervision", "intervisie", registration_required=False),
    MeetingKind(
        "supervision", "supervisie", registration_required=True, registration_examples=("LVSC",)
    ),
    MeetingKind(
        "coaching",
        "coaching",
        registration_required=True,
        registration_examples=("LVSC", "NOBCO", "Noloc", "EIA", "STiR"),
    ),
)

# AS-3: what the assessor judges in a Jobcoach recertification, one criterion per section.
CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        key="a1",
        code="A1",
        title="Werkzaam als uitvoerend jobcoach",
        section="a1",
        rule_prefixes=("JC-A1",),
        indicators=(
            "De werkgeversverklaring of opdrachtbevestiging is ondertekend en recent.",
            "Uit de beschrijving blijkt dat de professional nu zelf als jobcoach begeleidt.",
        ),
    ),
    Criterion(
        key="a2",
        code="A2",
        title="Terugblik op het vorige ontwikkelplan en ontwikkeladvies",
        section="a2",
        rule_prefixes=("JC-A2",),
        indicators=(
            "De terugblik evalueert feitelijk wat van het vorige plan is uitgevoerd en wat niet.",
            "Het vorige ontwikkeladvies van de assessor is besproken.",
        ),
        skip_when_exempt="JC-A2",
    ),
    Criterion(
        key="a31",
        code="A3.1",
        title="Reflectiebijeenkomsten",
        section="a31",
        rule_prefixes=("JC-A3.1",),
        indicators=(
            "Het aantal bijeenkomsten en eigen ingebrachte situaties past bij de jaartabel.",
            "De verklaringen van de begeleiders zijn ondertekend of via de link bevestigd.",
        ),
    ),
    Criterion(
        key="a32",
        code="A3.2",
        title="Reflectieverslag",
        section="a32",
        rule_prefixes=("JC-A3.2",),
        indicators=(
            "Het verslag gaat over één betekenisvolle situatie uit de eigen praktijk.",
            "De reflectie gaat verder dan een beschrijving: eigen rol, gevoelens en keuzes.",
            "Er is een duidelijke koppeling met het beroepsprofiel van de jobcoach.",
        ),
    ),
    Criterion(
        key="a4",
        code="A4",
        title="Ontwikkelplan voor de komende vier jaar",
        section="a4",
        rule_prefixes=("JC-A4",),
        indicators=(
            "Het plan verbindt het heden, de terugblik en de toekomst.",
            "Doelen zijn concreet en gekoppeld aan het beroepsprofiel.",
        ),
    ),
    Criterion(
        key="b",
        code="B",
        title="Permanente educatie",
        section="b",
        rule_prefixes=("JC-B",),
        indicators=(
            "De activiteiten zijn relevant voor het werk als jobcoach.",
            "De bewijsstukken zijn geloofwaardig en passen bij de opgegeven punten.",
        ),
    ),
)

JOBCOACH_2024_1 = register(
    JobcoachFramework(
        code=JOBCOACH,
        version="2024.1",
        effective_from=date(2024, 1, 1),
        title="Toetsingskader recertificering Register Jobcoach",
        assessor_count=1,  # AS-2: one assessor for a Jobcoach recertification
        criteria=CRITERIA,
        window_years=4,
        required_total=75,
        a2_exempt_from=date(2023, 1, 1),
        a2_exempt_until=date(2026, 12, 31),
        reflection_table=(
            ReflectionRequirement(2024, meetings=1, own_situations=1),
            ReflectionRequirement(2025, meetings=2, own_situations=1),
            ReflectionRequirement(2026, meetings=3, own_situations=2),
            ReflectionRequirement(2027, meetings=4, own_situations=2),
        ),
        meeting_kinds=MEETING_KINDS,
        categories=CATEGORIES,
        activity_types=ACTIVITY_TYPES,
    )
)


def jobcoach_framework(*, on: date | None = None, version: str | None = None) -> JobcoachFramework:
    """The Jobcoach framework version named ``version``, else the one in force ``on`` a date.

    Raises ``LookupError`` for an unknown version name.
    """
    # Only JobcoachFramework instances are registered under the JOBCOACH code.
    return cast(JobcoachFramework, framework_version(JOBCOACH, on=on, version=version))


def activity_type_choices() -> list[tuple[str, str]]:
    """Every PE activity type of every version by its Dutch name, for choices (the admin shows
    names, never codes)."""
    names: dict[str, str] = {}
    for version in reversed(versions_of(JOBCOACH)):
        for activity_type in cast(JobcoachFramework, version).activity_types:
            names.setdefault(activity_type.code, activity_type.label)
    return sorted(names.items(), key=lambda item: item[1].lower())
