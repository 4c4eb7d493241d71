"""Register Jobcoach recertification: the snapshot and its rules (domain.md §1, exchange.md).

Pure functions over frozen dataclasses; rule values come from the framework version
(:mod:`portfolios.jobcoach.framework`). Messages say what is missing, which item and how to fix
it; they are Dutch source texts through gettext, translated when a portfolio is evaluated. Paths
are JSON paths of the exchange document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import pgettext

from portfolios.evaluation.common import (
    Evaluation,
    RuleResult,
    Statement,
    Status,
    enumeration,
    is_blank,
    written_day,
    years_before,
)
from portfolios.evaluation.translated import (
    gettext,
    ngettext,
    translated_once,
    written_once,
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
    # JC-B-SOURCE: the statement (or other record) the activity was taken over from; "" when
    # typed by the owner.
    source: str = ""


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
    # JC-B-SOURCE: the index of the earlier activity taken over from the same source.
    duplicate_of: int | None = None

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
        return _outside(
            activity, kind=kind, index=index, explanation=gettext("De begindatum ontbreekt.")
        )
    # JC-B: an open end runs until the recertification date, i.e. the end of the window.
    start = max(activity.start, window.start)
    end = min(activity.end or window.end, window.end)
    if start > end:
        return _outside(
            activity,
            kind=kind,
            index=index,
            explanation=gettext("De periode valt buiten het venster %(window)s: 0 punten.")
            % {"window": _period(window)},
        )
    months = whole_months(start=start, end=end)
    years = months_to_years(months)
    points = Decimal(years * kind.rate)
    steps = f"{_years(years)} × {_points_text(kind.rate)}"
    if kind.method == PointsMethod.PER_YEAR_AND_CANDIDATE:
        # Decision (JC-B): every candidate counts once any part of the period lies in the
        # window; the document gives no way to date individual candidates.
        candidates = activity.candidates or 0
        points += candidates * kind.candidate_rate
        steps += f" + {_candidates(candidates)} × {_points_text(kind.candidate_rate)}"
    return ActivityPoints(
        index=index,
        type=activity.type,
        category=kind.category,
        literature=kind.literature,
        points=_points(points),
        in_window=True,
        explanation=gettext("%(months)s binnen het venster (%(period)s) → %(steps)s = %(points)s")
        % {
            "months": _months(months),
            "period": _period(Window(start, end)),
            "steps": steps,
            "points": _points_text(points),
        },
        period=Window(start, end),
        months=months,
        years=years,
    )


def _score_single_date(
    activity: PEActivity, *, kind: ActivityType, window: Window, index: int
) -> ActivityPoints:
    if activity.date is None:
        # Decision (JC-B-WINDOW): an activity without a date cannot be placed in the window.
        return _outside(
            activity, kind=kind, index=index, explanation=gettext("De datum ontbreekt.")
        )
    if not window.contains(activity.date):
        return _outside(
            activity,
            kind=kind,
            index=index,
            explanation=gettext("%(day)s valt buiten het venster %(window)s: 0 punten.")
            % {"day": written_day(activity.date), "window": _period(window)},
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
        return points, gettext("%(sbu)s SBU = %(points)s") % {
            "sbu": _number(sbu),
            "points": _points_text(points),
        }
    if kind.method == PointsMethod.PER_HOUR:
        hours = _decimal(activity.hours)
        points = hours * rate
        return points, gettext("%(hours)s uur = %(points)s") % {
            "hours": _number(hours),
            "points": _points_text(points),
        }
    if kind.method == PointsMethod.PER_HALF_DAY_AND_DAY:
        points = activity.half_days * rate + activity.days * kind.day_rate
        return points, (
            f"{_half_days(activity.half_days)} × {kind.rate} + "
            f"{_days(activity.days)} × {kind.day_rate} = {_points_text(points)}"
        )
    if kind.method == PointsMethod.ARTICLE:
        words = activity.words or 0
        if words < kind.min_words:
            return Decimal(0), gettext(
                "%(words)s woorden: een artikel levert pas punten op vanaf %(minimum)s woorden, "
                "dus 0 punten"
            ) % {"words": words, "minimum": kind.min_words}
        return rate, gettext("%(words)s woorden (minimaal %(minimum)s) = %(points)s") % {
            "words": words,
            "minimum": kind.min_words,
            "points": _points_text(rate),
        }
    return rate, gettext("%(points)s per activiteit") % {"points": _points_text(rate)}


@translated_once()
def compute_pe(
    snapshot: JobcoachSnapshot, *, framework: JobcoachFramework, anchor: date
) -> PEOverview:
    """JC-B: points per activity, per category (with caps) and in total."""
    window = pe_window(anchor=anchor, framework=framework)
    activities = _without_repeated_sources(
        snapshot,
        tuple(
            score_activity(activity, framework=framework, window=window, index=index)
            for index, activity in enumerate(snapshot.pe_activities)
        ),
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


def _without_repeated_sources(
    snapshot: JobcoachSnapshot, scores: tuple[ActivityPoints, ...]
) -> tuple[ActivityPoints, ...]:
    """JC-B-SOURCE: an activity taken over from a source an earlier activity was taken over
    from (the same signed statement) earns nothing: one statement counts once. The portal holds
    a source once per portfolio; this also covers a snapshot built some other way."""
    first: dict[str, int] = {}
    result = []
    for score, activity in zip(scores, snapshot.pe_activities, strict=True):
        source = activity.source
        if source and source in first:
            score = replace(
                score,
                points=0,
                duplicate_of=first[source],
                explanation=gettext(
                    "Dezelfde verklaring staat al bij activiteit %(n)s en telt maar één keer: "
                    "0 punten."
                )
                % {"n": first[source] + 1},
            )
        elif source:
            first[source] = score.index
        result.append(score)
    return tuple(result)


# --- Evaluation -----------------------------------------------------------------------------


@translated_once()
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
                gettext(
                    "upload je cv met je werkervaring, je bij- en nascholing van de afgelopen "
                    "vier jaar, je huidige functies en de doelgroepen en vragen waarmee je werkt"
                ),
            )
        )
    if not snapshot.a1.statement.signed:
        issues.append(
            (
                "a1.statement",
                gettext(
                    "vul de verklaring in dat je nu als uitvoerend jobcoach werkt en onderteken "
                    "die (via het formulier of als upload)"
                ),
            )
        )
    if not issues:
        return _result(
            "JC-A1",
            Status.MET,
            gettext(
                "Je cv en de ondertekende verklaring dat je als uitvoerend jobcoach werkt zijn "
                "aanwezig."
            ),
            "a1",
        )
    return _result(
        "JC-A1",
        Status.NOT_MET,
        gettext("Werken als uitvoerend jobcoach is nog niet aangetoond: %(issues)s.")
        % {"issues": "; ".join(text for _, text in issues)},
        _narrowest([path for path, _ in issues], fallback="a1"),
    )


def _jc_a2(snapshot: JobcoachSnapshot, *, framework: JobcoachFramework, anchor: date) -> RuleResult:
    if framework.a2_exempt(anchor):
        return _result(
            "JC-A2",
            Status.EXEMPT,
            gettext(
                "Vrijgesteld: %(anchor)s ligt tussen %(start)s en %(end)s. Een terugblik op je "
                "vorige ontwikkelplan is deze keer niet verplicht."
            )
            % {
                "anchor": _anchor_phrase(snapshot, anchor),
                "start": written_day(framework.a2_exempt_from),
                "end": written_day(framework.a2_exempt_until),
            },
            "a2.report",
        )
    if is_blank(snapshot.a2_report):
        return _result(
            "JC-A2",
            Status.NOT_MET,
            gettext(
                "De terugblik ontbreekt. Beschrijf kort wat je in je vorige ontwikkelplan van "
                "plan was, wat je wel en niet hebt gedaan, welk ontwikkeladvies je bij de vorige "
                "(her)certificering kreeg en wat je ermee deed; en als je plannen veranderden: "
                "waarom, en welke weg je toen koos."
            ),
            "a2.report",
        )
    return _result(
        "JC-A2",
        Status.MET,
        gettext("De terugblik op je vorige ontwikkelplan en ontwikkeladvies is ingevuld."),
        "a2.report",
    )


def _jc_a3_1_meetings(
    snapshot: JobcoachSnapshot, *, framework: JobcoachFramework, anchor: date
) -> RuleResult:
    required = framework.reflection_requirement(anchor.year).meetings
    count = len(snapshot.reflection_meetings)
    summary = gettext(
        "%(meetings)s (intervisie, supervisie of coaching) opgevoerd; voor een recertificering "
        "in %(year)s zijn er minimaal %(required)s nodig."
    ) % {"meetings": _meetings(count), "year": anchor.year, "required": required}
    if count >= required:
        return _result("JC-A3.1-MEETINGS", Status.MET, summary, "reflection_meetings")
    return _result(
        "JC-A3.1-MEETINGS",
        Status.NOT_MET,
        gettext("%(summary)s Voeg er nog %(missing)s toe.")
        % {"summary": summary, "missing": required - count},
        "reflection_meetings",
    )


def _jc_a3_1_situations(
    snapshot: JobcoachSnapshot, *, framework: JobcoachFramework, anchor: date
) -> RuleResult:
    required = framework.reflection_requirement(anchor.year).own_situations
    count = sum(1 for meeting in snapshot.reflection_meetings if meeting.own_situation)
    summary = gettext(
        "In %(meetings)s heb je een eigen betekenisvolle situatie ingebracht; voor een "
        "recertificering in %(year)s zijn er minimaal %(required)s nodig."
    ) % {"meetings": _meetings(count), "year": anchor.year, "required": required}
    if count >= required:
        return _result("JC-A3.1-SITUATIONS", Status.MET, summary, "reflection_meetings")
    return _result(
        "JC-A3.1-SITUATIONS",
        Status.NOT_MET,
        gettext(
            "%(summary)s Geef aan in welke bijeenkomsten je zelf een situatie inbracht, of voeg "
            "een bijeenkomst toe waarin je dat deed."
        )
        % {"summary": summary},
        "reflection_meetings",
    )


def _jc_a3_1_statements(snapshot: JobcoachSnapshot, *, framework: JobcoachFramework) -> RuleResult:
    failing: list[tuple[int, list[tuple[str, str]]]] = []
    for index, meeting in enumerate(snapshot.reflection_meetings):
        base = f"reflection_meetings[{index}]"
        kind = framework.meeting_kind(meeting.kind)
        issues: list[tuple[str, str]] = []
        if kind is None:
            issues.append(
                (f"{base}.kind", gettext("kies of het intervisie, supervisie of coaching was"))
            )
        if meeting.date is None:
            issues.append((f"{base}.date", gettext("de datum ontbreekt")))
        if is_blank(meeting.facilitator):
            issues.append((f"{base}.facilitator", gettext("de naam van de begeleider ontbreekt")))
        if (
            kind is not None
            and kind.registration_required
            and is_blank(meeting.facilitator_registration)
        ):
            issues.append(
                (
                    f"{base}.facilitator_registration",
                    gettext(
                        "vermeld bij welke beroepsvereniging de begeleider van %(kind)s "
                        "geregistreerd is (bijvoorbeeld %(examples)s)"
                    )
                    % {
                        "kind": kind.label,
                        "examples": enumeration(
                            kind.registration_examples, pgettext("enumeration", "of")
                        ),
                    },
                )
            )
        if not meeting.statement.signed:
            issues.append((f"{base}.statement", gettext("de verklaring is niet ondertekend")))
        if issues:
            failing.append((index, issues))
    if not failing:
        message = (
            gettext("De verklaring van elke bijeenkomst (%(count)s) is compleet en ondertekend.")
            % {"count": len(snapshot.reflection_meetings)}
            if snapshot.reflection_meetings
            else gettext(
                "Er zijn nog geen bijeenkomsten opgevoerd, dus ook geen verklaringen om te "
                "controleren (het aantal bijeenkomsten staat bij JC-A3.1-MEETINGS)."
            )
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
        gettext(
            "Elke bijeenkomst heeft een complete, ondertekende verklaring nodig met datum en "
            "begeleider. %(meetings)s"
        )
        % {"meetings": " ".join(lines)},
        path,
    )


def _jc_a3_2(snapshot: JobcoachSnapshot, *, framework: JobcoachFramework) -> RuleResult:
    report = snapshot.reflection_report
    if report is None:
        return _result(
            "JC-A3.2",
            Status.NOT_MET,
            gettext(
                "Het reflectieverslag ontbreekt. Kies een van je bijeenkomsten bij A3.1 en "
                "schrijf in de ik-vorm over de situatie die daar besproken werd."
            ),
            "reflection_report",
        )
    issues: list[tuple[str, str]] = []
    meetings = snapshot.reflection_meetings
    if report.meeting is None:
        issues.append(
            (
                "reflection_report.meeting",
                gettext("kies de bijeenkomst waarop het verslag terugblikt"),
            )
        )
    elif not 0 <= report.meeting < len(meetings):
        issues.append(
            (
                "reflection_report.meeting",
                gettext(
                    "het verslag verwijst naar bijeenkomst %(number)s, maar die staat niet bij "
                    "A3.1; kies een bijeenkomst uit de lijst"
                )
                % {"number": report.meeting + 1},
            )
        )
    parts = (
        ("situation", gettext("beschrijf de situatie en je rol daarin")),
        ("motivation", gettext("beschrijf waarom je deze situatie inbracht")),
        ("insights", gettext("beschrijf de inzichten die het gesprek je gaf")),
        ("consequences", gettext("beschrijf wat die inzichten betekenen voor je handelen")),
    )
    for name, text in parts:
        if is_blank(getattr(report, name)):
            issues.append((f"reflection_report.{name}", text))
    if not issues:
        index = report.meeting if report.meeting is not None else 0
        return _result(
            "JC-A3.2",
            Status.MET,
            gettext("Het reflectieverslag over %(meeting)s is compleet.")
            % {"meeting": _lower_first(_meeting_name(meetings[index], index, framework))},
            "reflection_report",
        )
    return _result(
        "JC-A3.2",
        Status.NOT_MET,
        gettext("Het reflectieverslag is nog niet compleet: %(issues)s.")
        % {"issues": "; ".join(text for _, text in issues)},
        _narrowest([path for path, _ in issues], fallback="reflection_report"),
    )


def _jc_a4(snapshot: JobcoachSnapshot) -> RuleResult:
    plan = snapshot.development_plan
    parts = (
        ("present", gettext("het heden (ontwikkelingen in je leven, werk, vak en omgeving)")),
        (
            "past",
            gettext("het verleden (sleutelmomenten en leerervaringen van de afgelopen vier jaar)"),
        ),
        ("future", gettext("de toekomst (je plannen, stappen en wat je daarvoor nodig hebt)")),
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
            gettext("Je ontwikkelplan beschrijft heden, verleden en toekomst."),
            "development_plan",
        )
    return _result(
        "JC-A4",
        Status.NOT_MET,
        gettext(
            "Het ontwikkelplan voor de komende vier jaar is nog niet compleet. Vul nog in: "
            "%(missing)s."
        )
        % {"missing": "; ".join(label for _, label in missing)},
        _narrowest([path for path, _ in missing], fallback="development_plan"),
    )


def _jc_b_cat1(pe: PEOverview, *, framework: JobcoachFramework) -> RuleResult:
    category = framework.category(1)
    points = pe.category(1)
    minimum = category.minimum or 0
    counted = ngettext("%(n)s punt telt", "%(n)s punten tellen", _plural_count(points.counted)) % {
        "n": _number(points.counted)
    }
    message = gettext("Categorie 1 (%(name)s): %(counted)s mee; minimaal %(minimum)s nodig.") % {
        "name": category.name,
        "counted": counted,
        "minimum": minimum,
    }
    literature = points.literature_earned or 0
    if category.literature_cap is not None and literature > category.literature_cap:
        message += " " + gettext(
            "Van je %(literature)s punten voor vakliteratuur en podcasts tellen er %(cap)s mee."
        ) % {"literature": _number(literature), "cap": category.literature_cap}
    if points.counted >= minimum:
        return _result("JC-B-CAT1", Status.MET, message, "pe_activities")
    return _result(
        "JC-B-CAT1",
        Status.NOT_MET,
        gettext(
            "%(message)s Je hebt er nog %(missing)s nodig: voeg bij- of nascholing binnen het "
            "vakgebied toe (vakliteratuur en podcasts tellen samen voor hoogstens %(cap)s)."
        )
        % {
            "message": message,
            "missing": _number(_decimal(minimum) - _decimal(points.counted)),
            "cap": category.literature_cap,
        },
        "pe_activities",
    )


def _jc_b_total(pe: PEOverview) -> RuleResult:
    message = gettext(
        "In het venster %(window)s tellen %(counted)s van de vereiste %(required)s PE-punten mee."
    ) % {
        "window": _period(pe.window),
        "counted": _number(pe.total_counted),
        "required": pe.required,
    }
    capped = [
        gettext("categorie %(number)s (%(earned)s verdiend, %(counted)s telt mee)")
        % {"number": c.number, "earned": _number(c.earned), "counted": _number(c.counted)}
        for c in pe.categories
        if c.counted < c.earned
    ]
    if capped:
        message += " " + gettext("Begrensd: %(categories)s.") % {"categories": ", ".join(capped)}
    if pe.total_counted >= pe.required:
        return _result("JC-B-TOTAL", Status.MET, message, "pe_activities")
    missing = _decimal(pe.required) - _decimal(pe.total_counted)
    return _result(
        "JC-B-TOTAL",
        Status.NOT_MET,
        gettext(
            "%(message)s Je hebt nog %(missing)s punten nodig, in categorieën waarvan het "
            "maximum nog niet bereikt is."
        )
        % {"message": message, "missing": _number(missing)},
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
            gettext("Elke activiteit die een bewijsstuk vraagt, heeft er een."),
            "pe_activities",
        )
    lines = [
        gettext("%(activity)s: voeg toe: %(evidence)s.")
        % {
            "activity": _activity_name(activity, index, kind),
            "evidence": _lower_first(kind.evidence_hint),
        }
        for index, kind, activity in lacking
    ]
    path = f"pe_activities[{lacking[0][0]}].evidence" if len(lacking) == 1 else "pe_activities"
    return _result(
        "JC-B-EVIDENCE",
        Status.NOT_MET,
        gettext(
            "Bewijs ontbreekt. De punten staan al in het overzicht, maar zonder bewijs kun je "
            "het portfolio niet indienen. %(activities)s"
        )
        % {"activities": " ".join(lines)},
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
            gettext(
                "Geen van je bijeenkomsten bij A3.1 staat ook als PE-activiteit in categorie 2."
            ),
            "pe_activities",
        )
    kind = framework.intercollegial_meeting
    lines = [
        gettext("%(meeting)s staat ook als %(activity)s bij de PE-punten.")
        % {
            "meeting": _meeting_name(meeting, meeting_index, framework),
            "activity": _lower_first(_activity_name(activity, activity_index, kind)),
        }
        for activity_index, activity, meeting_index, meeting in pairs
    ]
    activity_indexes = {pair[0] for pair in pairs}
    path = f"pe_activities[{pairs[0][0]}]" if len(activity_indexes) == 1 else "pe_activities"
    return _result(
        "JC-B-OVERLAP",
        Status.NOT_MET,
        gettext(
            "Een bijeenkomst telt voor A3.1 of voor PE-punten in categorie 2, niet voor allebei. "
            "%(pairs)s Verwijder de PE-activiteit of kies voor A3.1 een andere bijeenkomst."
        )
        % {"pairs": " ".join(lines)},
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
            gettext("Alle activiteiten vallen in het venster %(window)s.")
            % {"window": _period(pe.window)},
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
        gettext(
            "Alleen activiteiten in de vier jaar voor de recertificering (%(window)s) leveren "
            "punten op. Deze tellen niet mee: %(activities)s"
        )
        % {"window": _period(pe.window), "activities": " ".join(lines)},
        path,
    )


def _jc_c(snapshot: JobcoachSnapshot) -> RuleResult:
    missing = []
    if not snapshot.declaration.code_of_conduct:
        missing.append(
            ("declaration.code_of_conduct", gettext("dat je de gedragscode kent en ernaar werkt"))
        )
    if not snapshot.declaration.complaints_regulation:
        missing.append(
            ("declaration.complaints_regulation", gettext("dat je het klachtenreglement kent"))
        )
    if not missing:
        return _result(
            "JC-C",
            Status.MET,
            gettext(
                "Je hebt verklaard dat je volgens de gedragscode werkt en het klachtenreglement "
                "kent."
            ),
            "declaration",
        )
    return _result(
        "JC-C",
        Status.NOT_MET,
        gettext("Zonder verklaring kun je het portfolio niet indienen. Bevestig nog %(missing)s.")
        % {"missing": enumeration([label for _, label in missing])},
        _narrowest([path for path, _ in missing], fallback="declaration"),
    )


# --- Formatting helpers ---------------------------------------------------------------------


def _narrowest(paths: list[str], *, fallback: str) -> str:
    """The one path all issues concern, else the enclosing path."""
    return paths[0] if len(paths) == 1 else fallback


def _anchor_phrase(snapshot: JobcoachSnapshot, anchor: date) -> str:
    if snapshot.recertification_date is None:
        return gettext("de peildatum %(day)s (er is nog geen recertificeringsdatum)") % {
            "day": written_day(anchor)
        }
    return gettext("de recertificeringsdatum %(day)s") % {"day": written_day(anchor)}


def _meeting_name(meeting: ReflectionMeeting, index: int, framework: JobcoachFramework) -> str:
    kind = framework.meeting_kind(meeting.kind)
    return gettext("Bijeenkomst %(number)s (%(when)s, %(kind)s)") % {
        "number": index + 1,
        "when": written_day(meeting.date) if meeting.date else gettext("zonder datum"),
        "kind": kind.label if kind else gettext("soort onbekend"),
    }


def _activity_name(activity: PEActivity, index: int, kind: ActivityType) -> str:
    title = f" ‘{activity.title.strip()}’" if not is_blank(activity.title) else ""
    if activity.date is not None:
        when = written_day(activity.date)
    elif activity.start is not None:
        when = gettext("%(start)s t/m %(end)s") % {
            "start": written_day(activity.start),
            "end": written_day(activity.end) if activity.end else gettext("heden"),
        }
    else:
        when = gettext("zonder datum")
    return gettext("Activiteit %(number)s%(title)s (%(kind)s, %(when)s)") % {
        "number": index + 1,
        "title": title,
        "kind": _lower_first(kind.label),
        "when": when,
    }


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _period(window: Window) -> str:
    return gettext("%(start)s t/m %(end)s") % {
        "start": written_day(window.start),
        "end": written_day(window.end),
    }


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


def _plural_count(value: Points | Decimal) -> int:
    """The number ngettext chooses a form by. Plural rules are for whole numbers; a fraction
    (1,5) takes the form of a number other than one, as in Dutch and English."""
    number = _decimal(value)
    return int(number) if number == number.to_integral_value() else 2


def _points_text(value: Points | Decimal) -> str:
    """The points as text ("1,5 punten"). Within one evaluation each amount is written once:
    a thousand activities earn a handful of amounts (equal ones, 2 and 2.0, give one text)."""
    return written_once(("points", value), lambda: _write_points(value))


def _write_points(value: Points | Decimal) -> str:
    return ngettext("%(n)s punt", "%(n)s punten", _plural_count(value)) % {"n": _number(value)}


def _years(count: int) -> str:
    return ngettext("%(n)s jaar", "%(n)s jaar", count) % {"n": count}


def _months(count: int) -> str:
    return ngettext("%(n)s maand", "%(n)s maanden", count) % {"n": count}


def _candidates(count: int) -> str:
    return ngettext("%(n)s kandidaat", "%(n)s kandidaten", count) % {"n": count}


def _half_days(count: int) -> str:
    return ngettext("%(n)s dagdeel", "%(n)s dagdelen", count) % {"n": count}


def _days(count: int) -> str:
    return ngettext("%(n)s dag", "%(n)s dagen", count) % {"n": count}


def _meetings(count: int) -> str:
    return ngettext("%(n)s bijeenkomst", "%(n)s bijeenkomsten", count) % {"n": count}
