"""A published annual report names members only with their consent (page and PDF)."""

import subprocess
from datetime import date

import pytest
from django.urls import reverse

from kwaliteitskringen import services
from kwaliteitskringen.models import AnnualReport, Membership, ReportState
from kwaliteitskringen.selectors import latest_pdf
from noloc_portal.pdf.models import RenderState
from tests.factories import Role, user_with
from tests.kwaliteitskringen.factories import CircleFactory, MembershipFactory, held_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle_2025(django_capture_on_commit_callbacks):
    """A circle whose 2025 report is published: three meetings hosted by Anna (who consented),
    Bram (who did not) and the coordinator Carla (who did not)."""
    carla = user_with(Role.CIRCLE_COORDINATOR, full_name="Carla Coördinator")
    circle = CircleFactory(name="Kring Gouda", coordinator=carla)
    anna = user_with(Role.PROFESSIONAL, full_name="Anna Akkoord")
    bram = user_with(Role.PROFESSIONAL, full_name="Bram Bescheiden")
    MembershipFactory(circle=circle, member=anna, year=2025, name_in_annual_report=True)
    MembershipFactory(circle=circle, member=bram, year=2025)
    MembershipFactory(circle=circle, member=carla, year=2025)
    for month, host in [(2, anna), (4, bram), (6, carla)]:
        held_meeting(circle, date(2025, month, 10), present=[anna, bram], host=host)
    report = services.prepare_annual_report(circle=circle, year=2025, by=carla)
    services.update_annual_report(
        report=report, objective="Scherp blijven.", narrative="Drie avonden.", by=carla
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_annual_report(report=report, by=carla)
    services.publish_annual_report(report=report, by=user_with(is_staff=True))
    return report, anna, bram, carla


def test_anonymous_visitors_see_names_only_of_members_who_consented(client, circle_2025):
    report, *_ = circle_2025
    body = client.get(reverse("kwaliteitskringen:annual_report", args=[report.pk])).content
    body = body.decode()
    assert "Anna Akkoord" in body
    assert "Bram Bescheiden" not in body
    assert "een deelnemer" in body
    assert "Carla Coördinator" not in body
    assert "de kringcoördinator" in body
    assert ">3<" in body  # the counts stay


def test_the_pdf_names_only_members_who_consented(circle_2025, tmp_path):
    report, *_ = circle_2025
    path = tmp_path / "report.pdf"
    job = latest_pdf(report)
    assert job.state == RenderState.DONE, job.error
    path.write_bytes(job.file.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Anna Akkoord" in text
    assert "Bram Bescheiden" not in text
    assert "een deelnemer" in text


def test_a_member_gives_and_withdraws_consent_on_their_own_page(
    client, circle_2025, django_capture_on_commit_callbacks
):
    report, _anna, bram, _carla = circle_2025
    MembershipFactory(circle=report.circle, member=bram, year=2026)
    client.force_login(bram)
    page = client.get(reverse("kwaliteitskringen:mine")).content.decode()
    membership = Membership.objects.get(member=bram, year=2026)
    url = reverse("kwaliteitskringen:name_consent", args=[membership.pk])
    assert url in page
    versions = latest_pdf(report).version
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name_in_annual_report": "on"})
    assert response.status_code == 302
    # Every membership of the circle follows the choice; the report's PDF is made again.
    assert set(Membership.objects.filter(member=bram).values_list("name_in_annual_report")) == {
        (True,)
    }
    assert latest_pdf(report).version == versions + 1
    client.logout()
    public = reverse("kwaliteitskringen:annual_report", args=[report.pk])
    assert "Bram Bescheiden" in client.get(public).content.decode()

    client.force_login(bram)
    client.post(url, {})  # the box unticked
    client.logout()
    assert "Bram Bescheiden" not in client.get(public).content.decode()


def test_nobody_sets_another_members_consent(client, circle_2025):
    _report, anna, bram, carla = circle_2025
    membership = Membership.objects.get(member=bram, year=2025)
    for outsider in (anna, carla, user_with(is_staff=True, is_superuser=True)):
        client.force_login(outsider)
        url = reverse("kwaliteitskringen:name_consent", args=[membership.pk])
        assert client.post(url, {"name_in_annual_report": "on"}).status_code == 404
    membership.refresh_from_db()
    assert membership.name_in_annual_report is False


def test_consent_is_off_by_default_and_a_renewal_keeps_it(circle_2025):
    report, anna, bram, carla = circle_2025
    assert Membership._meta.get_field("name_in_annual_report").default is False
    circle = report.circle
    MembershipFactory(circle=circle, member=anna, year=2026)
    MembershipFactory(circle=circle, member=bram, year=2026)
    services.open_renewal_round(circle=circle, year=2027, by=carla)
    services.set_name_consent(
        membership=Membership.objects.get(member=anna, year=2026), consent=True, by=anna
    )
    assert services.renew_membership(
        circle=circle, member=anna, year=2027, by=anna
    ).name_in_annual_report
    assert not services.renew_membership(
        circle=circle, member=bram, year=2027, by=bram
    ).name_in_annual_report


def test_a_line_stored_without_the_hosts_id_never_names_the_host(client):
    circle = CircleFactory()
    report = AnnualReport.objects.create(
        circle=circle,
        year=2024,
        state=ReportState.PUBLISHED,
        activities=[{"date": "10-03-2024", "form": "Intervisie", "theme": "T", "host": "Oud Lid"}],
    )
    body = client.get(reverse("kwaliteitskringen:annual_report", args=[report.pk])).content
    assert "Oud Lid" not in body.decode()
