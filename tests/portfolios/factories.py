from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from noloc_portal.documents.models import Document
from portfolios.jobcoach.models import JobcoachDetails, PEActivity, ReflectionMeeting
from portfolios.loopbaan.models import (
    Case,
    CaseTask,
    CaseText,
    CaseTextKind,
    Course,
    LoopbaanDetails,
)
from portfolios.models import Portfolio
from tests.factories import Role, UserFactory
from tests.pdf_files import MINIMAL_PDF


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    owner = factory.SubFactory(UserFactory)
    file = factory.django.FileField(filename="bewijs.pdf", data=MINIMAL_PDF)
    original_name = "bewijs.pdf"
    content_type = "application/pdf"
    size = 400
    sha256 = "0" * 64


class BasePortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portfolio
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory, roles=[Role.PROFESSIONAL])


class PortfolioFactory(BasePortfolioFactory):
    """A Jobcoach portfolio with its details row: ``PortfolioFactory(jobcoach__a2_report=...)``."""

    framework = "jobcoach-recertification"
    framework_version = "2024.1"
    jobcoach = factory.RelatedFactory(
        "tests.portfolios.factories.JobcoachDetailsFactory", factory_related_name="portfolio"
    )


class JobcoachDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobcoachDetails

    recertification_date = date(2027, 3, 31)


class ReflectionMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReflectionMeeting

    portfolio = factory.SubFactory(PortfolioFactory)
    date = date(2025, 5, 12)
    kind = "intervision"
    facilitator = "A. de Vries"
    own_situation = True
    statement_signed = True
    statement = factory.SubFactory(
        DocumentFactory, owner=factory.SelfAttribute("..portfolio.owner")
    )


class PEActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PEActivity

    portfolio = factory.SubFactory(PortfolioFactory)
    type = "course"
    title = factory.Sequence(lambda n: f"Cursus {n}")
    date = date(2025, 2, 1)
    sbu = Decimal(8)
    evidence = factory.SubFactory(DocumentFactory, owner=factory.SelfAttribute("..portfolio.owner"))


def complete_portfolio(**kwargs) -> Portfolio:
    """A Jobcoach portfolio that meets every rule (recertification 2027: 4 meetings, 75 PE)."""
    portfolio = PortfolioFactory(**kwargs)
    owner = portfolio.owner
    portfolio.cv = DocumentFactory(owner=owner)
    portfolio.declares_code_of_conduct = True
    portfolio.declares_complaints_regulation = True
    portfolio.save()
    meetings = [
        ReflectionMeetingFactory(portfolio=portfolio, date=date(2024, month, 10))
        for month in (1, 3, 5, 7)
    ]
    JobcoachDetails.objects.filter(portfolio=portfolio).update(
        a1_statement=DocumentFactory(owner=owner),
        a1_statement_signed=True,
        a2_report="Terugblik",
        report_meeting=meetings[0],
        report_situation="Situatie",
        report_motivation="Motivatie",
        report_insights="Inzichten",
        report_consequences="Gevolgen",
        plan_present="Heden",
        plan_past="Verleden",
        plan_future="Toekomst",
    )
    PEActivityFactory(portfolio=portfolio, sbu=Decimal(40))
    PEActivityFactory(portfolio=portfolio, type="course_outside_field", sbu=Decimal(30))
    PEActivityFactory(portfolio=portfolio, type="lecture", sbu=None)
    portfolio.refresh_from_db()
    return portfolio


# --- Register Loopbaanprofessional -------------------------------------------------------------


class LoopbaanPortfolioFactory(BasePortfolioFactory):
    framework = "loopbaanprofessional-initial"
    framework_version = "2024.1"
    details = factory.RelatedFactory(
        "tests.portfolios.factories.LoopbaanDetailsFactory", factory_related_name="portfolio"
    )


class LoopbaanDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoopbaanDetails


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    portfolio = factory.SubFactory(LoopbaanPortfolioFactory)
    title = factory.Sequence(lambda n: f"Loopbaancursus {n}")
    hours = Decimal(50)
    quality_mark = True
    signed = True
    certificate = factory.SubFactory(
        DocumentFactory, owner=factory.SelfAttribute("..portfolio.owner")
    )


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    portfolio = factory.SubFactory(LoopbaanPortfolioFactory)
    number = 1
    title = factory.Sequence(lambda n: f"Traject {n}")
    started = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=300))
    ended = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    rationale = "Waarom dit traject."


def fill_case(case: Case, *, tasks=range(8), areas=("1", "2", "3", "4", "5"), competences=None):
    """Describe the given tasks, areas and competences (all five by default) and answer every
    attitude question of the case."""
    competences = (
        ("methodisch_werken", "inlevingsvermogen", "effectief_communiceren", "adviseren", "coachen")
        if competences is None
        else competences
    )
    CaseTask.objects.bulk_create(
        CaseTask(case=case, number=number, text=f"Taak {number} in {case.title}.")
        for number in tasks
    )
    texts = [(CaseTextKind.KNOWLEDGE_AREA, key) for key in areas]
    texts += [(CaseTextKind.COMPETENCE, key) for key in competences]
    texts += [
        (CaseTextKind.ATTITUDE, key)
        for key in ("ethics", "self_reflection", "development", "diversity")
    ]
    CaseText.objects.bulk_create(
        CaseText(case=case, kind=kind, key=key, text=f"{kind} {key}.") for kind, key in texts
    )
    return case


def complete_loopbaan_portfolio(**kwargs) -> Portfolio:
    """A route-2 Loopbaanprofessional portfolio that meets every LP rule today."""
    portfolio = LoopbaanPortfolioFactory(**kwargs)
    owner = portfolio.owner
    portfolio.cv = DocumentFactory(owner=owner)
    portfolio.declares_code_of_conduct = True
    portfolio.declares_complaints_regulation = True
    portfolio.save()
    LoopbaanDetails.objects.filter(portfolio=portfolio).update(
        route=2,
        diploma_level="hbo",
        diploma_signed=True,
        diploma_nvao_accredited=True,
        diploma=DocumentFactory(owner=owner),
        experience_years=Decimal(3),
        experience_hours=Decimal(1500),
        experience_statement_signed=True,
        working_statement_signed=True,
        motivation="Motivatie.",
        diversity="Verschillende vragen.",
        development_plan="Plan.",
        declares_truthful=True,
    )
    CourseFactory.create_batch(2, portfolio=portfolio)
    fill_case(CaseFactory(portfolio=portfolio, number=1))
    fill_case(CaseFactory(portfolio=portfolio, number=2))
    portfolio.refresh_from_db()
    return portfolio
