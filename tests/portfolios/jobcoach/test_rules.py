"""Register Jobcoach recertification: rule engine, PE computation and exchange mapping.

Pure functions only: no database. Test names carry the rule ID they pin down.
"""

from __future__ import annotations

import copy
import math
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolios.evaluation.common import DocumentError, Status
from portfolios.jobcoach.exchange import dump_jobcoach, parse_jobcoach
from portfolios.jobcoach.framework import ACTIVITY_TYPES, JOBCOACH_2024_1, jobcoach_framework
from portfolios.jobcoach.rules import (
    CurrentWork,
    Declaration,
    DevelopmentPlan,
    JobcoachSnapshot,
    PEActivity,
    ReflectionMeeting,
    ReflectionReport,
    Statement,
    compute_pe,
    evaluate_jobcoach,
    months_to_years,
    score_activity,
    whole_months,
)

FRAMEWORK = JOBCOACH_2024_1
ANCHOR = date(2027, 3, 31)
WINDOW_START = date(2023, 3, 31)
AS_OF = date(2026, 11, 22)

# exchange.md: every Jobcoach rule, in this order, every time.
RULE_IDS = (
    "JC-A1",
    "JC-A2",
    "JC-A3.1-MEETINGS",
    "JC-A3.1-SITUATIONS",
    "JC-A3.1-STATEMENTS",
    "JC-A3.2",
    "JC-A4",
    "JC-B-CAT1",
    "JC-B-TOTAL",
    "JC-B-EVIDENCE",
    "JC-B-OVERLAP",
    "JC-B-WINDOW",
    "JC-C",
)

SIGNED = Statement(signed=True, evidence="verklaring.pdf")


def meeting(
    day: date | None = date(2025, 5, 12),
    kind: str = "intervision",
    *,
    facilitator: str = "A. de Vries",
    registration: str = "",
    own_situation: bool = True,
    statement: Statement = SIGNED,
) -> ReflectionMeeting:
    return ReflectionMeeting(
        date=day,
        kind=kind,
        facilitator=facilitator,
        facilitator_registration=registration,
        own_situation=own_situation,
        statement=statement,
    )


def course(sbu: float, *, day: date = date(2025, 1, 10), evidence: str | None = "c.pdf"):
    return PEActivity(type="course", title="Cursus", date=day, sbu=sbu, evidence=evidence)


def complete_snapshot(**changes: Any) -> JobcoachSnapshot:
    """A portfolio that meets every rule for a recertification on 2027-03-31."""
    snapshot = JobcoachSnapshot(
        recertification_date=ANCHOR,
        a1=CurrentWork(cv="cv.pdf", statement=SIGNED),
        a2_report="Terugblik op mijn vorige plan.",
        reflection_meetings=(
            meeting(date(2024, 2, 1)),
            meeting(date(2024, 9, 1), own_situation=False),
            meeting(date(2025, 5, 12), "supervision", registration="LVSC"),
            meeting(date(2026, 1, 20), "coaching", registration="NOBCO", own_situation=False),
        ),
        reflection_report=ReflectionReport(
            meeting=0, situation="s", motivation="m", insights="i", consequences="c"
        ),
        development_plan=DevelopmentPlan(present="nu", past="toen", future="straks"),
        pe_activities=(
            course(40),
            PEActivity(
                type="course_outside_field",
                title="Cursus",
                date=date(2024, 6, 1),
                sbu=30,
                evidence="d.pdf",
            ),
            PEActivity(type="lecture", title="Gastles", date=date(2025, 3, 3), evidence="l.pdf"),
        ),
        declaration=Declaration(code_of_conduct=True, complaints_regulation=True),
    )
    return replace(snapshot, **changes)


def evaluate(snapshot: JobcoachSnapshot, *, as_of: date = AS_OF):
    return evaluate_jobcoach(snapshot, as_of=as_of, framework=FRAMEWORK)


def status(snapshot: JobcoachSnapshot, rule_id: str, *, as_of: date = AS_OF) -> Status:
    return evaluate(snapshot, as_of=as_of).rule(rule_id).status


def pe_of(*activities: PEActivity, anchor: date = ANCHOR):
    snapshot = JobcoachSnapshot(recertification_date=anchor, pe_activities=activities)
    return compute_pe(snapshot, framework=FRAMEWORK, anchor=anchor)


# --- Result shape (exchange.md "Evaluation result") ---------------------------------------


def test_every_jc_rule_appears_in_order_for_a_complete_portfolio():
    evaluation = evaluate(complete_snapshot())
    assert tuple(rule.id for rule in evaluation.rules) == RULE_IDS
    assert {rule.status for rule in evaluation.rules} == {Status.MET}
    assert evaluation.submittable


def test_every_jc_rule_appears_in_order_for_an_empty_portfolio():
    evaluation = evaluate(JobcoachSnapshot())
    assert tuple(rule.id for rule in evaluation.rules) == RULE_IDS
    assert not evaluation.submittable
    assert all(rule.message and rule.path for rule in evaluation.rules)


def test_result_json_has_the_exchange_shape():
    data = evaluate(complete_snapshot()).to_json()
    assert data["framework"] == "jobcoach-recertification"
    assert data["as_of"] == "2026-11-22"
    assert data["submittable"] is True
    assert [rule["id"] for rule in data["rules"]] == list(RULE_IDS)
    assert set(data["rules"][0]) == {"id", "status", "message", "path"}
    pe = data["pe"]
    assert pe["window"] == {"start": "2023-03-31", "end": "2027-03-31"}
    assert list(pe["categories"]) == ["1", "2", "3", "4", "5", "6"]
    assert pe["categories"]["1"] == {
        "earned": 40,
        "counted": 40,
        "literature_earned": 0,
        "bound": "min 30",
    }
    assert pe["categories"]["6"] == {"earned": 0, "counted": 0, "bound": "max 10"}
    assert pe["activities"][0] == {"index": 0, "points": 40, "in_window": True}
    assert pe["total_counted"] == 76
    assert pe["required"] == 75


