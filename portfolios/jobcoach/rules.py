"""Register Jobcoach recertification: the snapshot and its rules (domain.md §1, exchange.md).

Pure functions over frozen dataclasses; rule values come from the framework version
(:mod:`portfolios.jobcoach.framework`). Messages are Dutch and say what is missing, which item
and how to fix it; paths are JSON paths of the exchange document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from portfolios.evaluation.common import (
    Evaluation,
    RuleResult,
    Statement,
    Status,
    is_blank,
    years_before,
)
from portfolios.jobcoach.framework import (
    INTERCOLLEGIAL_MEETING,
    JOBCOACH,
    ActivityType,
    JobcoachFramework,
    PointsMethod,
    jobcoach_framework,
)

Points = int | float


# --- Snapshot -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurrentWork:
    """JC-A1: the CV and the statement of working as an executive jobcoach."""

    cv: str | None = None
    statement: Statement = field(default_factory=Statement)


@dataclass(frozen=True)
class ReflectionMeeting:
    """JC-A3.1: one intervision, supervision or coaching meeting."""

    date: date | None = None
    kind: str = ""
    facilitator: str = ""
    facilitator_registration: str = ""
    own_situation: bool = False
    statement: Statement = field(default_factory=Statement)


@dataclass(frozen=True)
class ReflectionReport:
    """JC-A3.2: the report on one meeting, by index into ``reflection_meetings``."""

    meeting: int | None = None
    situation: str = ""
    motivation: str = ""
    insights: str = ""
    consequences: str = ""


@dataclass(frozen=True)
class DevelopmentPlan:
    """JC-A4: present, past and future."""

    present: str = ""
    past: str = ""
    future: str = ""


@dataclass(frozen=True)
class PEActivity:
    """JC-B: one PE activity; only the fields its type uses carry a value."""

    type: str
    title: str = ""
    date: date | None = None
    start: date | None = None
    end: date | None = None
    sbu: Points | None = None
    hours: Points | None = None
    half_days: int = 0
    days: int = 0
    words: int | None = None
    candidates: int | None = None
    isbn: str = ""
    facilitator: str = ""
    evidence: str | None = None


@dataclass(frozen=True)
class Declaration:
    """JC-C."""

    code_of_conduct: bool = False
    complaints_regulation: bool = False


@dataclass(frozen=True)
class JobcoachSnapshot:
    recertification_date: date | None = None
    framework_version: str | None = None
    a1: CurrentWork = CurrentWork()
    a2_report: str = ""
    reflection_meetings: tuple[ReflectionMeeting, ...] = ()
    reflection_report: ReflectionReport | None = None
    development_plan: DevelopmentPlan = DevelopmentPlan()
    pe_activities: tuple[PEActivity, ...] = ()
    declaration: Declaration = Declaration()


# --- PE points (JC-B) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A closed date range; both ends count."""

    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class ActivityPoints:
    """The points of one activity and how they were computed (shown next to the form)."""

    index: int
    type: str
    category: int
    literature: bool
    points: Points
    in_window: bool
    # Dutch, e.g. "14 maanden binnen het venster → 1 jaar × 10 punten = 10 punten".
    explanation: str
    # Per-year types only: the part of the period inside the window, its whole months and years.
    period: Window | None = None
    months: int | None = None
    years: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "points": self.points, "in_window": self.in_window}


@dataclass(frozen=True)
class CategoryPoints:
    number: int
    name: str
    earned: Points
    counted: Points
    bound: str
    # Category 1 only: the part of ``earned`` from literature and podcasts.
    literature_earned: Points | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"earned": self.earned, "counted": self.counted}
        if self.literature_earned is not None:
            data["literature_earned"] = self.literature_earned
        data["bound"] = self.bound
        return data


@dataclass(frozen=True)
class PEOverview:
    window: Window
    categories: tuple[CategoryPoints, ...]
    activities: tuple[ActivityPoints, ...]
    total_counted: Points
    required: int

    def category(self, number: int) -> CategoryPoints:
        return next(category for category in self.categories if category.number == number)

    def to_json(self) -> dict[str, Any]:
        """The ``pe`` object of exchange.md's evaluation result."""
        return {
            "window": self.window.to_json(),
            "categories": {str(c.number): c.to_json() for c in self.categories},
            "activities": [activity.to_json() for activity in self.activities],
            "total_counted": self.total_counted,
            "required": self.required,
        }


