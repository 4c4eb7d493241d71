# ruff: noqa: E501  (the rule and parser tables keep one case per line)
"""The Loopbaanprofessional engine, its framework data and its JSON mapping (LP-A … LP-E).

No database: documents are built as JSON dicts, parsed, evaluated on a fixed ``as_of``.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolios.evaluation import evaluate
from portfolios.evaluation.common import DocumentError, Status, years_before
from portfolios.exchange.document import parse_document
from portfolios.loopbaan.exchange import dump_loopbaan, parse_loopbaan
from portfolios.loopbaan.framework import LOOPBAAN, LOOPBAAN_2024
from portfolios.loopbaan.rules import Case, CaseTask, LoopbaanSnapshot, coverage, evaluate_loopbaan
from portfolios.registry import framework_version

AS_OF = date(2026, 11, 22)
TWO_YEARS_BEFORE = date(2024, 11, 22)  # years_before(AS_OF, 2)

# exchange.md, in its order.
LP_RULE_IDS = [
    "LP-A",
    "LP-A-HOURS",
    "LP-A-REPORT-AGE",
    "LP-B1-YEARS",
    "LP-B1-HOURS",
    "LP-B1-STATEMENTS",
    "LP-B2",
    "LP-C-COUNT",
    "LP-C-RECENT",
    "LP-C1-ALL",
    "LP-C1-NR",
    "LP-C2-FOUR",
    "LP-C2-MANDATORY",
    "LP-C3-ALL",
    "LP-C4",
    "LP-C-DIVERSITY",
    "LP-D",
    "LP-E",
]

ALL_ATTITUDES = {
    "ethics": "Geen dilemma, wel een afweging over vertrouwelijkheid.",
    "self_reflection": "Ik nam te snel de regie.",
    "development": "Meer aandacht voor netwerken.",
    "diversity": "Andere opvatting over werk en gezin.",
}


def complete_document() -> dict[str, Any]:
    """A route-2 portfolio that meets every LP rule on AS_OF."""
    return {
        "format": "noloc-portfolio/1",
        "framework": "loopbaanprofessional-initial",
        "education": {
            "route": 2,
            "diploma": {
                "level": "hbo",
                "field_mens_en_organisatie": False,
                "signed": True,
                "nvao_accredited": True,
                "croho": "34139",
                "evidence": "diploma.pdf",
            },
            "evc_report": None,
            "assessment_report": None,
            "courses": [
                {
                    "title": "Loopbaancoaching",
                    "hours": 60,
                    "quality_mark": True,
                    "signed": True,
                    "evidence": "c1.pdf",
                },
                {
                    "title": "Gespreksvaardigheden",
                    "hours": 38,
                    "quality_mark": True,
                    "signed": True,
                    "evidence": "c2.pdf",
                },
            ],
        },
        "experience": {
            "years_active": 3,
            "hours": 1500,
            "statement": {"signed": True, "evidence": "ervaring.pdf"},
            "currently_working_statement": {"signed": True, "evidence": "werkzaam.pdf"},
        },
        "cv": "cv.pdf",
        "motivation": "Ik help graag mensen verder.",
        "cases": [
            {
                "title": "Outplacement",
                "started": "2025-01-10",
                "ended": "2025-06-30",
                "rationale": "Een traject met een werkgever als opdrachtgever.",
                "tasks": {
                    **{str(n): {"text": f"Taak {n} in casus 1."} for n in range(8)},
                    "3": {"not_relevant": "De cliënt had net een assessment gedaan."},
                },
                "knowledge_areas": {"1": "Life design.", "2": "Levensfasen."},
                "competences": {
                    "methodisch_werken": "Plan met tussendoelen.",
                    "inlevingsvermogen": "Ruimte voor rouw om het verlies.",
                    "effectief_communiceren": "Samenvatten en doorvragen.",
                },
                "attitude": dict(ALL_ATTITUDES),
            },
            {
                "title": "Herintreder",
                "started": "2025-09-01",
                "ended": "2026-03-15",
                "rationale": "Een cliënt die zelf koos voor begeleiding.",
                "tasks": {str(n): {"text": f"Taak {n} in casus 2."} for n in range(8)},
                "knowledge_areas": {"3": "Krapte in de zorg.", "4": "Omscholing via het mbo."},
                "competences": {"adviseren": "Twee routes tegen elkaar afgewogen.", "coachen": "…"},
                "attitude": dict(ALL_ATTITUDES),
            },
        ],
        "diversity": "Een gedwongen tegenover een vrijwillig traject.",
        "development_plan": "Verdiepen in arbeidsmarktinformatie.",
        "declaration": {"code_of_conduct": True, "complaints_regulation": True, "truthful": True},
    }


DELETE = object()
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def changed(changes: dict[str, Any]) -> dict[str, Any]:
    """The complete document with values replaced (or deleted) at JSON paths."""
    document = complete_document()
    for path, value in changes.items():
        *parents, last = [int(index) if index else key for key, index in _TOKEN.findall(path)]
        target: Any = document
        for key in parents:
            target = target[key]
        if value is DELETE:
            del target[last]
        elif isinstance(target, list) and last == len(target):
            target.append(copy.deepcopy(value))
        else:
            target[last] = copy.deepcopy(value)
    return document


def evaluated(changes: dict[str, Any] | None = None, *, as_of: date = AS_OF):
    snapshot = parse_loopbaan(changed(changes or {}))
    return evaluate_loopbaan(snapshot, as_of=as_of, framework=LOOPBAAN_2024)


DIPLOMA_ROUTE_1 = {
    "level": "wo",
    "field_mens_en_organisatie": True,
    "signed": True,
    "nvao_accredited": True,
    "croho": "66604",
    "evidence": "diploma.pdf",
}
EVC_REPORT = {
    "date": "2025-05-01",
    "level": 6,
    "provider_recognised": True,
    "evidence": "evc.pdf",
}
ASSESSMENT_REPORT = {
    "date": "2025-05-01",
    "level": 7,
    "provider_recognised": True,
    "evidence": "assessment.pdf",
}
ROUTE_1 = {"education.route": 1, "education.diploma": DIPLOMA_ROUTE_1}
ROUTE_3 = {"education.route": 3, "education.diploma": None, "education.evc_report": EVC_REPORT}
ROUTE_4 = {
    "education.route": 4,
    "education.diploma": None,
    "education.assessment_report": ASSESSMENT_REPORT,
}


# ---------------------------------------------------------------------------------------------
# The baseline and the shape of every evaluation


def test_complete_portfolio_meets_every_rule():
    result = evaluated()
    assert [(r.id, r.status) for r in result.rules] == [(i, Status.MET) for i in LP_RULE_IDS]
    assert result.submittable
    assert result.framework == LOOPBAAN
    assert result.framework_version == "2024.1"


def test_every_lp_rule_id_appears_in_order_for_an_empty_portfolio():
    result = evaluate_loopbaan(LoopbaanSnapshot(), as_of=AS_OF, framework=LOOPBAAN_2024)
    assert [r.id for r in result.rules] == LP_RULE_IDS
    assert not result.submittable


def test_empty_portfolio_is_not_met_everywhere():
    result = evaluate_loopbaan(LoopbaanSnapshot(), as_of=AS_OF, framework=LOOPBAAN_2024)
    assert {r.status for r in result.rules} == {Status.NOT_MET}


def test_evaluate_dispatches_to_loopbaan_and_resolves_the_framework_version():
    snapshot = parse_loopbaan(changed({}))
    result = evaluate(snapshot, as_of=AS_OF)
    assert result.framework_version == LOOPBAAN_2024.version
    assert result.to_json()["submittable"] is True


def test_unknown_framework_version_of_a_snapshot_is_a_lookup_error():
    with pytest.raises(LookupError):
        evaluate_loopbaan(LoopbaanSnapshot(framework_version="1999.1"), as_of=AS_OF)


# ---------------------------------------------------------------------------------------------
# Table: one rule, one change, its status, message and path

NOT_MET, MET = Status.NOT_MET, Status.MET

RULE_CASES = [
    # LP-A, per route
    ("LP-A", "no_route", {"education.route": None}, NOT_MET, "Kies een opleidingsroute (1, 2, 3 of 4)", "education.route"),
    ("LP-A", "route_1_passes", ROUTE_1, MET, "Route 1", "education.diploma"),
    ("LP-A", "route_1_field_not_mens_en_organisatie", {**ROUTE_1, "education.diploma.field_mens_en_organisatie": False}, NOT_MET, "niet op het gebied van mens en organisatie", "education.diploma"),
    ("LP-A", "route_1_without_croho", {**ROUTE_1, "education.diploma.croho": " "}, NOT_MET, "CROHO-code ontbreekt", "education.diploma"),
    ("LP-A", "route_1_mbo_diploma", {**ROUTE_1, "education.diploma.level": "mbo"}, NOT_MET, "geen hbo- of wo-diploma", "education.diploma"),
    ("LP-A", "route_2_passes", {}, MET, "Route 2 (Ander hbo- of wo-diploma met loopbaancursussen)", "education.diploma"),
    ("LP-A", "route_2_unsigned", {"education.diploma.signed": False}, NOT_MET, "niet ondertekend", "education.diploma"),
    ("LP-A", "route_2_not_nvao", {"education.diploma.nvao_accredited": False}, NOT_MET, "niet NVAO-geaccrediteerd", "education.diploma"),
    ("LP-A", "route_2_not_attached", {"education.diploma.evidence": None}, NOT_MET, "het diploma is niet bijgevoegd", "education.diploma"),
    ("LP-A", "route_2_without_diploma", {"education.diploma": None}, NOT_MET, "het diploma ontbreekt", "education.diploma"),
    ("LP-A", "route_3_passes", ROUTE_3, MET, "Route 3", "education.evc_report"),
    ("LP-A", "route_3_without_report", {**ROUTE_3, "education.evc_report": None}, NOT_MET, "de EVC-rapportage ontbreekt", "education.evc_report"),
    ("LP-A", "route_3_level_7", {**ROUTE_3, "education.evc_report.level": 7}, NOT_MET, "niet gericht op niveau 6", "education.evc_report"),
    ("LP-A", "route_3_provider_not_recognised", {**ROUTE_3, "education.evc_report.provider_recognised": False}, NOT_MET, "erkende EVC-aanbieder", "education.evc_report"),
    ("LP-A", "route_3_old_report_is_judged_by_report_age_only", {**ROUTE_3, "education.evc_report.date": "2020-01-01"}, MET, "voldoet", "education.evc_report"),
    ("LP-A", "route_4_passes_at_level_7", ROUTE_4, MET, "Route 4", "education.assessment_report"),
    ("LP-A", "route_4_level_5", {**ROUTE_4, "education.assessment_report.level": 5}, NOT_MET, "niet minstens niveau 6", "education.assessment_report"),
    ("LP-A", "route_4_without_level", {**ROUTE_4, "education.assessment_report.level": None}, NOT_MET, "niveau van het assessmentrapport ontbreekt", "education.assessment_report"),
    ("LP-A", "route_4_bureau_not_recognised", {**ROUTE_4, "education.assessment_report.provider_recognised": False}, NOT_MET, "geaccrediteerd bureau", "education.assessment_report"),
    # LP-A-HOURS
    ("LP-A-HOURS", "route_1_does_not_apply", ROUTE_1, MET, "Niet van toepassing: route 1", "education.courses"),
    ("LP-A-HOURS", "route_2_exactly_98", {}, MET, "98 uur aan cursussen telt mee", "education.courses"),
    ("LP-A-HOURS", "course_without_quality_mark", {"education.courses[1].quality_mark": False}, NOT_MET, "cursus 2 (‘Gespreksvaardigheden’): geen keurmerk", "education.courses[1]"),
    ("LP-A-HOURS", "course_unsigned", {"education.courses[0].signed": False}, NOT_MET, "niet ondertekend door de opleider", "education.courses[0]"),
    ("LP-A-HOURS", "course_without_hours", {"education.courses[1].hours": None}, NOT_MET, "geen studie-uren vermeld", "education.courses[1]"),
    ("LP-A-HOURS", "course_without_certificate", {"education.courses[1].evidence": ""}, NOT_MET, "certificaat niet bijgevoegd", "education.courses[1]"),
    ("LP-A-HOURS", "too_few_hours", {"education.courses[1].hours": 37.5}, NOT_MET, "Er telt 97,5 uur aan cursussen mee; route 2 vraagt minimaal 98 uur", "education.courses"),
    ("LP-A-HOURS", "met_but_names_a_failing_course", {"education.courses[1].hours": 40, "education.courses[2]": {"title": "Extra", "hours": 8}}, MET, "Telt niet mee: cursus 3 (‘Extra’)", "education.courses"),
    ("LP-A-HOURS", "route_3_counts_courses", ROUTE_3, MET, "98 uur", "education.courses"),
    ("LP-A-HOURS", "route_4_without_courses", {**ROUTE_4, "education.courses": []}, NOT_MET, "Er telt 0 uur", "education.courses"),
    ("LP-A-HOURS", "no_route", {"education.route": None}, NOT_MET, "Kies eerst een opleidingsroute", "education.route"),
    # LP-A-REPORT-AGE
    ("LP-A-REPORT-AGE", "route_1_does_not_apply", ROUTE_1, MET, "Niet van toepassing: route 1", "education"),
    ("LP-A-REPORT-AGE", "route_2_does_not_apply", {}, MET, "Niet van toepassing: route 2", "education"),
    ("LP-A-REPORT-AGE", "evc_report_exactly_two_years_old", {**ROUTE_3, "education.evc_report.date": "2024-11-22"}, MET, "niet ouder dan 2 jaar", "education.evc_report.date"),
    ("LP-A-REPORT-AGE", "evc_report_one_day_older", {**ROUTE_3, "education.evc_report.date": "2024-11-21"}, NOT_MET, "ouder dan 2 jaar", "education.evc_report.date"),
    ("LP-A-REPORT-AGE", "assessment_exactly_two_years_old", {**ROUTE_4, "education.assessment_report.date": "2024-11-22"}, MET, "Het assessmentrapport is van 22-11-2024", "education.assessment_report.date"),
    ("LP-A-REPORT-AGE", "assessment_one_day_older", {**ROUTE_4, "education.assessment_report.date": "2024-11-21"}, NOT_MET, "Het assessmentrapport is van 21-11-2024 en daarmee ouder dan 2 jaar", "education.assessment_report.date"),
    ("LP-A-REPORT-AGE", "report_without_date", {**ROUTE_3, "education.evc_report.date": None}, NOT_MET, "De datum van de EVC-rapportage ontbreekt", "education.evc_report.date"),
    ("LP-A-REPORT-AGE", "report_dated_after_as_of", {**ROUTE_4, "education.assessment_report.date": "2026-11-23"}, NOT_MET, "na de peildatum", "education.assessment_report.date"),
    ("LP-A-REPORT-AGE", "route_4_without_report", {**ROUTE_4, "education.assessment_report": None}, NOT_MET, "Het assessmentrapport ontbreekt", "education.assessment_report"),
    ("LP-A-REPORT-AGE", "no_route", {"education.route": None}, NOT_MET, "Kies eerst een opleidingsroute", "education.route"),
    # LP-B
    ("LP-B1-YEARS", "two_years", {"experience.years_active": 2}, MET, "2 jaar actief", "experience.years_active"),
    ("LP-B1-YEARS", "one_and_a_half_years", {"experience.years_active": 1.5}, NOT_MET, "1,5 jaar actief in het vakgebied; nodig is minimaal 2 jaar", "experience.years_active"),
    ("LP-B1-YEARS", "not_filled_in", {"experience.years_active": None}, NOT_MET, "Vul het aantal jaar", "experience.years_active"),
    ("LP-B1-HOURS", "exactly_1200", {"experience.hours": 1200}, MET, "1200 uur", "experience.hours"),
    ("LP-B1-HOURS", "1199_hours", {"experience.hours": 1199}, NOT_MET, "nodig is minimaal 1200 uur", "experience.hours"),
    ("LP-B1-STATEMENTS", "experience_statement_unsigned", {"experience.statement.signed": False}, NOT_MET, "de verklaring over je werkervaring", "experience.statement"),
    ("LP-B1-STATEMENTS", "currently_working_missing", {"experience.currently_working_statement": DELETE}, NOT_MET, "nu werkt als uitvoerend loopbaanprofessional", "experience.currently_working_statement"),
    ("LP-B2", "cv_missing", {"cv": None}, NOT_MET, "je cv", "cv"),
    ("LP-B2", "motivation_blank", {"motivation": "   "}, NOT_MET, "je motivatie", "motivation"),
    # LP-C case count and recency
    ("LP-C-COUNT", "one_case", {"cases": [complete_document()["cases"][0]]}, NOT_MET, "Er is 1 casus beschreven; er zijn er precies 2 nodig", "cases"),
    ("LP-C-COUNT", "three_cases", {"cases[2]": complete_document()["cases"][1]}, NOT_MET, "Er zijn 3 casussen beschreven", "cases"),
    ("LP-C-COUNT", "no_cases", {"cases": []}, NOT_MET, "nog geen casus", "cases"),
    ("LP-C-RECENT", "ended_exactly_two_years_ago", {"cases[1].started": "2024-01-01", "cases[1].ended": "2024-11-22"}, MET, "afgerond", "cases"),
    ("LP-C-RECENT", "ended_more_than_two_years_ago", {"cases[1].started": "2024-01-01", "cases[1].ended": "2024-11-21"}, NOT_MET, "Casus 2 (‘Herintreder’): afgerond op 21-11-2024", "cases[1].ended"),
    ("LP-C-RECENT", "not_ended", {"cases[0].ended": None}, NOT_MET, "Casus 1 (‘Outplacement’): de einddatum ontbreekt", "cases[0].ended"),
    ("LP-C-RECENT", "ends_after_as_of", {"cases[1].ended": "2026-12-31"}, NOT_MET, "ligt na de peildatum", "cases[1].ended"),
    ("LP-C-RECENT", "no_cases", {"cases": []}, NOT_MET, "nog geen casus", "cases"),
    # LP-C1 tasks
    ("LP-C1-ALL", "task_5_described_nowhere", {"cases[0].tasks.5": {"not_relevant": "Niet aan de orde."}, "cases[1].tasks.5": {"not_relevant": "Ook niet."}}, NOT_MET, "Taak 5 (Begeleiden van het oriëntatie- en keuzeproces) is in geen van beide casussen beschreven", "cases"),
    ("LP-C1-ALL", "not_relevant_in_one_described_in_other", {}, MET, "Alle taken (0 t/m 7)", "cases"),
    ("LP-C1-ALL", "no_cases", {"cases": []}, NOT_MET, "Er is nog geen casus beschreven; elke taak (0 t/m 7)", "cases"),
    ("LP-C1-ALL", "only_one_case", {"cases": [complete_document()["cases"][0]]}, NOT_MET, "Taak 3 (Begeleiden bij zelfreflectie en (zelf)onderzoek) is in geen enkele casus beschreven", "cases"),
    ("LP-C1-NR", "not_relevant_in_both_cases", {"cases[1].tasks.3": {"not_relevant": "Niet nodig."}}, NOT_MET, "Casus 1 (‘Outplacement’): taak 3 (Begeleiden bij zelfreflectie en (zelf)onderzoek) is niet relevant genoemd, maar ook in de andere casus niet beschreven", "cases[0].tasks.3"),
    ("LP-C1-NR", "absent_task", {"cases[1].tasks.6": DELETE}, NOT_MET, "Casus 2 (‘Herintreder’): taak 6 (Begeleiden bij het uitvoeren van de gekozen stap) ontbreekt", "cases[1].tasks.6"),
    ("LP-C1-NR", "empty_motivation", {"cases[0].tasks.3": {"not_relevant": " "}}, NOT_MET, "taak 3 (Begeleiden bij zelfreflectie en (zelf)onderzoek) is niet relevant genoemd zonder motivering", "cases[0].tasks.3"),
    ("LP-C1-NR", "empty_description", {"cases[1].tasks.0": {"text": ""}}, NOT_MET, "taak 0 (Procestaken gedurende het hele traject) heeft een lege beschrijving", "cases[1].tasks.0"),
    ("LP-C1-NR", "not_relevant_with_motivation_described_in_other", {}, MET, "In elke casus", "cases"),
    ("LP-C1-NR", "no_cases", {"cases": []}, NOT_MET, "nog geen casus", "cases"),
    # LP-C2 knowledge areas
    ("LP-C2-FOUR", "four_spread_over_cases", {}, MET, "4 van de 5 kennisgebieden", "cases"),
    ("LP-C2-FOUR", "only_three_areas", {"cases[1].knowledge_areas": {"3": "Krapte."}}, NOT_MET, "3 van de 5 kennisgebieden uitgewerkt (minimaal 4, verdeeld over de casussen). Nog niet uitgewerkt: kennisgebied 4 (Opleidingen en beroepen) en kennisgebied 5 (Organisaties)", "cases"),
    ("LP-C2-FOUR", "blank_area_text_does_not_count", {"cases[1].knowledge_areas.4": "  "}, NOT_MET, "kennisgebied 4 (Opleidingen en beroepen)", "cases"),
    ("LP-C2-FOUR", "same_area_twice_counts_once", {"cases[1].knowledge_areas": {"1": "Nog eens.", "2": "Nog eens.", "3": "Krapte."}}, NOT_MET, "3 van de 5", "cases"),
    ("LP-C2-MANDATORY", "areas_1_and_2_present", {}, MET, "De verplichte kennisgebieden 1 (Loopbaantheorieën en -methodieken) en 2 (Ontwikkeling van de mens) zijn uitgewerkt", "cases"),
    ("LP-C2-MANDATORY", "area_2_missing", {"cases[0].knowledge_areas": {"1": "Life design.", "5": "Cultuur."}}, NOT_MET, "Kennisgebied 2 (Ontwikkeling van de mens) is verplicht, maar in geen enkele casus uitgewerkt", "cases"),
    # LP-C3 competences
    ("LP-C3-ALL", "coachen_missing", {"cases[1].competences.coachen": DELETE}, NOT_MET, "Nog in geen enkele casus uitgewerkt: Coachen", "cases"),
    ("LP-C3-ALL", "two_missing", {"cases[1].competences": {}}, NOT_MET, "Adviseren en Coachen", "cases"),
    # LP-C4 attitude
    ("LP-C4", "diversity_missing_in_case_2", {"cases[1].attitude.diversity": DELETE}, NOT_MET, "Casus 2 (‘Herintreder’): Diversiteit en inclusiviteit", "cases[1].attitude.diversity"),
    ("LP-C4", "blank_answers_in_case_1", {"cases[0].attitude.ethics": "", "cases[0].attitude.development": " "}, NOT_MET, "Casus 1 (‘Outplacement’): Ethisch handelen volgens de gedragscode en Professionele en persoonlijke ontwikkeling", "cases[0].attitude.ethics"),
    ("LP-C4", "no_cases", {"cases": []}, NOT_MET, "nog geen casus", "cases"),
    # LP-C-DIVERSITY, LP-D, LP-E
    ("LP-C-DIVERSITY", "blank", {"diversity": ""}, NOT_MET, "Licht toe waarin de casussen", "diversity"),
    ("LP-D", "blank", {"development_plan": DELETE}, NOT_MET, "ontwikkelplan", "development_plan"),
    ("LP-E", "not_truthful", {"declaration.truthful": False}, NOT_MET, "dat je het portfolio naar waarheid hebt ingevuld", "declaration.truthful"),
    ("LP-E", "no_declarations", {"declaration": DELETE}, NOT_MET, "gedragscode", "declaration.code_of_conduct"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule_id", "changes", "status", "fragment", "path"),
    [pytest.param(*case[:1], *case[2:], id=f"{case[0]}-{case[1]}") for case in RULE_CASES],
)
def test_rule(rule_id, changes, status, fragment, path):
    result = evaluated(changes)
    rule = result.rule(rule_id)
    assert rule.status is status, rule.message
    assert fragment in rule.message
    assert rule.path == path
    assert [r.id for r in result.rules] == LP_RULE_IDS
    assert result.submittable == all(r.status is not Status.NOT_MET for r in result.rules)


@pytest.mark.parametrize(
    ("changes", "applies"),
    [
        pytest.param(ROUTE_1, {"LP-A-HOURS": False, "LP-A-REPORT-AGE": False}, id="route-1"),
        pytest.param({}, {"LP-A-HOURS": True, "LP-A-REPORT-AGE": False}, id="route-2"),
        pytest.param(ROUTE_3, {"LP-A-HOURS": True, "LP-A-REPORT-AGE": True}, id="route-3"),
        pytest.param(ROUTE_4, {"LP-A-HOURS": True, "LP-A-REPORT-AGE": True}, id="route-4"),
    ],
)
def test_lp_a_route_dependent_rules_say_when_they_do_not_apply(changes, applies):
    result = evaluated(changes)
    for rule_id, expected in applies.items():
        rule = result.rule(rule_id)
        assert rule.status is Status.MET
        assert ("Niet van toepassing" in rule.message) is not expected


def test_every_route_passing_portfolio_is_submittable():
    for changes in (ROUTE_1, {}, ROUTE_3, ROUTE_4):
        assert evaluated(changes).submittable


def test_lp_c_recent_boundary_follows_years_before_on_a_leap_day():
    as_of = date(2028, 2, 29)
    assert years_before(as_of, 2) == date(2026, 2, 28)
    changes = {"cases[0].ended": "2026-02-28", "cases[1].ended": "2026-03-15"}
    assert evaluated(changes, as_of=as_of).rule("LP-C-RECENT").status is Status.MET
    changes["cases[0].ended"] = "2026-02-27"
    assert evaluated(changes, as_of=as_of).rule("LP-C-RECENT").status is Status.NOT_MET


def test_one_missing_thing_blocks_submission_and_nothing_else_fails():
    result = evaluated({"declaration.truthful": False})
    assert not result.submittable
    assert [r.id for r in result.rules if r.status is Status.NOT_MET] == ["LP-E"]


# ---------------------------------------------------------------------------------------------
# Coverage matrix


def test_coverage_matrix_of_the_complete_document():
    snapshot = parse_loopbaan(complete_document())
    matrix = coverage(snapshot, LOOPBAAN_2024).to_json()
    described = {"cases": ["described", "described"], "covered": True}
    assert matrix["tasks"] == {
        **{str(n): described for n in range(8)},
        "3": {"cases": ["not_relevant", "described"], "covered": True},
    }
    assert matrix["knowledge_areas"] == {
        "1": {"cases": ["described", "missing"], "covered": True},
        "2": {"cases": ["described", "missing"], "covered": True},
        "3": {"cases": ["missing", "described"], "covered": True},
        "4": {"cases": ["missing", "described"], "covered": True},
        "5": {"cases": ["missing", "missing"], "covered": False},
    }
    assert list(matrix["competences"]) == [c.key for c in LOOPBAAN_2024.competences]
    assert matrix["competences"]["coachen"] == {"cases": ["missing", "described"], "covered": True}
    assert evaluate_loopbaan(snapshot, as_of=AS_OF).to_json()["coverage"] == matrix


def test_coverage_marks_blank_motivation_and_absent_task_missing():
    snapshot = parse_loopbaan(
        changed({"cases[0].tasks.3": {"not_relevant": ""}, "cases[1].tasks.3": DELETE})
    )
    row = coverage(snapshot, LOOPBAAN_2024).to_json()["tasks"]["3"]
    assert row == {"cases": ["missing", "missing"], "covered": False}


def test_coverage_without_cases_has_empty_rows():
    matrix = coverage(LoopbaanSnapshot(), LOOPBAAN_2024).to_json()
    assert matrix["tasks"]["0"] == {"cases": [], "covered": False}
    assert len(matrix["knowledge_areas"]) == 5


def test_case_task_is_either_described_or_not_relevant():
    with pytest.raises(ValueError):
        CaseTask(1)
    with pytest.raises(ValueError):
        CaseTask(1, text="a", not_relevant="b")


# ---------------------------------------------------------------------------------------------
# Framework data


def test_framework_holds_the_lp_rule_values():
    f = LOOPBAAN_2024
    assert framework_version(LOOPBAAN, on=date(2024, 1, 1)) is f
    assert (f.code, f.version, f.effective_from) == (LOOPBAAN, "2024.1", date(2024, 1, 1))
    assert [r.number for r in f.routes] == [1, 2, 3, 4]
    assert [r.number for r in f.routes if r.needs_course_hours] == [2, 3, 4]
    assert [r.number for r in f.routes if r.needs_report] == [3, 4]
    assert f.course_hours_minimum == 98
    assert (f.report_max_age_years, f.case_recency_years, f.case_count) == (2, 2, 2)
    assert (f.experience_min_years, f.experience_min_hours) == (2, 1200)
    assert [t.number for t in f.tasks] == list(range(8))
    assert f.knowledge_area(1).name == "Loopbaantheorieën en -methodieken"
    assert (f.mandatory_areas, f.minimum_areas) == ((1, 2), 4)
    assert [c.key for c in f.competences] == [
        "methodisch_werken",
        "inlevingsvermogen",
        "effectief_communiceren",
        "adviseren",
        "coachen",
    ]
    assert [a.key for a in f.attitudes] == ["ethics", "self_reflection", "development", "diversity"]
    assert all(t.hint and t.name for t in f.tasks)
    assert all(a.question.endswith("?") for a in f.attitudes)
    known_competences = {c.key for c in f.competences}
    for task in f.tasks:
        assert set(task.suggested_competences) <= known_competences
        assert set(task.suggested_areas) <= {a.number for a in f.knowledge_areas}


# ---------------------------------------------------------------------------------------------
# Parser: every rejection names its JSON path

PARSE_ERRORS = [
    ({"education.route": 5}, "education.route: must be 1, 2, 3 or 4"),
    ({"education.route": "2"}, "education.route: must be 1, 2, 3 or 4"),
    ({"education.route": True}, "education.route: must be 1, 2, 3 or 4"),
    ({"education.route": 2.5}, "education.route: must be 1, 2, 3 or 4"),
    ({"cases[0].tasks.9": {"text": "x"}}, "cases[0].tasks.9: unknown task"),
    ({"cases[1].tasks.01": {"text": "x"}}, "cases[1].tasks.01: unknown task"),
    ({"cases[0].knowledge_areas.6": "x"}, "cases[0].knowledge_areas.6: unknown knowledge area"),
    ({"cases[1].competences.luisteren": "x"}, "cases[1].competences.luisteren: unknown competence"),
    ({"cases[0].attitude.humor": "x"}, "cases[0].attitude.humor: unknown attitude"),
    ({"cases[0].tasks.2": {}}, 'cases[0].tasks.2: must be either {"text": …} or {"not_relevant": …}'),
    ({"cases[0].tasks.2": {"text": "a", "not_relevant": "b"}}, 'cases[0].tasks.2: must be either {"text": …} or {"not_relevant": …}'),
    ({"cases[0].tasks.2": {"text": None}}, 'cases[0].tasks.2: must be either {"text": …} or {"not_relevant": …}'),
    ({"cases[0].tasks.2": "beschreven"}, "cases[0].tasks.2: must be an object"),
    ({"cases[0].tasks.2": {"text": 5}}, "cases[0].tasks.2.text: must be a string"),
    ({"cases[1].tasks.4": {"not_relevant": ["x"]}}, "cases[1].tasks.4.not_relevant: must be a string"),
    ({"cases[0].tasks": ["x"]}, "cases[0].tasks: must be an object"),
    ({"cases[0].knowledge_areas.1": 3}, "cases[0].knowledge_areas.1: must be a string"),
    ({"cases[0].competences.coachen": True}, "cases[0].competences.coachen: must be a string"),
    ({"cases[1].attitude.ethics": {}}, "cases[1].attitude.ethics: must be a string"),
    ({"cases[0].started": "2025-02-30"}, "cases[0].started: 2025-02-30 is not a date that exists"),
    ({"cases[0].ended": "30-06-2025"}, "cases[0].ended: must be a date written as YYYY-MM-DD"),
    ({"cases[1].ended": "2025-08-31"}, "cases[1].ended: must not be before started"),
    ({**ROUTE_3, "education.evc_report.date": "2025-13-01"}, "education.evc_report.date: 2025-13-01 is not a date that exists"),
    ({"education.assessment_report": {"level": 6.5}}, "education.assessment_report.level: must be a whole number"),
    ({"education.assessment_report": {"level": -6}}, "education.assessment_report.level: must be a positive number"),
    ({"education.evc_report": "evc.pdf"}, "education.evc_report: must be an object"),
    ({"education.courses[1].hours": -8}, "education.courses[1].hours: must be a positive number"),
    ({"education.courses[1].hours": "8"}, "education.courses[1].hours: must be a number"),
    ({"education.courses": {"title": "x"}}, "education.courses: must be an array"),
    ({"education.courses[0]": "cursus"}, "education.courses[0]: must be an object"),
    ({"education.diploma.signed": "yes"}, "education.diploma.signed: must be true or false"),
    ({"education.diploma.level": 6}, "education.diploma.level: must be a string"),
    ({"education": []}, "education: must be an object"),
    ({"experience.hours": -1}, "experience.hours: must be a positive number"),
    ({"experience.years_active": "3"}, "experience.years_active: must be a number"),
    ({"experience.statement.signed": 1}, "experience.statement.signed: must be true or false"),
    ({"cv": 1}, "cv: must be a string"),
    ({"motivation": ["x"]}, "motivation: must be a string"),
    ({"cases": {"0": {}}}, "cases: must be an array"),
    ({"cases[1]": "casus"}, "cases[1]: must be an object"),
    ({"diversity": 3}, "diversity: must be a string"),
    ({"declaration.truthful": "true"}, "declaration.truthful: must be true or false"),
    ({"framework_version": "1999.9"}, "framework_version: unknown version '1999.9'"),
    ({"framework_version": 2024}, "framework_version: must be a string"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "error"), PARSE_ERRORS, ids=[e for _, e in PARSE_ERRORS])
def test_parser_rejects_with_the_json_path(changes, error):
    with pytest.raises(DocumentError) as raised:
        parse_document(changed(changes))
    assert str(raised.value) == error


def test_parser_ignores_unknown_fields():
    plain = parse_loopbaan(complete_document())
    extended = changed(
        {
            "extra": 1,
            "education.diploma.grade": "cum laude",
            "cases[0].client": "anoniem",
            "cases[0].tasks.1.duration": 3,
            "experience.statement.date": "2025-01-01",
        }
    )
    assert parse_loopbaan(extended) == plain


def test_parser_reads_absent_sections_as_empty():
    snapshot = parse_document({"format": "noloc-portfolio/1", "framework": LOOPBAAN})
    assert snapshot == LoopbaanSnapshot()


def test_parser_reads_a_null_task_as_absent():
    with_null = parse_loopbaan(changed({"cases[1].tasks.6": None}))
    assert with_null == parse_loopbaan(changed({"cases[1].tasks.6": DELETE}))
    assert with_null.cases[1].task(6) is None


def test_parser_keeps_absent_and_blank_tasks_apart():
    snapshot = parse_loopbaan(
        changed({"cases[0].tasks.2": {"text": ""}, "cases[0].tasks.5": DELETE})
    )
    case: Case = snapshot.cases[0]
    assert case.task(2) == CaseTask(2, text="")
    assert case.task(5) is None


# ---------------------------------------------------------------------------------------------
# Round trip


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({}, id="complete"),
        pytest.param({**ROUTE_3, "framework_version": "2024.1"}, id="route-3-with-version"),
        pytest.param(
            {**ROUTE_4, "education.evc_report": EVC_REPORT, "cases[0].tasks.2": {"text": " "}},
            id="route-4-with-every-document",
        ),
        pytest.param({"cases": [], "education": None, "experience": None}, id="sparse"),
    ],
)
def test_round_trip_parse_dump_parse(changes):
    snapshot = parse_loopbaan(changed(changes))
    dumped = dump_loopbaan(snapshot)
    assert json.loads(json.dumps(dumped)) == dumped
    assert parse_document(dumped) == snapshot


def test_dump_of_the_complete_document_is_the_exchange_shape():
    document = complete_document()
    assert dump_loopbaan(parse_loopbaan(document)) == document


def test_dump_of_a_hand_built_snapshot_round_trips():
    snapshot = LoopbaanSnapshot(
        cases=(
            Case(title="Los", tasks=(CaseTask(7, text="Afgerond."), CaseTask(0, not_relevant="-"))),
        ),
        framework_version="2024.1",
    )
    assert parse_loopbaan(dump_loopbaan(snapshot)) == snapshot


# ---------------------------------------------------------------------------------------------
# Property: valid documents never make parsing, evaluation or dumping raise

_texts = st.sampled_from(["", "  ", "tekst", "Één regel\nnog één"])
_evidence = st.one_of(st.none(), st.sampled_from(["", "bewijs.pdf"]))
_iso_dates = st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31)).map(date.isoformat)
_amounts = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=3000),
    st.floats(min_value=0, max_value=3000, allow_nan=False, allow_infinity=False),
)
_statement = st.one_of(
    st.none(), st.fixed_dictionaries({"signed": st.booleans(), "evidence": _evidence})
)
_report = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "date": st.one_of(st.none(), _iso_dates),
            "level": st.one_of(st.none(), st.integers(min_value=0, max_value=8)),
            "provider_recognised": st.booleans(),
            "evidence": _evidence,
        }
    ),
)
_diploma = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "level": st.sampled_from(["", "hbo", "wo", "mbo", "HBO "]),
            "field_mens_en_organisatie": st.booleans(),
            "signed": st.booleans(),
            "nvao_accredited": st.booleans(),
            "croho": _texts,
            "evidence": _evidence,
        }
    ),
)
_course = st.fixed_dictionaries(
    {
        "title": _texts,
        "hours": _amounts,
        "quality_mark": st.booleans(),
        "signed": st.booleans(),
        "evidence": _evidence,
    }
)
_task_entry = st.one_of(
    _texts.map(lambda text: {"text": text}), _texts.map(lambda text: {"not_relevant": text})
)


@st.composite
def _cases(draw):
    first, second = sorted(draw(st.lists(_iso_dates, min_size=2, max_size=2)))
    started, ended = draw(st.sampled_from([(first, second), (None, second), (first, None)]))
    return {
        "title": draw(_texts),
        "started": started,
        "ended": ended,
        "rationale": draw(_texts),
        "tasks": draw(st.dictionaries(st.sampled_from([str(n) for n in range(8)]), _task_entry)),
        "knowledge_areas": draw(
            st.dictionaries(st.sampled_from(["1", "2", "3", "4", "5"]), _texts)
        ),
        "competences": draw(
            st.dictionaries(st.sampled_from([c.key for c in LOOPBAAN_2024.competences]), _texts)
        ),
        "attitude": draw(
            st.dictionaries(st.sampled_from([a.key for a in LOOPBAAN_2024.attitudes]), _texts)
        ),
    }


_documents = st.fixed_dictionaries(
    {"format": st.just("noloc-portfolio/1"), "framework": st.just(LOOPBAAN)},
    optional={
        "framework_version": st.just("2024.1"),
        "education": st.fixed_dictionaries(
            {},
            optional={
                "route": st.one_of(st.none(), st.integers(min_value=1, max_value=4)),
                "diploma": _diploma,
                "evc_report": _report,
                "assessment_report": _report,
                "courses": st.lists(_course, max_size=4),
            },
        ),
        "experience": st.fixed_dictionaries(
            {},
            optional={
                "years_active": _amounts,
                "hours": _amounts,
                "statement": _statement,
                "currently_working_statement": _statement,
            },
        ),
        "cv": _evidence,
        "motivation": _texts,
        "cases": st.lists(_cases(), max_size=3),
        "diversity": _texts,
        "development_plan": _texts,
        "declaration": st.fixed_dictionaries(
            {},
            optional={
                "code_of_conduct": st.booleans(),
                "complaints_regulation": st.booleans(),
                "truthful": st.booleans(),
            },
        ),
    },
)


@settings(max_examples=150, deadline=None)
@given(
    document=_documents, as_of=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
)
def test_valid_documents_never_make_evaluation_raise(document, as_of):
    snapshot = parse_document(document)
    result = evaluate(snapshot, as_of=as_of)
    output = json.loads(json.dumps(result.to_json()))
    assert [rule["id"] for rule in output["rules"]] == LP_RULE_IDS
    assert output["submittable"] == all(rule["status"] != "not_met" for rule in output["rules"])
    assert all(rule["message"] and rule["path"] for rule in output["rules"])
    assert len(output["coverage"]["tasks"]["0"]["cases"]) == len(snapshot.cases)
    assert parse_document(dump_loopbaan(snapshot)) == snapshot