def test_submittable_with_only_a_warning():
    old_book = PEActivity(type="book", title="Oud boek", date=date(2020, 1, 1))
    snapshot = complete_snapshot(pe_activities=(*complete_snapshot().pe_activities, old_book))
    evaluation = evaluate(snapshot)
    assert evaluation.rule("JC-B-WINDOW").status == Status.WARNING
    assert evaluation.submittable


def test_framework_defaults_to_the_version_in_force_on_the_anchor():
    evaluation = evaluate_jobcoach(complete_snapshot(), as_of=AS_OF)
    assert evaluation.framework_version == "2024.1"
    assert jobcoach_framework(version="2024.1") is FRAMEWORK
    # A date before the first version falls back to the first version.
    assert jobcoach_framework(on=date(2020, 1, 1)) is FRAMEWORK


def test_recorded_unknown_framework_version_is_a_lookup_error():
    with pytest.raises(LookupError):
        evaluate_jobcoach(complete_snapshot(framework_version="1999.1"), as_of=AS_OF)


# --- JC-B: the PE table --------------------------------------------------------------------

TWO_YEARS = {"start": date(2024, 1, 1), "end": date(2026, 1, 1)}

PE_TABLE = [
    ("course", {"date": date(2025, 1, 1), "sbu": 24}, 24),
    ("course", {"date": date(2025, 1, 1), "sbu": 7.5}, 7.5),
    ("workshop", {"date": date(2025, 1, 1), "hours": 3}, 3),
    ("congress", {"date": date(2025, 1, 1), "half_days": 1, "days": 2}, 15),
    ("book", {"date": date(2025, 1, 1)}, 2),
    ("journal_subscription", TWO_YEARS, 2),
    ("podcast", {"date": date(2025, 1, 1)}, 1),
    ("intercollegial_meeting", {"date": date(2025, 1, 1)}, 2),
    ("congress_outside_field", {"date": date(2025, 1, 1), "half_days": 2}, 6),
    ("course_outside_field", {"date": date(2025, 1, 1), "sbu": 12}, 12),
    ("noloc_board", TWO_YEARS, 20),
    ("noloc_committee", TWO_YEARS, 12),
    ("network_board", TWO_YEARS, 20),
    ("network_member", TWO_YEARS, 12),
    ("jobcoach_mentor_assessor", {**TWO_YEARS, "candidates": 3}, 14),
    ("other_mentor_assessor", TWO_YEARS, 8),
    ("article", {"date": date(2025, 1, 1), "words": 1500}, 10),
    ("article", {"date": date(2025, 1, 1), "words": 1499}, 0),
    ("book_authored", {"date": date(2025, 1, 1), "isbn": "978-90-000-0000-0"}, 25),
    ("noloc_webinar", {"date": date(2025, 1, 1)}, 6),
    ("lecture", {"date": date(2025, 1, 1)}, 6),
    ("volunteer", TWO_YEARS, 4),
]


@pytest.mark.parametrize(("code", "fields", "points"), PE_TABLE)
def test_jc_b_points_per_activity_type(code, fields, points):
    activity = PEActivity(type=code, title="t", evidence="e.pdf", **fields)
    scored = score_activity(activity, framework=FRAMEWORK, window=pe_of().window)
    assert scored.in_window
    assert scored.points == points
    assert type(scored.points) is type(points)


def test_jc_b_pe_table_covers_every_activity_type_of_exchange_md():
    assert {code for code, _, _ in PE_TABLE} == {kind.code for kind in ACTIVITY_TYPES}
    assert len(ACTIVITY_TYPES) == 20


@pytest.mark.parametrize(
    ("code", "category", "fields", "literature", "evidence_required"),
    [
        ("course", 1, ("date", "sbu"), False, True),
        ("workshop", 1, ("date", "hours"), False, True),
        ("congress", 1, ("date", "half_days", "days"), False, True),
        ("book", 1, ("date",), True, False),
        ("journal_subscription", 1, ("start", "end"), True, False),
        ("podcast", 1, ("date",), True, False),
        ("intercollegial_meeting", 2, ("date", "facilitator"), False, True),
        ("congress_outside_field", 3, ("date", "half_days", "days"), False, True),
        ("course_outside_field", 3, ("date", "sbu"), False, True),
        ("noloc_board", 4, ("start", "end"), False, True),
        ("noloc_committee", 4, ("start", "end"), False, True),
        ("network_board", 4, ("start", "end"), False, True),
        ("network_member", 4, ("start", "end"), False, True),
        ("jobcoach_mentor_assessor", 4, ("start", "end", "candidates"), False, True),
        ("other_mentor_assessor", 4, ("start", "end"), False, True),
        ("article", 5, ("date", "words"), False, True),
        ("book_authored", 5, ("date", "isbn"), False, True),
        ("noloc_webinar", 5, ("date",), False, True),
        ("lecture", 5, ("date",), False, True),
        ("volunteer", 6, ("start", "end"), False, True),
    ],
)
def test_jc_b_activity_type_table(code, category, fields, literature, evidence_required):
    kind = FRAMEWORK.activity_type(code)
    assert (kind.category, kind.fields, kind.literature, kind.evidence_required) == (
        category,
        fields,
        literature,
        evidence_required,
    )
    assert kind.label and kind.evidence_hint


def test_jc_b_unknown_activity_type_in_a_snapshot_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown activity type 'foo'"):
        pe_of(PEActivity(type="foo", date=date(2025, 1, 1)))


def test_jc_b_congress_without_half_days_or_days_earns_nothing():
    (scored,) = pe_of(PEActivity(type="congress", date=date(2025, 1, 1))).activities
    assert scored.points == 0


