"""KK-10: the annual report PDF, rendered by the Celery task with WeasyPrint, read back."""

import subprocess
from datetime import date

import pytest
from django.urls import reverse

from kwaliteitskringen import services
from kwaliteitskringen.selectors import latest_pdf
from noloc_portal.pdf.models import RenderState
from tests.kwaliteitskringen.factories import CircleFactory, MembershipFactory, held_meeting

pytestmark = pytest.mark.django_db


def test_annual_report_pdf_holds_name_member_and_meeting_counts(
    client, django_capture_on_commit_callbacks, tmp_path
):
    circle = CircleFactory(name="Kwaliteitskring Amersfoort", region="Utrecht")
    people = [MembershipFactory(circle=circle, year=2025).member for _ in range(9)]
    for month in (1, 3, 5, 7, 9, 11):
        held_meeting(circle, date(2025, month, 12), present=people, theme=f"Avond {month}")
    report = services.prepare_annual_report(circle=circle, year=2025, by=circle.coordinator)
    services.update_annual_report(
        report=report,
        objective="Elkaar scherp houden.",
        narrative="Zes avonden over casussen en methodiek.",
        by=circle.coordinator,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_annual_report(report=report, by=circle.coordinator)
    job = latest_pdf(report)
    assert job.state == RenderState.DONE, job.error
    assert job.page_count == 1
    path = tmp_path / "report.pdf"
    path.write_bytes(job.file.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Kwaliteitskring Amersfoort" in text
    assert "Aantal leden: 9" in text
    assert "Aantal bijeenkomsten in 2025: 6" in text
    assert "Avond 11" in text

    # The coordinator downloads it; a stranger does not, until it is published.
    client.force_login(circle.coordinator)
    assert client.get(reverse("pdf:download", args=[job.pk])).status_code == 200
    client.force_login(people[0])
    assert client.get(reverse("pdf:download", args=[job.pk])).status_code == 404
