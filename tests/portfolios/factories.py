from datetime import date
from decimal import Decimal

import factory

from noloc_portal.documents.models import Document
from noloc_portal.documents.samples import one_page_pdf
from portfolios.models import PEActivity, Portfolio, ReflectionMeeting
from tests.factories import Role, UserFactory


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    owner = factory.SubFactory(UserFactory)
    file = factory.django.FileField(filename="bewijs.pdf", data=one_page_pdf("bewijs"))
    original_name = "bewijs.pdf"
    content_type = "application/pdf"
    size = 400
    sha256 = "0" * 64


class PortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portfolio

    owner = factory.SubFactory(UserFactory, roles=[Role.PROFESSIONAL])
    framework = "jobcoach-recertification"
    framework_version = "2024.1"
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
    portfolio.a1_statement = DocumentFactory(owner=owner)
    portfolio.a1_statement_signed = True
    portfolio.a2_report = "Terugblik"
    meetings = [
        ReflectionMeetingFactory(portfolio=portfolio, date=date(2024, month, 10))
        for month in (1, 3, 5, 7)
    ]
    portfolio.report_meeting = meetings[0]
    portfolio.report_situation = "Situatie"
    portfolio.report_motivation = "Motivatie"
    portfolio.report_insights = "Inzichten"
    portfolio.report_consequences = "Gevolgen"
    portfolio.plan_present = "Heden"
    portfolio.plan_past = "Verleden"
    portfolio.plan_future = "Toekomst"
    portfolio.declares_code_of_conduct = True
    portfolio.declares_complaints_regulation = True
    portfolio.save()
    PEActivityFactory(portfolio=portfolio, sbu=Decimal(40))
    PEActivityFactory(portfolio=portfolio, type="course_outside_field", sbu=Decimal(30))
    PEActivityFactory(portfolio=portfolio, type="lecture", sbu=None)
    return portfolio