# --- JC-B: the window ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "in_window"),
    [
        (WINDOW_START - timedelta(days=1), False),
        (WINDOW_START, True),
        (ANCHOR, True),
        (ANCHOR + timedelta(days=1), False),
    ],
)
def test_jc_b_window_edges_for_a_single_date(day, in_window):
    pe = pe_of(course(10, day=day))
    assert pe.window.start == WINDOW_START
    assert pe.activities[0].in_window is in_window
    assert pe.activities[0].points == (10 if in_window else 0)


def test_jc_b_window_of_a_recertification_date_in_year_1_starts_at_the_calendar():
    # A date stored before the forms refused it: the register still shows, the window clamped.
    pe = pe_of(course(10, day=date(1, 6, 1)), anchor=date(1, 12, 31))
    assert pe.window.start == date.min
    assert pe.activities[0].in_window


def test_jc_b_window_warning_names_the_activities_outside():
    snapshot = complete_snapshot(
        pe_activities=(course(80), course(5, day=date(2022, 1, 1)), course(5, day=date(2027, 5, 1)))
    )
    rule = evaluate(snapshot).rule("JC-B-WINDOW")
    assert rule.status == Status.WARNING
    assert "Activiteit 2" in rule.message and "Activiteit 3" in rule.message
    assert "Activiteit 1 " not in rule.message
    assert rule.path == "pe_activities"


def test_jc_b_window_single_outside_activity_has_its_path():
    snapshot = complete_snapshot(pe_activities=(course(80), course(5, day=date(2022, 1, 1))))
    assert evaluate(snapshot).rule("JC-B-WINDOW").path == "pe_activities[1]"


def test_jc_b_window_met_when_all_inside():
    assert status(complete_snapshot(), "JC-B-WINDOW") == Status.MET


# --- JC-B: per-year periods ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "months", "years"),
    [
        (date(2024, 1, 1), date(2024, 6, 1), 5, 0),
        (date(2024, 1, 1), date(2024, 7, 1), 6, 1),
        (date(2024, 1, 1), date(2025, 2, 1), 13, 1),
        (date(2024, 1, 1), date(2025, 6, 1), 17, 1),
        (date(2024, 1, 1), date(2025, 7, 1), 18, 2),
        # The day of the month: one day short of six months is five whole months.
        (date(2024, 1, 15), date(2024, 7, 14), 5, 0),
        (date(2024, 1, 15), date(2024, 7, 15), 6, 1),
        (date(2024, 1, 31), date(2024, 2, 29), 0, 0),
    ],
)
def test_jc_b_months_rounded_to_years(start, end, months, years):
    assert whole_months(start=start, end=end) == months
    assert months_to_years(months) == years
    activity = PEActivity(type="noloc_board", start=start, end=end, evidence="e.pdf")
    (scored,) = pe_of(activity).activities
    assert (scored.months, scored.years, scored.points) == (months, years, 10 * years)


def test_jc_b_whole_months_never_negative():
    assert whole_months(start=date(2025, 1, 1), end=date(2024, 1, 1)) == 0


def test_jc_b_period_is_clipped_to_the_window_and_open_end_runs_to_the_anchor():
    activity = PEActivity(type="noloc_board", start=date(2020, 1, 1), evidence="e.pdf")
    (scored,) = pe_of(activity).activities
    assert (scored.period.start, scored.period.end) == (WINDOW_START, ANCHOR)
    assert (scored.months, scored.years, scored.points) == (48, 4, 40)


def test_jc_b_period_explanation_shows_months_and_years():
    activity = PEActivity(
        type="noloc_board", start=date(2025, 1, 1), end=date(2026, 3, 1), evidence="e.pdf"
    )
    (scored,) = pe_of(activity).activities
    assert scored.explanation.startswith("14 maanden binnen het venster")
    assert "→ 1 jaar × 10 punten = 10 punten" in scored.explanation


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2018, 1, 1), date(2023, 3, 30)), (date(2027, 4, 1), None)],
)
def test_jc_b_period_entirely_outside_the_window_earns_nothing(start, end):
    activity = PEActivity(type="volunteer", start=start, end=end, evidence="e.pdf")
    (scored,) = pe_of(activity).activities
    assert (scored.in_window, scored.points) == (False, 0)


def test_jc_b_mentor_candidates_count_once_the_period_touches_the_window():
    activity = PEActivity(
        type="jobcoach_mentor_assessor",
        start=date(2023, 1, 1),
        end=date(2023, 6, 30),
        candidates=4,
        evidence="e.pdf",
    )
    (scored,) = pe_of(activity).activities
    # Three months inside the window round to 0 years; the candidates still count.
    assert (scored.years, scored.points) == (0, 8)


# --- JC-B: categories, caps and the literature sub-cap ------------------------------------


def _many(activity: PEActivity, times: int) -> tuple[PEActivity, ...]:
    return (activity,) * times


@pytest.mark.parametrize(
    ("number", "activities", "earned", "counted"),
    [
        (
            2,
            _many(PEActivity(type="intercollegial_meeting", date=date(2025, 1, 1)), 16),
            32,
            30,
        ),
        (3, (PEActivity(type="course_outside_field", date=date(2025, 1, 1), sbu=40),), 40, 30),
        (4, (PEActivity(type="noloc_board", start=date(2020, 1, 1)),), 40, 30),
        (5, _many(PEActivity(type="book_authored", date=date(2025, 1, 1)), 2), 50, 30),
        (6, (PEActivity(type="volunteer", start=date(2020, 1, 1)),), 8, 8),
        (6, _many(PEActivity(type="volunteer", start=date(2020, 1, 1)), 2), 16, 10),
    ],
)
def test_jc_b_category_caps(number, activities, earned, counted):
    category = pe_of(*activities).category(number)
    assert (category.earned, category.counted) == (earned, counted)


def test_jc_b_cat1_has_no_upper_cap():
    assert pe_of(course(80)).category(1).counted == 80


