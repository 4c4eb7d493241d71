"""Rule values on the pages are the portfolio's framework version's, never literals: a variant
of each framework with other values shows those values."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from django.urls import reverse

from kwaliteitskringen.models import MeetingForm
from portfolios import registry
from portfolios.jobcoach.framework import INTERCOLLEGIAL_MEETING, JOBCOACH_2024_1
from portfolios.loopbaan.framework import LOOPBAAN_2024, Attitude, Competence
from tests.kwaliteitskringen.factories import CircleFactory, held_meeting
from tests.portfolios.factories import (
    CourseFactory,
    LoopbaanPortfolioFactory,
    PortfolioFactory,
)

pytestmark = pytest.mark.django_db

FAR_FUTURE = date(2999, 1, 1)


@pytest.fixture
def variants():
    loopbaan = dataclasses.replace(
        LOOPBAAN_2024,
        version="variant",
        effective_from=FAR_FUTURE,
        course_hours_minimum=120,
        experience_min_years=3,
        experience_min_hours=1500,
        case_count=3,
        case_recency_years=5,
        mandatory_areas=(1, 2, 3),
        minimum_areas=5,
        competences=(*LOOPBAAN_2024.competences, Competence("netwerken", "Netwerken")),
        attitudes=(*LOOPBAAN_2024.attitudes, Attitude("humor", "Humor", "Wanneer lachte je?")),
        routes=LOOPBAAN_2024.routes[:3],
    )
    jobcoach = dataclasses.replace(
        JOBCOACH_2024_1,
        version="variant",
        effective_from=FAR_FUTURE,
        window_years=5,
        activity_types=tuple(
            dataclasses.replace(kind, rate=3) if kind.code == INTERCOLLEGIAL_MEETING else kind
            for kind in JOBCOACH_2024_1.activity_types
        ),
    )
    for variant in (loopbaan, jobcoach):
        registry.register_version(variant)
    yield
    for variant in (loopbaan, jobcoach):
        registry.unregister_version(variant)


def page(client, portfolio, name, *args) -> str:
    client.force_login(portfolio.owner)
    response = client.get(reverse(f"portfolios:{name}", args=[portfolio.pk, *args]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_loopbaan_pages_state_the_values_of_the_portfolios_version(variants, client):
    portfolio = LoopbaanPortfolioFactory(framework_version="variant")
    course = CourseFactory(portfolio=portfolio)

    assert "minimaal 3 jaar in het vak en hebt minimaal 1500 uur" in page(
        client, portfolio, "lp_experience"
    )
    assert "telt mee voor de 120 uur" in page(client, portfolio, "lp_course_edit", course.pk)
    assert (
        "Beschrijf 3 complete begeleidingstrajecten die je de afgelopen 5 jaar zelf hebt "
        "uitgevoerd. Samen laten ze elke taak uit het beroepsprofiel zien, minstens 5 "
        "kennisgebieden (waaronder 1, 2 en 3) en alle 6 competenties."
    ) in page(client, portfolio, "lp_cases")
    assert "Dat kan op 3 manieren" in page(client, portfolio, "lp_education")


def test_loopbaan_case_page_states_the_values_of_the_portfolios_version(variants, client):
    portfolio = LoopbaanPortfolioFactory(framework_version="variant")
    case = portfolio.cases.create(number=1)

    body = page(client, portfolio, "lp_case", case.pk)

    assert "minstens 5 kennisgebieden zien, altijd 1, 2 en 3" in body
    assert "alle 6 competenties zien" in body
    assert "alle 5 de vragen" in body


def test_jobcoach_pages_state_the_values_of_the_portfolios_version(variants, client):
    portfolio = PortfolioFactory(framework_version="variant")
    held_meeting(
        CircleFactory(name="Kring Zwolle"),
        date(2025, 6, 3),
        present=[portfolio.owner],
        form=MeetingForm.INTERVISION,
        facilitator="Ria Post",
    )

    assert "de afgelopen 5 jaar cliënten" in page(client, portfolio, "a1")
    plan = page(client, portfolio, "plan")
    assert "Ontwikkelplan voor de komende 5 jaar" in plan
    assert "wat je de komende 5 jaar gaat doen" in plan
    register = page(client, portfolio, "pe")
    assert "(de 5 jaar vóór je hercertificeringsdatum)" in register
    assert "Als PE-activiteit (3 punten)" in register