def pe_window(*, anchor: date, framework: JobcoachFramework) -> Window:
    """JC-B: the four years preceding the recertification date, both ends included."""
    return Window(years_before(anchor, framework.window_years), anchor)


def whole_months(*, start: date, end: date) -> int:
    """JC-B: whole months from ``start`` to ``end``, never negative."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def months_to_years(months: int) -> int:
    """JC-B Decision: whole months rounded to years, half up (6 → 1, 17 → 1, 18 → 2)."""
    return months // 12 + (1 if months % 12 >= 6 else 0)


def score_activity(
    activity: PEActivity, *, framework: JobcoachFramework, window: Window, index: int = 0
) -> ActivityPoints:
    """JC-B: the points one activity earns inside ``window``.

    Raises ``ValueError`` for an activity type the framework does not know (the exchange
    reader rejects those, so only a programming error gets here).
    """
    kind = _activity_type(framework, activity.type)
    if kind.is_period:
        return _score_period(activity, kind=kind, window=window, index=index)
    return _score_single_date(activity, kind=kind, window=window, index=index)


def _activity_type(framework: JobcoachFramework, code: str) -> ActivityType:
    kind = framework.activity_type(code)
    if kind is None:
        raise ValueError(f"unknown activity type {code!r}")
    return kind


def _outside(
    activity: PEActivity, *, kind: ActivityType, index: int, explanation: str
) -> ActivityPoints:
    return ActivityPoints(
        index=index,
        type=activity.type,
        category=kind.category,
        literature=kind.literature,
        points=0,
        in_window=False,
        explanation=explanation,
    )


def _score_period(
    activity: PEActivity, *, kind: ActivityType, window: Window, index: int
) -> ActivityPoints:
    if activity.start is None:
        # Decision (JC-B-WINDOW): a period without a start cannot be placed in the window.
        return _outside(activity, kind=kind, index=index, explanation="De begindatum ontbreekt.")
    # JC-B: an open end runs until the recertification date, i.e. the end of the window.
    start = max(activity.start, window.start)
    end = min(activity.end or window.end, window.end)
    if start > end:
        return _outside(
            activity,
            kind=kind,
            index=index,
            explanation=f"De periode valt buiten het venster {_period(window)}: 0 punten.",
        )
    months = whole_months(start=start, end=end)
    years = months_to_years(months)
    points = Decimal(years * kind.rate)
    steps = f"{_count(years, 'jaar', 'jaar')} × {_count(kind.rate, 'punt', 'punten')}"
    if kind.method == PointsMethod.PER_YEAR_AND_CANDIDATE:
        # Decision (JC-B): every candidate counts once any part of the period lies in the
        # window; the document gives no way to date individual candidates.
        candidates = activity.candidates or 0
        points += candidates * kind.candidate_rate
        steps += (
            f" + {_count(candidates, 'kandidaat', 'kandidaten')} × "
            f"{_count(kind.candidate_rate, 'punt', 'punten')}"
        )
    return ActivityPoints(
        index=index,
        type=activity.type,
        category=kind.category,
        literature=kind.literature,
        points=_points(points),
        in_window=True,
        explanation=(
            f"{_count(months, 'maand', 'maanden')} binnen het venster "
            f"({_period(Window(start, end))}) → {steps} = {_count(points, 'punt', 'punten')}"
        ),
        period=Window(start, end),
        months=months,
        years=years,
    )


def _score_single_date(
    activity: PEActivity, *, kind: ActivityType, window: Window, index: int
) -> ActivityPoints:
    if activity.date is None:
        # Decision (JC-B-WINDOW): an activity without a date cannot be placed in the window.
        return _outside(activity, kind=kind, index=index, explanation="De datum ontbreekt.")
    if not window.contains(activity.date):
        return _outside(
            activity,
            kind=kind,
            index=index,
            explanation=(
                f"{_day(activity.date)} valt buiten het venster {_period(window)}: 0 punten."
            ),
        )
    points, explanation = _single_date_points(activity, kind=kind)
    return ActivityPoints(
        index=index,
        type=activity.type,
        category=kind.category,
        literature=kind.literature,
        points=_points(points),
        in_window=True,
        explanation=explanation,
    )


def _single_date_points(activity: PEActivity, *, kind: ActivityType) -> tuple[Decimal, str]:
    rate = Decimal(kind.rate)
    if kind.method == PointsMethod.PER_SBU:
        sbu = _decimal(activity.sbu)
        points = sbu * rate
        return points, f"{_number(sbu)} SBU = {_count(points, 'punt', 'punten')}"
    if kind.method == PointsMethod.PER_HOUR:
        hours = _decimal(activity.hours)
        points = hours * rate
        return points, f"{_number(hours)} uur = {_count(points, 'punt', 'punten')}"
    if kind.method == PointsMethod.PER_HALF_DAY_AND_DAY:
        points = activity.half_days * rate + activity.days * kind.day_rate
        return points, (
            f"{_count(activity.half_days, 'dagdeel', 'dagdelen')} × {kind.rate} + "
            f"{_count(activity.days, 'dag', 'dagen')} × {kind.day_rate} = "
            f"{_count(points, 'punt', 'punten')}"
        )
    if kind.method == PointsMethod.ARTICLE:
        words = activity.words or 0
        if words < kind.min_words:
            return Decimal(0), (
                f"{words} woorden: een artikel levert pas punten op vanaf "
                f"{kind.min_words} woorden, dus 0 punten"
            )
        return rate, (
            f"{words} woorden (minimaal {kind.min_words}) = {_count(rate, 'punt', 'punten')}"
        )
    return rate, f"{_count(rate, 'punt', 'punten')} per activiteit"


def compute_pe(
    snapshot: JobcoachSnapshot, *, framework: JobcoachFramework, anchor: date
) -> PEOverview:
    """JC-B: points per activity, per category (with caps) and in total."""
    window = pe_window(anchor=anchor, framework=framework)
    activities = tuple(
        score_activity(activity, framework=framework, window=window, index=index)
        for index, activity in enumerate(snapshot.pe_activities)
    )
    categories = []
    for category in framework.categories:
        own = [a for a in activities if a.category == category.number]
        earned = _sum(a.points for a in own)
        literature = _sum(a.points for a in own if a.literature)
        counted = earned
        if category.literature_cap is not None:
            # JC-B: category 1 counts all non-literature points plus at most the literature cap.
            counted = earned - literature + min(literature, Decimal(category.literature_cap))
        if category.maximum is not None:
            counted = min(counted, Decimal(category.maximum))
        categories.append(
            CategoryPoints(
                number=category.number,
                name=category.name,
                earned=_points(earned),
                counted=_points(counted),
                bound=category.bound,
                literature_earned=(
                    _points(literature) if category.literature_cap is not None else None
                ),
            )
        )
    return PEOverview(
        window=window,
        categories=tuple(categories),
        activities=activities,
        total_counted=_points(_sum(c.counted for c in categories)),
        required=framework.required_total,
    )


# --- Evaluation -----------------------------------------------------------------------------


def evaluate_jobcoach(
    snapshot: JobcoachSnapshot, *, as_of: date, framework: JobcoachFramework | None = None
) -> Evaluation:
    """Evaluate every Jobcoach rule, in the order of exchange.md, against one framework version.

    The anchor is the recertification date, or ``as_of`` when the portfolio has none yet. The
    framework is the one given, else the version the portfolio recorded, else the version in
    force on the anchor.
    """
    anchor = snapshot.recertification_date or as_of
    if framework is None:
        framework = jobcoach_framework(on=anchor, version=snapshot.framework_version)
    pe = compute_pe(snapshot, framework=framework, anchor=anchor)
    rules = (
        _jc_a1(snapshot),
        _jc_a2(snapshot, framework=framework, anchor=anchor),
        _jc_a3_1_meetings(snapshot, framework=framework, anchor=anchor),
        _jc_a3_1_situations(snapshot, framework=framework, anchor=anchor),
        _jc_a3_1_statements(snapshot, framework=framework),
        _jc_a3_2(snapshot, framework=framework),
        _jc_a4(snapshot),
        _jc_b_cat1(pe, framework=framework),
        _jc_b_total(pe),
        _jc_b_evidence(snapshot, framework=framework),
        _jc_b_overlap(snapshot, framework=framework),
        _jc_b_window(snapshot, pe=pe, framework=framework),
        _jc_c(snapshot),
    )
    return Evaluation(
        framework=JOBCOACH,
        framework_version=framework.version,
        as_of=as_of,
        rules=rules,
        extra={"pe": pe.to_json()},
    )


def _result(rule_id: str, status: Status, message: str, path: str) -> RuleResult:
    return RuleResult(id=rule_id, status=status, message=message, path=path)


def _jc_a1(snapshot: JobcoachSnapshot) -> RuleResult:
    issues: list[tuple[str, str]] = []
    if snapshot.a1.cv is None:
        issues.append(
            (
                "a1.cv",
                "upload je cv met je werkervaring, je bij- en nascholing van de afgelopen vier "
                "jaar, je huidige functies en de doelgroepen en vragen waarmee je werkt",
            )
        )
    if not snapshot.a1.statement.signed:
        issues.append(
            (
                "a1.statement",
                "vul de verklaring in dat je nu als uitvoerend jobcoach werkt en onderteken "
                "die (via het formulier of als upload)",
            )
        )
    if not issues:
        return _result(
            "JC-A1",
            Status.MET,
            "Je cv en de ondertekende verklaring dat je als uitvoerend jobcoach werkt zijn "
            "aanwezig.",
            "a1",
        )
    return _result(
        "JC-A1",
        Status.NOT_MET,
        "Werken als uitvoerend jobcoach is nog niet aangetoond: "
        + "; ".join(text for _, text in issues)
        + ".",
        _narrowest([path for path, _ in issues], fallback="a1"),
    )


def _jc_a2(snapshot: JobcoachSnapshot, *, framework: JobcoachFramework, anchor: date) -> RuleResult:
    if framework.a2_exempt(anchor):
        return _result(
            "JC-A2",
            Status.EXEMPT,
            f"Vrijgesteld: {_anchor_phrase(snapshot, anchor)} ligt tussen "
            f"{_day(framework.a2_exempt_from)} en {_day(framework.a2_exempt_until)}. Een "
            "terugblik op je vorige ontwikkelplan is deze keer niet verplicht.",
            "a2.report",
        )
    if is_blank(snapshot.a2_report):
        return _result(
            "JC-A2",
            Status.NOT_MET,
            "De terugblik ontbreekt. Beschrijf kort wat je in je vorige ontwikkelplan van plan "
            "was, wat je wel en niet hebt gedaan, welk ontwikkeladvies je bij de vorige "
            "(her)certificering kreeg en wat je ermee deed; en als je plannen veranderden: "
            "waarom, en welke weg je toen koos.",
            "a2.report",
        )
    return _result(
        "JC-A2",
        Status.MET,
        "De terugblik op je vorige ontwikkelplan en ontwikkeladvies is ingevuld.",
        "a2.report",
    )


def _jc_a3_1_meetings(
    snapshot: JobcoachSnapshot, *, framework: JobcoachFramework, anchor: date
) -> RuleResult:
    required = framework.reflection_requirement(anchor.year).meetings
    count = len(snapshot.reflection_meetings)
    summary = (
        f"{_count(count, 'bijeenkomst', 'bijeenkomsten')} (intervisie, supervisie of coaching) "
        f"opgevoerd; voor een recertificering in {anchor.year} zijn er minimaal {required} nodig."
    )
    if count >= required:
        return _result("JC-A3.1-MEETINGS", Status.MET, summary, "reflection_meetings")
    return _result(
        "JC-A3.1-MEETINGS",
        Status.NOT_MET,
        f"{summary} Voeg er nog {required - count} toe.",
        "reflection_meetings",
    )


def _jc_a3_1_situations(
    snapshot: JobcoachSnapshot, *, framework: JobcoachFramework, anchor: date
) -> RuleResult:
    required = framework.reflection_requirement(anchor.year).own_situations
    count = sum(1 for meeting in snapshot.reflection_meetings if meeting.own_situation)
    summary = (
        f"In {_count(count, 'bijeenkomst', 'bijeenkomsten')} heb je een eigen betekenisvolle "
        f"situatie ingebracht; voor een recertificering in {anchor.year} zijn er minimaal "
        f"{required} nodig."
    )
    if count >= required:
        return _result("JC-A3.1-SITUATIONS", Status.MET, summary, "reflection_meetings")
    return _result(
        "JC-A3.1-SITUATIONS",
        Status.NOT_MET,
        f"{summary} Geef aan in welke bijeenkomsten je zelf een situatie inbracht, of voeg een "
        "bijeenkomst toe waarin je dat deed.",
        "reflection_meetings",
    )


def _jc_a3_1_statements(snapshot: JobcoachSnapshot, *, framework: JobcoachFramework) -> RuleResult:
    failing: list[tuple[int, list[tuple[str, str]]]] = []
    for index, meeting in enumerate(snapshot.reflection_meetings):
        base = f"reflection_meetings[{index}]"
        kind = framework.meeting_kind(meeting.kind)
        issues: list[tuple[str, str]] = []
        if kind is None:
            issues.append((f"{base}.kind", "kies of het intervisie, supervisie of coaching was"))
        if meeting.date is None:
            issues.append((f"{base}.date", "de datum ontbreekt"))
        if is_blank(meeting.facilitator):
            issues.append((f"{base}.facilitator", "de naam van de begeleider ontbreekt"))
        if (
            kind is not None
            and kind.registration_required
            and is_blank(meeting.facilitator_registration)
        ):
            examples = _or_list(kind.registration_examples)
            issues.append(
                (
                    f"{base}.facilitator_registration",
                    f"vermeld bij welke beroepsvereniging de begeleider van {kind.label} "
                    f"geregistreerd is (bijvoorbeeld {examples})",
                )
            )
        if not meeting.statement.signed:
            issues.append((f"{base}.statement", "de verklaring is niet ondertekend"))
        if issues:
            failing.append((index, issues))
    if not failing:
        message = (
            f"De verklaring van elke bijeenkomst ({len(snapshot.reflection_meetings)}) is "
            "compleet en ondertekend."
            if snapshot.reflection_meetings
            else "Er zijn nog geen bijeenkomsten opgevoerd, dus ook geen verklaringen om te "
            "controleren (het aantal bijeenkomsten staat bij JC-A3.1-MEETINGS)."
        )
        return _result("JC-A3.1-STATEMENTS", Status.MET, message, "reflection_meetings")
    lines = [
        f"{_meeting_name(snapshot.reflection_meetings[index], index, framework)}: "
        + ", ".join(text for _, text in issues)
        + "."
        for index, issues in failing
    ]
    if len(failing) == 1:
        index, issues = failing[0]
        path = _narrowest([p for p, _ in issues], fallback=f"reflection_meetings[{index}]")
    else:
        path = "reflection_meetings"
    return _result(
        "JC-A3.1-STATEMENTS",
        Status.NOT_MET,
        "Elke bijeenkomst heeft een complete, ondertekende verklaring nodig met datum en "
        "begeleider. " + " ".join(lines),
        path,
    )


def _jc_a3_2(snapshot: JobcoachSnapshot, *, framework: JobcoachFramework) -> RuleResult:
    report = snapshot.reflection_report
    if report is None:
        return _result(
            "JC-A3.2",
            Status.NOT_MET,
            "Het reflectieverslag ontbreekt. Kies een van je bijeenkomsten bij A3.1 en schrijf "
            "in de ik-vorm over de situatie die daar besproken werd.",
            "reflection_report",
        )
    issues: list[tuple[str, str]] = []
    meetings = snapshot.reflection_meetings
    if report.meeting is None:
        issues.append(
            ("reflection_report.meeting", "kies de bijeenkomst waarop het verslag terugblikt")
        )
    elif not 0 <= report.meeting < len(meetings):
        issues.append(
            (
                "reflection_report.meeting",
                f"het verslag verwijst naar bijeenkomst {report.meeting + 1}, maar die staat "
                "niet bij A3.1; kies een bijeenkomst uit de lijst",
            )
        )
    parts = (
        ("situation", "de situatie en je rol daarin"),
        ("motivation", "waarom je deze situatie inbracht"),
        ("insights", "de inzichten die het gesprek je gaf"),
        ("consequences", "wat die inzichten betekenen voor je handelen"),
    )
    for name, label in parts:
        if is_blank(getattr(report, name)):
            issues.append((f"reflection_report.{name}", f"beschrijf {label}"))
    if not issues:
        index = report.meeting if report.meeting is not None else 0
        return _result(
            "JC-A3.2",
            Status.MET,
            "Het reflectieverslag over "
            f"{_lower_first(_meeting_name(meetings[index], index, framework))} is compleet.",
            "reflection_report",
        )
    return _result(
        "JC-A3.2",
        Status.NOT_MET,
        "Het reflectieverslag is nog niet compleet: " + "; ".join(text for _, text in issues) + ".",
        _narrowest([path for path, _ in issues], fallback="reflection_report"),
    )


def _jc_a4(snapshot: JobcoachSnapshot) -> RuleResult:
    plan = snapshot.development_plan
    parts = (
        ("present", "het heden (ontwikkelingen in je leven, werk, vak en omgeving)"),
        ("past", "het verleden (sleutelmomenten en leerervaringen van de afgelopen vier jaar)"),
        ("future", "de toekomst (je plannen, stappen en wat je daarvoor nodig hebt)"),
    )
    missing = [
        (f"development_plan.{name}", label)
        for name, label in parts
        if is_blank(getattr(plan, name))
    ]
    if not missing:
        return _result(
            "JC-A4",
            Status.MET,
            "Je ontwikkelplan beschrijft heden, verleden en toekomst.",
            "development_plan",
        )
    return _result(
        "JC-A4",
        Status.NOT_MET,
        "Het ontwikkelplan voor de komende vier jaar is nog niet compleet. Vul nog in: "
        + "; ".join(label for _, label in missing)
        + ".",
        _narrowest([path for path, _ in missing], fallback="development_plan"),
    )


def _jc_b_cat1(pe: PEOverview, *, framework: JobcoachFramework) -> RuleResult:
    category = framework.category(1)
    points = pe.category(1)
    minimum = category.minimum or 0
    message = (
        f"Categorie 1 ({category.name}): {_count(points.counted, 'punt telt', 'punten tellen')} "
        f"mee; minimaal {minimum} nodig."
    )
    literature = points.literature_earned or 0
    if category.literature_cap is not None and literature > category.literature_cap:
        message += (
            f" Van je {_number(literature)} punten voor vakliteratuur en podcasts tellen er "
            f"{category.literature_cap} mee."
        )
    if points.counted >= minimum:
        return _result("JC-B-CAT1", Status.MET, message, "pe_activities")
    return _result(
        "JC-B-CAT1",
        Status.NOT_MET,
        f"{message} Je hebt er nog {_number(_decimal(minimum) - _decimal(points.counted))} "
        "nodig: voeg bij- of nascholing binnen het vakgebied toe (vakliteratuur en podcasts "
        f"tellen samen voor hoogstens {category.literature_cap}).",
        "pe_activities",
    )


def _jc_b_total(pe: PEOverview) -> RuleResult:
    message = (
        f"In het venster {_period(pe.window)} tellen {_number(pe.total_counted)} van de "
        f"vereiste {pe.required} PE-punten mee."
    )
    capped = [
        f"categorie {c.number} ({_number(c.earned)} verdiend, {_number(c.counted)} telt mee)"
        for c in pe.categories
        if c.counted < c.earned
    ]
    if capped:
        message += " Begrensd: " + ", ".join(capped) + "."
    if pe.total_counted >= pe.required:
        return _result("JC-B-TOTAL", Status.MET, message, "pe_activities")
    missing = _decimal(pe.required) - _decimal(pe.total_counted)
    return _result(
        "JC-B-TOTAL",
        Status.NOT_MET,
        f"{message} Je hebt nog {_number(missing)} punten nodig, in categorieën waarvan het "
        "maximum nog niet bereikt is.",
        "pe_activities",
    )


def _jc_b_evidence(snapshot: JobcoachSnapshot, *, framework: JobcoachFramework) -> RuleResult:
    # Decision (JC-B-EVIDENCE): every activity whose type requires evidence needs it, also one
    # outside the window; the user can remove such an activity instead.
    lacking = []
    for index, activity in enumerate(snapshot.pe_activities):
        kind = _activity_type(framework, activity.type)
        if kind.evidence_required and activity.evidence is None:
            lacking.append((index, kind, activity))
    if not lacking:
        return _result(
            "JC-B-EVIDENCE",
            Status.MET,
            "Elke activiteit die een bewijsstuk vraagt, heeft er een.",
            "pe_activities",
        )
    lines = [
        f"{_activity_name(activity, index, kind)}: voeg toe: {_lower_first(kind.evidence_hint)}."
        for index, kind, activity in lacking
    ]
    path = f"pe_activities[{lacking[0][0]}].evidence" if len(lacking) == 1 else "pe_activities"
    return _result(
        "JC-B-EVIDENCE",
        Status.NOT_MET,
        "Bewijs ontbreekt. De punten staan al in het overzicht, maar zonder bewijs kun je het "
        "portfolio niet indienen. " + " ".join(lines),
        path,
    )


def _same_person(first: str, second: str) -> bool:
    # JC-B-OVERLAP: names compare trimmed and case-insensitively; an absent name is "".
    return first.strip().casefold() == second.strip().casefold()


def overlap_pairs(
    snapshot: JobcoachSnapshot,
) -> list[tuple[int, PEActivity, int, ReflectionMeeting]]:
    """JC-B-OVERLAP: (activity index, activity, meeting index, meeting) counted twice."""
    return [
        (activity_index, activity, meeting_index, meeting)
        for activity_index, activity in enumerate(snapshot.pe_activities)
        if activity.type == INTERCOLLEGIAL_MEETING and activity.date is not None
        for meeting_index, meeting in enumerate(snapshot.reflection_meetings)
        if meeting.date == activity.date and _same_person(meeting.facilitator, activity.facilitator)
    ]


def _jc_b_overlap(snapshot: JobcoachSnapshot, *, framework: JobcoachFramework) -> RuleResult:
    pairs = overlap_pairs(snapshot)
    if not pairs:
        return _result(
            "JC-B-OVERLAP",
            Status.MET,
            "Geen van je bijeenkomsten bij A3.1 staat ook als PE-activiteit in categorie 2.",
            "pe_activities",
        )
    kind = _activity_type(framework, INTERCOLLEGIAL_MEETING)
    lines = [
        f"{_meeting_name(meeting, meeting_index, framework)} staat ook als "
        f"{_lower_first(_activity_name(activity, activity_index, kind))} bij de PE-punten."
        for activity_index, activity, meeting_index, meeting in pairs
    ]
    activity_indexes = {pair[0] for pair in pairs}
    path = f"pe_activities[{pairs[0][0]}]" if len(activity_indexes) == 1 else "pe_activities"
    return _result(
        "JC-B-OVERLAP",
        Status.NOT_MET,
        "Een bijeenkomst telt voor A3.1 of voor PE-punten in categorie 2, niet voor allebei. "
        + " ".join(lines)
        + " Verwijder de PE-activiteit of kies voor A3.1 een andere bijeenkomst.",
        path,
    )


def _jc_b_window(
    snapshot: JobcoachSnapshot, *, pe: PEOverview, framework: JobcoachFramework
) -> RuleResult:
    outside = [points for points in pe.activities if not points.in_window]
    if not outside:
        return _result(
            "JC-B-WINDOW",
            Status.MET,
            f"Alle activiteiten vallen in het venster {_period(pe.window)}.",
            "pe_activities",
        )
    lines = []
    for points in outside:
        activity = snapshot.pe_activities[points.index]
        kind = _activity_type(framework, activity.type)
        lines.append(f"{_activity_name(activity, points.index, kind)}: {points.explanation}")
    path = f"pe_activities[{outside[0].index}]" if len(outside) == 1 else "pe_activities"
    return _result(
        "JC-B-WINDOW",
        Status.WARNING,
        f"Alleen activiteiten in de vier jaar voor de recertificering ({_period(pe.window)}) "
        "leveren punten op. Deze tellen niet mee: " + " ".join(lines),
        path,
    )


def _jc_c(snapshot: JobcoachSnapshot) -> RuleResult:
    missing = []
    if not snapshot.declaration.code_of_conduct:
        missing.append(
            ("declaration.code_of_conduct", "dat je de gedragscode kent en ernaar werkt")
        )
    if not snapshot.declaration.complaints_regulation:
        missing.append(("declaration.complaints_regulation", "dat je het klachtenreglement kent"))
    if not missing:
        return _result(
            "JC-C",
            Status.MET,
            "Je hebt verklaard dat je volgens de gedragscode werkt en het klachtenreglement kent.",
            "declaration",
        )
    return _result(
        "JC-C",
        Status.NOT_MET,
        "Zonder verklaring kun je het portfolio niet indienen. Bevestig nog "
        + " en ".join(label for _, label in missing)
        + ".",
        _narrowest([path for path, _ in missing], fallback="declaration"),
    )


# --- Formatting helpers ---------------------------------------------------------------------


def _narrowest(paths: list[str], *, fallback: str) -> str:
    """The one path all issues concern, else the enclosing path."""
    return paths[0] if len(paths) == 1 else fallback


def _anchor_phrase(snapshot: JobcoachSnapshot, anchor: date) -> str:
    if snapshot.recertification_date is None:
        return f"de peildatum {_day(anchor)} (er is nog geen recertificeringsdatum)"
    return f"de recertificeringsdatum {_day(anchor)}"


def _meeting_name(meeting: ReflectionMeeting, index: int, framework: JobcoachFramework) -> str:
    kind = framework.meeting_kind(meeting.kind)
    when = _day(meeting.date) if meeting.date else "zonder datum"
    return f"Bijeenkomst {index + 1} ({when}, {kind.label if kind else 'soort onbekend'})"


def _activity_name(activity: PEActivity, index: int, kind: ActivityType) -> str:
    title = f" ‘{activity.title.strip()}’" if not is_blank(activity.title) else ""
    if activity.date is not None:
        when = _day(activity.date)
    elif activity.start is not None:
        until = _day(activity.end) if activity.end else "heden"
        when = f"{_day(activity.start)} t/m {until}"
    else:
        when = "zonder datum"
    return f"Activiteit {index + 1}{title} ({_lower_first(kind.label)}, {when})"


def _or_list(words: tuple[str, ...]) -> str:
    """``("LVSC", "NOBCO", "EIA")`` → ``"LVSC, NOBCO of EIA"``."""
    return " of ".join(filter(None, (", ".join(words[:-1]), words[-1] if words else "")))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _day(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def _period(window: Window) -> str:
    return f"{_day(window.start)} t/m {_day(window.end)}"


def _decimal(value: Points | Decimal | None) -> Decimal:
    # str() keeps the decimal the user typed (1.1, not 1.100000000000000088…).
    return Decimal(0) if value is None else Decimal(str(value))


def _sum(values: Iterable[Points]) -> Decimal:
    return sum((_decimal(value) for value in values), Decimal(0))


def _points(value: Decimal) -> Points:
    """exchange.md: points are whole numbers where possible, else decimals."""
    return int(value) if value == value.to_integral_value() else float(value)


def _number(value: Points | Decimal) -> str:
    """A number as Dutch readers write it: 1,5."""
    return str(_points(_decimal(value))).replace(".", ",")


def _count(value: Points | Decimal, one: str, many: str) -> str:
    return f"{_number(value)} {one if _decimal(value) == 1 else many}"