@pytest.mark.parametrize(
    ("sbu", "books", "earned", "literature", "counted", "expected"),
    [
        (22, 6, 34, 12, 32, Status.MET),  # the example of exchange.md
        (19, 6, 31, 12, 29, Status.NOT_MET),
        (20, 5, 30, 10, 30, Status.MET),
        (0, 15, 30, 30, 10, Status.NOT_MET),
    ],
)
def test_jc_b_cat1_literature_cap_is_10(sbu, books, earned, literature, counted, expected):
    book = PEActivity(type="book", title="Boek", date=date(2025, 1, 1))
    activities = (course(sbu), *_many(book, books))
    category = pe_of(*activities).category(1)
    assert (category.earned, category.literature_earned, category.counted) == (
        earned,
        literature,
        counted,
    )
    assert status(complete_snapshot(pe_activities=activities), "JC-B-CAT1") == expected


def test_jc_b_cat1_literature_cap_is_explained():
    podcast = PEActivity(type="podcast", date=date(2025, 1, 1))
    snapshot = complete_snapshot(pe_activities=(course(30), *_many(podcast, 12)))
    message = evaluate(snapshot).rule("JC-B-CAT1").message
    assert "12 punten voor vakliteratuur en podcasts tellen er 10 mee" in message


@pytest.mark.parametrize(("extra_sbu", "expected"), [(5, Status.MET), (4.5, Status.NOT_MET)])
def test_jc_b_total_needs_75_counted(extra_sbu, expected):
    # 30 (cat 1) + 30 (cat 3, capped from 40) + 10 (cat 6 capped) + extra cat-1 SBU.
    activities = (
        course(30),
        PEActivity(type="course_outside_field", date=date(2025, 1, 1), sbu=40, evidence="e"),
        *_many(PEActivity(type="volunteer", start=date(2020, 1, 1), evidence="e"), 2),
        course(extra_sbu),
    )
    snapshot = complete_snapshot(pe_activities=activities)
    evaluation = evaluate(snapshot)
    assert evaluation.extra["pe"]["total_counted"] == 70 + extra_sbu
    assert evaluation.rule("JC-B-TOTAL").status == expected
    assert "categorie 3 (40 verdiend, 30 telt mee)" in evaluation.rule("JC-B-TOTAL").message


def test_jc_b_fractional_sbu_sum_exactly():
    pe = pe_of(course(0.1), course(0.2))
    assert pe.category(1).earned == 0.3
    assert pe.total_counted == 0.3


# --- JC-B-EVIDENCE -------------------------------------------------------------------------


def test_jc_b_evidence_missing_is_not_met_but_points_still_count():
    snapshot = complete_snapshot(
        pe_activities=(course(40, evidence=None), *complete_snapshot().pe_activities[1:])
    )
    evaluation = evaluate(snapshot)
    rule = evaluation.rule("JC-B-EVIDENCE")
    assert rule.status == Status.NOT_MET
    assert rule.path == "pe_activities[0].evidence"
    assert "Activiteit 1 ‘Cursus’" in rule.message
    assert "certificaat" in rule.message
    assert evaluation.extra["pe"]["activities"][0]["points"] == 40
    assert not evaluation.submittable


def test_jc_b_evidence_names_every_activity_lacking_it():
    snapshot = complete_snapshot(
        pe_activities=(course(40, evidence=None), course(40, evidence=None))
    )
    rule = evaluate(snapshot).rule("JC-B-EVIDENCE")
    assert rule.path == "pe_activities"
    assert "Activiteit 1" in rule.message and "Activiteit 2" in rule.message


@pytest.mark.parametrize("code", ["book", "podcast"])
def test_jc_b_evidence_not_needed_for_literature(code):
    literature = PEActivity(type=code, title="Titel", date=date(2025, 1, 1))
    snapshot = complete_snapshot(pe_activities=(*complete_snapshot().pe_activities, literature))
    assert status(snapshot, "JC-B-EVIDENCE") == Status.MET


# --- JC-B-OVERLAP --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "facilitator", "meeting_facilitator", "expected"),
    [
        (date(2025, 5, 12), "A. de Vries", "A. de Vries", Status.NOT_MET),
        (date(2025, 5, 12), "  a. DE VRIES ", "A. de Vries", Status.NOT_MET),
        (date(2025, 5, 12), "", "", Status.NOT_MET),
        (date(2025, 5, 12), "B. Jansen", "A. de Vries", Status.MET),
        (date(2025, 5, 13), "A. de Vries", "A. de Vries", Status.MET),
    ],
)
def test_jc_b_overlap_same_date_and_facilitator(day, facilitator, meeting_facilitator, expected):
    base = complete_snapshot()
    meetings = (
        *base.reflection_meetings[:2],
        meeting(date(2025, 5, 12), facilitator=meeting_facilitator),
        base.reflection_meetings[3],
    )
    duplicate = PEActivity(
        type="intercollegial_meeting",
        title="Intervisie",
        date=day,
        facilitator=facilitator,
        evidence="e.pdf",
    )
    snapshot = replace(
        base, reflection_meetings=meetings, pe_activities=(*base.pe_activities, duplicate)
    )
    rule = evaluate(snapshot).rule("JC-B-OVERLAP")
    assert rule.status == expected
    if expected == Status.NOT_MET:
        assert rule.path == "pe_activities[3]"
        assert "Bijeenkomst 3 (12-05-2025, intervisie)" in rule.message
        assert "activiteit 4 ‘Intervisie’" in rule.message


def test_jc_b_overlap_only_concerns_intercollegial_meetings():
    base = complete_snapshot()
    same_day = course(5, day=base.reflection_meetings[0].date)
    snapshot = replace(base, pe_activities=(*base.pe_activities, same_day))
    assert status(snapshot, "JC-B-OVERLAP") == Status.MET


