"""The annual-report PDF (KK-10) and who may download an applicant's CV (KK-4)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kwaliteitskringen.models import AnnualReport, Application
from kwaliteitskringen.permissions import can_manage_circle, can_view_annual_report
from kwaliteitskringen.selectors import ANNUAL_REPORT_KIND, published_activities
from noloc_portal.documents.permissions import register_access_rule
from noloc_portal.pdf.registry import Report, register_report


@register_report(ANNUAL_REPORT_KIND, can_view=can_view_annual_report)
def build_annual_report(report: AnnualReport) -> Report:
    report = AnnualReport.objects.select_related("circle__coordinator").get(pk=report.pk)
    return Report(
        template="kwaliteitskringen/pdf/annual_report.html",
        context={
            "report": report,
            "circle": report.circle,
            # The one file serves every reader: names only with consent.
            "activities": published_activities(report),
            "generated_at": timezone.now(),
        },
        title=_("Jaarverslag %(year)s %(circle)s") % {"year": report.year, "circle": report.circle},
    )


@register_access_rule
def coordinator_reads_applicant_cv(user, document) -> bool:
    """KK-4: the applicant sends the CV to the coordinator of the circle applied to."""
    return any(
        can_manage_circle(user, application.circle)
        for application in Application.objects.filter(cv=document).select_related("circle")
    )
