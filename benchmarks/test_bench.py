"""Speed and memory targets, measured (never asserted in the test suite). Run: `make bench`.

Targets (2-core machine):
- evaluating a Jobcoach document with 200 PE activities and 8 meetings: < 20 ms
- parsing and evaluating a Loopbaanprofessional document: < 10 ms
- the PE register page with 100 activities: < 250 ms, with the same queries as for 1
- evaluating a 2,000-activity document allocates < 20 MiB at its peak
"""

import json
import tracemalloc
from datetime import date

import pytest
from django.urls import reverse

from portfolios.evaluation import evaluate
from portfolios.exchange.document import parse_document

TYPES = [
    {"type": "course", "date": "2024-05-01", "sbu": 4},
    {"type": "workshop", "date": "2024-06-01", "hours": 2},
    {"type": "congress", "date": "2025-01-10", "half_days": 1, "days": 1},
    {"type": "book", "date": "2025-02-01"},
    {"type": "journal_subscription", "start": "2023-06-01", "end": None},
    {"type": "intercollegial_meeting", "date": "2025-03-03", "facilitator": "A"},
    {"type": "noloc_committee", "start": "2024-01-01", "end": "2025-12-31"},
    {"type": "jobcoach_mentor_assessor", "start": "2024-01-01", "end": None, "candidates": 3},
    {"type": "article", "date": "2025-04-01", "words": 1800},
    {"type": "volunteer", "start": "2023-09-01", "end": None},
]


def jobcoach_document(activities: int) -> dict:
    return {
        "format": "noloc-portfolio/1",
        "framework": "jobcoach-recertification",
        "recertification_date": "2027-03-31",
        "a1": {"cv": "cv.pdf", "statement": {"signed": True, "evidence": "v.pdf"}},
        "a2": {"report": "Terugblik"},
        "reflection_meetings": [
            {
                "date": f"2025-0{i + 1}-12",
                "kind": "intervision",
                "facilitator": "A. de Vries",
                "own_situation": True,
                "statement": {"signed": True, "evidence": f"m{i}.pdf"},
            }
            for i in range(8)
        ],
        "reflection_report": {
            "meeting": 0,
            "situation": "s",
            "motivation": "m",
            "insights": "i",
            "consequences": "c",
        },
        "development_plan": {"present": "p", "past": "p", "future": "f"},
        "pe_activities": [
            {**TYPES[i % len(TYPES)], "title": f"Activiteit {i}", "evidence": f"e{i}.pdf"}
            for i in range(activities)
        ],
        "declaration": {"code_of_conduct": True, "complaints_regulation": True},
    }


LOOPBAAN = {
    "format": "noloc-portfolio/1",
    "framework": "loopbaanprofessional-initial",
    "education": {
        "route": 1,
        "diploma": {
            "level": "hbo",
            "field_mens_en_organisatie": True,
            "signed": True,
            "nvao_accredited": True,
            "croho": "34139",
            "evidence": "d.pdf",
        },
    },
    "experience": {
        "years_active": 3,
        "hours": 1500,
        "statement": {"signed": True},
        "currently_working_statement": {"signed": True},
    },
    "cv": "cv.pdf",
    "motivation": "m",
    "cases": [
        {
            "title": f"Casus {n}",
            "started": "2025-01-10",
            "ended": "2025-06-30",
            "rationale": "r",
            "tasks": {str(t): {"text": "t"} for t in range(8)},
            "knowledge_areas": {str(a): "k" for a in range(1, 6)},
            "competences": {
                k: "c"
                for k in (
                    "methodisch_werken",
                    "inlevingsvermogen",
                    "effectief_communiceren",
                    "adviseren",
                    "coachen",
                )
            },
            "attitude": {k: "a" for k in ("ethics", "self_reflection", "development", "diversity")},
        }
        for n in (1, 2)
    ],
    "diversity": "d",
    "development_plan": "p",
    "declaration": {"code_of_conduct": True, "complaints_regulation": True, "truthful": True},
}


def test_evaluate_jobcoach_200_activities(benchmark):
    snapshot = parse_document(jobcoach_document(200))
    result = benchmark(evaluate, snapshot, as_of=date(2026, 11, 23))
    assert result.submittable


def test_parse_and_evaluate_loopbaan(benchmark):
    result = benchmark(lambda: evaluate(parse_document(LOOPBAAN), as_of=date(2026, 11, 23)))
    assert result.submittable


def test_memory_peak_of_a_2000_activity_document(benchmark):
    raw = json.dumps(jobcoach_document(2000))

    def run():
        tracemalloc.start()
        evaluate(parse_document(json.loads(raw)), as_of=date(2026, 11, 23))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak

    peak = benchmark.pedantic(run, rounds=3, iterations=1)
    benchmark.extra_info["peak_mib"] = round(peak / 2**20, 2)
    print(f"\npeak memory evaluating 2,000 activities: {peak / 2**20:.2f} MiB")


@pytest.mark.django_db
def test_pe_register_page_with_100_activities(benchmark, client):
    from tests.portfolios.factories import PEActivityFactory, PortfolioFactory

    portfolio = PortfolioFactory()
    PEActivityFactory.create_batch(100, portfolio=portfolio)
    client.force_login(portfolio.owner)
    url = reverse("portfolios:pe", args=[portfolio.pk])
    response = benchmark(client.get, url)
    assert response.status_code == 200