# --- JC-A3.1 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "meetings", "situations"),
    [(2023, 1, 1), (2024, 1, 1), (2025, 2, 1), (2026, 3, 2), (2027, 4, 2), (2030, 4, 2)],
)
def test_jc_a3_1_meetings_and_situations_follow_the_year_table(year, meetings, situations):
    requirement = FRAMEWORK.reflection_requirement(year)
    assert (requirement.meetings, requirement.own_situations) == (meetings, situations)
    anchor = date(year, 6, 30)
    own = tuple(meeting(own_situation=True) for _ in range(situations))
    other = tuple(meeting(own_situation=False) for _ in range(meetings - situations))
    enough = complete_snapshot(recertification_date=anchor, reflection_meetings=own + other)
    assert status(enough, "JC-A3.1-MEETINGS") == Status.MET
    assert status(enough, "JC-A3.1-SITUATIONS") == Status.MET
    one_meeting_short = replace(enough, reflection_meetings=(own + other)[1:])
    assert status(one_meeting_short, "JC-A3.1-MEETINGS") == Status.NOT_MET
    assert status(one_meeting_short, "JC-A3.1-SITUATIONS") == Status.NOT_MET
    one_situation_short = replace(
        enough, reflection_meetings=(*own[1:], meeting(own_situation=False), *other)
    )
    assert status(one_situation_short, "JC-A3.1-MEETINGS") == Status.MET
    assert status(one_situation_short, "JC-A3.1-SITUATIONS") == Status.NOT_MET


def test_jc_a3_1_meetings_without_recertification_date_use_as_of_year():
    snapshot = complete_snapshot(
        recertification_date=None, reflection_meetings=(meeting(), meeting())
    )
    assert status(snapshot, "JC-A3.1-MEETINGS", as_of=date(2025, 6, 1)) == Status.MET
    assert status(snapshot, "JC-A3.1-MEETINGS", as_of=date(2026, 6, 1)) == Status.NOT_MET


def test_jc_a3_1_meetings_message_says_how_many_are_missing():
    rule = evaluate(complete_snapshot(reflection_meetings=(meeting(),))).rule("JC-A3.1-MEETINGS")
    assert "minimaal 4" in rule.message and "nog 3" in rule.message


@pytest.mark.parametrize(
    ("kind", "registration", "expected", "path"),
    [
        ("intervision", "", Status.MET, None),
        ("supervision", "", Status.NOT_MET, "reflection_meetings[0].facilitator_registration"),
        ("supervision", "   ", Status.NOT_MET, "reflection_meetings[0].facilitator_registration"),
        ("supervision", "LVSC", Status.MET, None),
        ("coaching", "", Status.NOT_MET, "reflection_meetings[0].facilitator_registration"),
        ("coaching", "NOBCO", Status.MET, None),
        ("coaching", "Andere vereniging", Status.MET, None),
    ],
)
def test_jc_a3_1_statements_registration_per_kind(kind, registration, expected, path):
    snapshot = complete_snapshot(
        reflection_meetings=(meeting(kind=kind, registration=registration),)
    )
    rule = evaluate(snapshot).rule("JC-A3.1-STATEMENTS")
    assert rule.status == expected
    if path:
        assert rule.path == path
        assert "beroepsvereniging" in rule.message


@pytest.mark.parametrize(
    ("broken", "path", "phrase"),
    [
        (meeting(statement=Statement()), "statement", "de verklaring is niet ondertekend"),
        (
            meeting(statement=Statement(signed=False, evidence="upload.pdf")),
            "statement",
            "niet ondertekend",
        ),
        (meeting(day=None), "date", "de datum ontbreekt"),
        (meeting(facilitator=" "), "facilitator", "de naam van de begeleider ontbreekt"),
        (meeting(kind=""), "kind", "intervisie, supervisie of coaching"),
    ],
)
def test_jc_a3_1_statements_names_the_failing_meeting(broken, path, phrase):
    base = complete_snapshot()
    snapshot = replace(base, reflection_meetings=(base.reflection_meetings[0], broken))
    rule = evaluate(snapshot).rule("JC-A3.1-STATEMENTS")
    assert rule.status == Status.NOT_MET
    assert rule.path == f"reflection_meetings[1].{path}"
    assert "Bijeenkomst 2 (" in rule.message and phrase in rule.message
    assert "Bijeenkomst 1 " not in rule.message


def test_jc_a3_1_statements_message_names_date_and_kind():
    snapshot = complete_snapshot(reflection_meetings=(meeting(statement=Statement()),))
    message = evaluate(snapshot).rule("JC-A3.1-STATEMENTS").message
    assert "Bijeenkomst 1 (12-05-2025, intervisie): de verklaring is niet ondertekend" in message


def test_jc_a3_1_statements_several_failing_meetings():
    snapshot = complete_snapshot(
        reflection_meetings=(meeting(statement=Statement()), meeting(facilitator=""))
    )
    rule = evaluate(snapshot).rule("JC-A3.1-STATEMENTS")
    assert rule.path == "reflection_meetings"
    assert "Bijeenkomst 1" in rule.message and "Bijeenkomst 2" in rule.message


def test_jc_a3_1_statements_met_without_meetings():
    snapshot = complete_snapshot(reflection_meetings=())
    assert status(snapshot, "JC-A3.1-STATEMENTS") == Status.MET
    assert status(snapshot, "JC-A3.1-MEETINGS") == Status.NOT_MET


# --- JC-A2 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("anchor", "report", "expected"),
    [
        (date(2022, 12, 31), "", Status.NOT_MET),
        (date(2022, 12, 31), "Terugblik", Status.MET),
        (date(2023, 1, 1), "", Status.EXEMPT),
        (date(2026, 12, 31), "", Status.EXEMPT),
        (date(2026, 12, 31), "Terugblik", Status.EXEMPT),
        (date(2027, 1, 1), "", Status.NOT_MET),
        (date(2027, 1, 1), "  ", Status.NOT_MET),
        (date(2027, 1, 1), "Terugblik", Status.MET),
    ],
)
def test_jc_a2_exemption_window_edges(anchor, report, expected):
    snapshot = complete_snapshot(recertification_date=anchor, a2_report=report)
    assert status(snapshot, "JC-A2") == expected


def test_jc_a2_without_recertification_date_uses_as_of():
    snapshot = complete_snapshot(recertification_date=None, a2_report="")
    assert status(snapshot, "JC-A2", as_of=date(2026, 5, 1)) == Status.EXEMPT
    rule = evaluate(snapshot, as_of=date(2027, 5, 1)).rule("JC-A2")
    assert (rule.status, rule.path) == (Status.NOT_MET, "a2.report")


# --- JC-A1, JC-A3.2, JC-A4, JC-C ----------------------------------------------------------


@pytest.mark.parametrize(
    ("a1", "expected", "path"),
    [
        (CurrentWork(cv="cv.pdf", statement=SIGNED), Status.MET, "a1"),
        (CurrentWork(cv=None, statement=SIGNED), Status.NOT_MET, "a1.cv"),
        (
            CurrentWork(cv="cv.pdf", statement=Statement(evidence="v.pdf")),
            Status.NOT_MET,
            "a1.statement",
        ),
        (CurrentWork(), Status.NOT_MET, "a1"),
    ],
)
def test_jc_a1_cv_and_signed_statement(a1, expected, path):
    rule = evaluate(complete_snapshot(a1=a1)).rule("JC-A1")
    assert (rule.status, rule.path) == (expected, path)


@pytest.mark.parametrize(
    ("report", "expected", "path"),
    [
        (None, Status.NOT_MET, "reflection_report"),
        (
            ReflectionReport(
                meeting=None, situation="s", motivation="m", insights="i", consequences="c"
            ),
            Status.NOT_MET,
            "reflection_report.meeting",
        ),
        (
            ReflectionReport(
                meeting=4, situation="s", motivation="m", insights="i", consequences="c"
            ),
            Status.NOT_MET,
            "reflection_report.meeting",
        ),
        (
            ReflectionReport(
                meeting=3, situation="s", motivation="m", insights=" ", consequences="c"
            ),
            Status.NOT_MET,
            "reflection_report.insights",
        ),
        (ReflectionReport(meeting=3), Status.NOT_MET, "reflection_report"),
        (
            ReflectionReport(
                meeting=3, situation="s", motivation="m", insights="i", consequences="c"
            ),
            Status.MET,
            "reflection_report",
        ),
    ],
)
def test_jc_a3_2_reflection_report(report, expected, path):
    rule = evaluate(complete_snapshot(reflection_report=report)).rule("JC-A3.2")
    assert (rule.status, rule.path) == (expected, path)


def test_jc_a3_2_names_the_missing_meeting():
    report = ReflectionReport(
        meeting=4, situation="s", motivation="m", insights="i", consequences="c"
    )
    message = evaluate(complete_snapshot(reflection_report=report)).rule("JC-A3.2").message
    assert "bijeenkomst 5" in message


@pytest.mark.parametrize(
    ("plan", "expected", "path"),
    [
        (DevelopmentPlan(present="a", past="b", future="c"), Status.MET, "development_plan"),
        (
            DevelopmentPlan(present="a", past="", future="c"),
            Status.NOT_MET,
            "development_plan.past",
        ),
        (
            DevelopmentPlan(present="a", past="b", future="\n"),
            Status.NOT_MET,
            "development_plan.future",
        ),
        (DevelopmentPlan(), Status.NOT_MET, "development_plan"),
    ],
)
def test_jc_a4_development_plan_three_parts(plan, expected, path):
    rule = evaluate(complete_snapshot(development_plan=plan)).rule("JC-A4")
    assert (rule.status, rule.path) == (expected, path)


@pytest.mark.parametrize(
    ("declaration", "expected", "path"),
    [
        (Declaration(code_of_conduct=True, complaints_regulation=True), Status.MET, "declaration"),
        (
            Declaration(code_of_conduct=False, complaints_regulation=True),
            Status.NOT_MET,
            "declaration.code_of_conduct",
        ),
        (
            Declaration(code_of_conduct=True, complaints_regulation=False),
            Status.NOT_MET,
            "declaration.complaints_regulation",
        ),
        (Declaration(), Status.NOT_MET, "declaration"),
    ],
)
def test_jc_c_declaration(declaration, expected, path):
    evaluation = evaluate(complete_snapshot(declaration=declaration))
    rule = evaluation.rule("JC-C")
    assert (rule.status, rule.path) == (expected, path)
    assert evaluation.submittable is (expected == Status.MET)


# --- Exchange: parse and dump --------------------------------------------------------------


def complete_document() -> dict[str, Any]:
    return dump_jobcoach(complete_snapshot())


def test_dump_has_the_exchange_shape():
    document = complete_document()
    assert document["format"] == "noloc-portfolio/1"
    assert document["framework"] == "jobcoach-recertification"
    assert document["recertification_date"] == "2027-03-31"
    assert "framework_version" not in document
    assert document["pe_activities"][0] == {
        "type": "course",
        "title": "Cursus",
        "date": "2025-01-10",
        "sbu": 40,
        "evidence": "c.pdf",
    }
    assert document["reflection_meetings"][2]["facilitator_registration"] == "LVSC"
    assert document["declaration"] == {"code_of_conduct": True, "complaints_regulation": True}


def test_round_trip_of_a_complete_portfolio_with_every_activity_type():
    activities = tuple(
        PEActivity(type=code, title=f"{code} {i}", evidence=f"{i}.pdf", **fields)
        for i, (code, fields, _) in enumerate(PE_TABLE)
    )
    snapshot = complete_snapshot(framework_version="2024.1", pe_activities=activities)
    document = dump_jobcoach(snapshot)
    assert document["framework_version"] == "2024.1"
    assert parse_jobcoach(document) == snapshot


def test_round_trip_of_an_empty_portfolio():
    assert parse_jobcoach(dump_jobcoach(JobcoachSnapshot())) == JobcoachSnapshot()


def test_parse_ignores_unknown_fields_and_fields_the_type_does_not_use():
    document = complete_document()
    document["extra"] = {"anything": 1}
    document["pe_activities"].append(
        {"type": "book", "title": "Boek", "date": "2025-01-01", "sbu": -5, "colour": "red"}
    )
    snapshot = parse_jobcoach(document)
    assert snapshot.pe_activities[-1] == PEActivity(
        type="book", title="Boek", date=date(2025, 1, 1)
    )


def test_parse_defaults_absent_half_days_and_days_to_zero_and_open_end_to_none():
    document = complete_document()
    document["pe_activities"] = [
        {"type": "congress", "title": "C", "date": "2025-01-01", "days": 1},
        {"type": "volunteer", "title": "V", "start": "2024-01-01"},
    ]
    congress, volunteer = parse_jobcoach(document).pe_activities
    assert (congress.half_days, congress.days) == (0, 1)
    assert volunteer.end is None


def test_parse_blank_evidence_means_no_evidence():
    document = complete_document()
    document["pe_activities"][0]["evidence"] = "  "
    assert parse_jobcoach(document).pe_activities[0].evidence is None


def _set(path: tuple, value: Any):
    """A mutation that sets ``value`` at ``path`` (a tuple of keys and indexes)."""

    def mutate(document: dict[str, Any]) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _drop(path: tuple):
    def mutate(document: dict[str, Any]) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _activity(activity: dict[str, Any]):
    return _set(("pe_activities", 0), activity)


INVALID_DOCUMENTS = [
    (
        _set(("pe_activities", 0, "type"), "foo"),
        "pe_activities[0].type: unknown activity type 'foo'",
    ),
    (_drop(("pe_activities", 0, "type")), "pe_activities[0].type: is required"),
    (_set(("pe_activities", 0, "type"), 3), "pe_activities[0].type: must be a string"),
    (_set(("pe_activities", 0, "sbu"), -1), "pe_activities[0].sbu: must be a positive number"),
    (_set(("pe_activities", 0, "sbu"), "24"), "pe_activities[0].sbu: must be a number"),
    (_set(("pe_activities", 0, "sbu"), True), "pe_activities[0].sbu: must be a number"),
    (_drop(("pe_activities", 0, "sbu")), "pe_activities[0].sbu: is required"),
    (_drop(("pe_activities", 0, "date")), "pe_activities[0].date: is required"),
    (_set(("pe_activities", 0, "date"), None), "pe_activities[0].date: is required"),
    (
        _set(("pe_activities", 0, "date"), "2025-02-30"),
        "pe_activities[0].date: 2025-02-30 is not a date that exists",
    ),
    (
        _set(("pe_activities", 0, "date"), "12-05-2025"),
        "pe_activities[0].date: must be a date written as YYYY-MM-DD",
    ),
    (_set(("pe_activities", 0), "course"), "pe_activities[0]: must be an object"),
    (_set(("pe_activities",), {}), "pe_activities: must be an array"),
    (_activity({"type": "workshop", "date": "2025-01-01"}), "pe_activities[0].hours: is required"),
    (
        _activity({"type": "workshop", "date": "2025-01-01", "hours": -2}),
        "pe_activities[0].hours: must be a positive number",
    ),
    (_activity({"type": "article", "date": "2025-01-01"}), "pe_activities[0].words: is required"),
    (
        _activity({"type": "article", "date": "2025-01-01", "words": 1500.5}),
        "pe_activities[0].words: must be a whole number",
    ),
    (
        _activity({"type": "jobcoach_mentor_assessor", "start": "2024-01-01"}),
        "pe_activities[0].candidates: is required",
    ),
    (
        _activity({"type": "jobcoach_mentor_assessor", "start": "2024-01-01", "candidates": -1}),
        "pe_activities[0].candidates: must be a positive number",
    ),
    (
        _activity({"type": "noloc_board", "end": "2025-01-01"}),
        "pe_activities[0].start: is required",
    ),
    (
        _activity({"type": "volunteer", "start": "2025-01-02", "end": "2025-01-01"}),
        "pe_activities[0].end: must not be before start",
    ),
    (
        _activity({"type": "volunteer", "start": "2025-01-01", "end": "2025-13-01"}),
        "pe_activities[0].end: 2025-13-01 is not a date that exists",
    ),
    (
        _activity({"type": "congress", "date": "2025-01-01", "half_days": -1}),
        "pe_activities[0].half_days: must be a positive number",
    ),
    (
        _activity({"type": "congress", "date": "2025-01-01", "days": 0.5}),
        "pe_activities[0].days: must be a whole number",
    ),
    (_activity({"type": "book"}), "pe_activities[0].date: is required"),
    (
        _set(("reflection_meetings", 1, "kind"), "peer"),
        "reflection_meetings[1].kind: must be one of: intervision, supervision, coaching",
    ),
    (
        _drop(("reflection_meetings", 1, "kind")),
        "reflection_meetings[1].kind: must be one of: intervision, supervision, coaching",
    ),
    (
        _set(("reflection_meetings", 0, "date"), "2025-04-31"),
        "reflection_meetings[0].date: 2025-04-31 is not a date that exists",
    ),
    (
        _set(("reflection_meetings", 0, "own_situation"), "ja"),
        "reflection_meetings[0].own_situation: must be true or false",
    ),
    (
        _set(("reflection_meetings", 0, "statement", "signed"), 1),
        "reflection_meetings[0].statement.signed: must be true or false",
    ),
    (
        _set(("reflection_meetings", 0, "facilitator"), 7),
        "reflection_meetings[0].facilitator: must be a string",
    ),
    (
        _set(("reflection_report", "meeting"), 1.5),
        "reflection_report.meeting: must be a whole number",
    ),
    (
        _set(("reflection_report", "meeting"), "0"),
        "reflection_report.meeting: must be a whole number",
    ),
    (
        _set(("reflection_report", "meeting"), -1),
        "reflection_report.meeting: must be a positive number",
    ),
    (_set(("reflection_report",), []), "reflection_report: must be an object"),
    (
        _set(("recertification_date",), "2027-02-29"),
        "recertification_date: 2027-02-29 is not a date that exists",
    ),
    (_set(("a1", "cv"), 5), "a1.cv: must be a string"),
    (_set(("a2", "report"), ["x"]), "a2.report: must be a string"),
    (_set(("development_plan", "future"), 1), "development_plan.future: must be a string"),
    (
        _set(("declaration", "code_of_conduct"), "yes"),
        "declaration.code_of_conduct: must be true or false",
    ),
    (
        _set(("framework_version",), "1999.1"),
        "framework_version: unknown version '1999.1' of jobcoach-recertification",
    ),
    (_set(("framework_version",), 2024.1), "framework_version: must be a string"),
]


@pytest.mark.parametrize(("mutate", "error"), INVALID_DOCUMENTS)
def test_parse_rejects_invalid_documents_naming_the_path(mutate, error):
    document = copy.deepcopy(complete_document())
    mutate(document)
    with pytest.raises(DocumentError) as raised:
        parse_jobcoach(document)
    assert str(raised.value) == error
    assert raised.value.path == error.split(": ")[0]


# --- Properties ----------------------------------------------------------------------------

DATES = st.dates(min_value=date(2018, 1, 1), max_value=date(2032, 12, 31))
TEXTS = st.sampled_from(["", "  ", "Tekst", "A. de Vries", " a. DE vries "])
EVIDENCE = st.sampled_from([None, "", "bewijs.pdf"])
AMOUNTS = st.one_of(st.integers(0, 60), st.integers(0, 120).map(lambda n: n / 2))


@st.composite
def activity_documents(draw) -> dict[str, Any]:
    kind = draw(st.sampled_from(ACTIVITY_TYPES))
    document: dict[str, Any] = {"type": kind.code, "title": draw(TEXTS)}
    if draw(st.booleans()):
        document["evidence"] = draw(EVIDENCE)
    for name in kind.fields:
        if name not in kind.required_fields and draw(st.booleans()):
            continue
        if name in ("date", "start"):
            value = draw(DATES)
        elif name == "end":
            value = (document["start"] + timedelta(days=draw(st.integers(0, 3000)))).isoformat()
        elif name in ("sbu", "hours"):
            value = draw(AMOUNTS)
        elif name in ("isbn", "facilitator"):
            value = draw(TEXTS)
        else:
            value = draw(st.integers(0, 3000 if name == "words" else 12))
        document[name] = value
    for name in ("date", "start"):
        if name in document:
            document[name] = document[name].isoformat()
    return document


@st.composite
def meeting_documents(draw) -> dict[str, Any]:
    return {
        "date": draw(st.one_of(st.none(), DATES.map(date.isoformat))),
        "kind": draw(st.sampled_from(["intervision", "supervision", "coaching"])),
        "facilitator": draw(TEXTS),
        "facilitator_registration": draw(TEXTS),
        "own_situation": draw(st.booleans()),
        "statement": {"signed": draw(st.booleans()), "evidence": draw(EVIDENCE)},
    }


@st.composite
def jobcoach_documents(draw) -> dict[str, Any]:
    return {
        "format": "noloc-portfolio/1",
        "framework": "jobcoach-recertification",
        "recertification_date": draw(st.one_of(st.none(), DATES.map(date.isoformat))),
        "a1": {"cv": draw(EVIDENCE), "statement": {"signed": draw(st.booleans())}},
        "a2": {"report": draw(TEXTS)},
        "reflection_meetings": draw(st.lists(meeting_documents(), max_size=6)),
        "reflection_report": draw(
            st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {
                        "meeting": st.one_of(st.none(), st.integers(0, 7)),
                        "situation": TEXTS,
                        "motivation": TEXTS,
                        "insights": TEXTS,
                        "consequences": TEXTS,
                    }
                ),
            )
        ),
        "development_plan": {"present": draw(TEXTS), "past": draw(TEXTS), "future": draw(TEXTS)},
        "pe_activities": draw(st.lists(activity_documents(), max_size=15)),
        "declaration": {
            "code_of_conduct": draw(st.booleans()),
            "complaints_regulation": draw(st.booleans()),
        },
    }


@settings(max_examples=200, deadline=None)
@given(document=jobcoach_documents(), as_of=DATES)
def test_property_valid_documents_evaluate_consistently(document, as_of):
    snapshot = parse_jobcoach(document)
    assert parse_jobcoach(dump_jobcoach(snapshot)) == snapshot
    evaluation = evaluate(snapshot, as_of=as_of)
    assert tuple(rule.id for rule in evaluation.rules) == RULE_IDS
    assert evaluation.submittable == all(r.status != Status.NOT_MET for r in evaluation.rules)
    assert evaluation.rule("JC-B-WINDOW").status in {Status.MET, Status.WARNING}
    pe = evaluation.extra["pe"]
    for number, category in pe["categories"].items():
        assert 0 <= category["counted"] <= category["earned"]
        bound = FRAMEWORK.category(int(number)).maximum
        assert bound is None or category["counted"] <= bound
    assert math.isclose(
        pe["total_counted"], sum(c["counted"] for c in pe["categories"].values()), abs_tol=1e-9
    )
    assert all(a["points"] == 0 for a in pe["activities"] if not a["in_window"])
