"""The download of one's own data: one zip, README and JSON per kind of record, portfolios as
noloc-portfolio/1 bundles with their evidence, and nobody else's data."""

import io
import json
import zipfile

import pytest

from noloc_portal.audit.services import record_security_event
from noloc_portal.privacy import services
from noloc_portal.privacy.models import DataExport, ExportState
from portfolios.exchange.storage import export_document
from tests.privacy.people import built_export, make_people, open_zip

pytestmark = pytest.mark.django_db

FILES = {
    "README.txt",
    "account.json",
    "inloggeschiedenis.json",
    "beveiligingslog.json",
    "documenten.json",
    "portfolios/overzicht.json",
    "beoordeling.json",
    "registraties.json",
    "assessorwerk.json",
    "kwaliteitskringen.json",
}


def _json(archive, name):
    return json.loads(archive.read(name).decode("utf-8"))


def _all_text(archive) -> str:
    """Every file of the zip as text, nested bundles included."""
    parts = []
    for name in archive.namelist():
        data = archive.read(name)
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                parts.extend(inner.namelist())
                parts.extend(inner.read(n).decode("utf-8", "replace") for n in inner.namelist())
        else:
            parts.append(data.decode("utf-8", "replace"))
    return "\n".join(parts)


def test_professional_download_holds_account_portfolios_with_evidence_and_registration(
    client, django_capture_on_commit_callbacks
):
    people = make_people()
    client.force_login(people.professional)  # a login line for the history
    export = built_export(people.professional, django_capture_on_commit_callbacks)
    assert export.state == ExportState.DONE
    assert export.size == export.file.size
    archive = open_zip(export)
    names = set(archive.namelist())
    assert names >= FILES
    bundles = {f"portfolios/portfolio-{p.pk}.zip" for p in (people.draft, people.decided)}
    assert bundles <= names

    readme = archive.read("README.txt").decode("utf-8")
    for name in FILES - {"README.txt"}:
        assert name in readme
    assert "noloc-portfolio/1" in readme

    account = _json(archive, "account.json")
    assert account["naam"] == "Petra Professional"
    assert account["e_mailadres"] == people.professional.email
    assert account["plaats"] == "Zwolle"
    assert [r["rol"] for r in account["rollen"]] == ["professional"]

    # The draft as a bundle that says the same as the exchange export, evidence included.
    with zipfile.ZipFile(
        io.BytesIO(archive.read(f"portfolios/portfolio-{people.draft.pk}.zip"))
    ) as bundle:
        document = json.loads(bundle.read("portfolio.json"))
        assert document == json.loads(json.dumps(export_document(people.draft)))
        evidence = [n for n in bundle.namelist() if n.startswith("bestanden/")]
        assert any(n.endswith("masterclass-bewijs.pdf") for n in evidence)
        for name in evidence:
            assert bundle.read(name).startswith(b"%PDF")

    overview = _json(archive, "portfolios/overzicht.json")
    assert {p["portfolio_id"] for p in overview} == {people.draft.pk, people.decided.pk}

    registrations = _json(archive, "registraties.json")
    assert len(registrations) == 1
    assert registrations[0]["besluit"]["portfolio_id"] == people.decided.pk
    assert registrations[0]["besluit"]["uitkomst"] == "positive"

    assessment = _json(archive, "beoordeling.json")
    (decided,) = assessment
    assert decided["besluit"]["datum_besluit"] == "2026-01-15"
    assert decided["rondes"][0]["advies"]["ontwikkeladvies"].startswith("Verdiep")

    logins = _json(archive, "inloggeschiedenis.json")
    assert [line["handeling"] for line in logins] == ["login"]
    documents = _json(archive, "documenten.json")
    assert "masterclass-bewijs.pdf" in {d["bestandsnaam"] for d in documents}


def test_circle_member_download_holds_memberships_attendance_and_application_cv(
    django_capture_on_commit_callbacks,
):
    people = make_people()
    archive = open_zip(built_export(people.member, django_capture_on_commit_callbacks))
    circles = _json(archive, "kwaliteitskringen.json")
    assert [(m["kring"], m["jaar"]) for m in circles["lidmaatschappen"]] == [
        ("Kring Zwolle-Noord", 2026)
    ]
    assert [(a["thema"], a["aanwezig"]) for a in circles["aanwezigheid"]] == [
        ("Intervisie over ethiek", True)
    ]
    assert len(circles["aanmeldingen_voor_bijeenkomsten"]) == 1
    (application,) = circles["aanmeldingen"]
    assert application["verwachtingen"] == "Ik wil leren van collega's in de regio."
    assert archive.read(application["cv"]).startswith(b"%PDF")
    # No portfolios: the overview is empty, there are no bundles.
    assert _json(archive, "portfolios/overzicht.json") == []
    assert not [n for n in archive.namelist() if n.endswith(".zip")]


def test_assessor_download_holds_declarations_and_judgements_not_the_candidate(
    django_capture_on_commit_callbacks,
):
    people = make_people()
    archive = open_zip(built_export(people.assessor, django_capture_on_commit_callbacks))
    work = _json(archive, "assessorwerk.json")
    (assignment,) = work["toewijzingen"]
    assert assignment["status"] == "judged"
    assert assignment["oordelen"] == [
        {
            "criterium": "jc-a1",
            "oordeel": "meets",
            "toelichting": "Verklaring van de werkgever is helder.",
            "laatst_gewijzigd": assignment["oordelen"][0]["laatst_gewijzigd"],
        }
    ]
    candidate = people.assessor.assignments.get().round.portfolio.owner
    # What the assessor did is logged against the portfolio, whose label names the candidate.
    record_security_event(
        action="portfolio.declared", actor=people.assessor, target=candidate.portfolios.get()
    )
    archive = open_zip(built_export(people.assessor, django_capture_on_commit_callbacks))
    lines = _json(archive, "beveiligingslog.json")
    (line,) = [line for line in lines if line["handeling"] == "portfolio.declared"]
    assert line["over"] == f"portfolio {candidate.portfolios.get().pk}"
    text = _all_text(archive)
    assert candidate.email not in text
    assert candidate.full_name not in text


@pytest.mark.parametrize("who", ["professional", "member", "assessor"])
def test_nobody_elses_data_is_in_a_download(who, django_capture_on_commit_callbacks):
    people = make_people()
    archive = open_zip(built_export(getattr(people, who), django_capture_on_commit_callbacks))
    text = _all_text(archive)
    for secret in (
        people.other.email,
        people.other.full_name,
        "olga-geheim.pdf",
        "Cursus van Olga",
        "Kring van Olga",
        "Thema van Olga",
    ):
        assert secret not in text
    assert f"portfolio-{people.other_portfolio.pk}.zip" not in archive.namelist()


def test_a_second_request_while_one_is_made_returns_it_and_a_new_one_replaces_the_old(
    django_capture_on_commit_callbacks,
):
    people = make_people()
    with django_capture_on_commit_callbacks(execute=False):
        first = services.request_data_export(user=people.member)
        assert services.request_data_export(user=people.member) == first
    services.build_data_export(export_id=first.pk)
    first.refresh_from_db()
    old_name = first.file.name
    storage = first.file.storage
    assert storage.exists(old_name)
    second = built_export(people.member, django_capture_on_commit_callbacks)
    assert second != first
    assert list(DataExport.objects.filter(user=people.member)) == [second]
    assert not storage.exists(old_name)


def test_expired_downloads_are_removed_with_their_zip(django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    people = make_people()
    export = built_export(people.member, django_capture_on_commit_callbacks)
    name = export.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert services.delete_expired_exports() == 0
        assert services.delete_expired_exports(now=timezone.now() + timedelta(days=8)) == 1
    assert not DataExport.objects.exists()
    assert not export.file.storage.exists(name)


def test_a_failing_build_is_recorded_and_can_be_asked_again(
    monkeypatch, django_capture_on_commit_callbacks
):
    people = make_people()

    def broken(user, target):
        raise OSError("disk full")

    monkeypatch.setattr(services, "write_data_export", broken)
    export = built_export(people.member, django_capture_on_commit_callbacks)
    assert export.state == ExportState.FAILED
    assert "disk full" in export.error
    monkeypatch.undo()
    again = built_export(people.member, django_capture_on_commit_callbacks)
    assert again.state == ExportState.DONE


def test_a_loopbaan_portfolio_is_a_bundle_too(django_capture_on_commit_callbacks):
    from tests.portfolios.factories import complete_loopbaan_portfolio

    portfolio = complete_loopbaan_portfolio()
    archive = open_zip(built_export(portfolio.owner, django_capture_on_commit_callbacks))
    inner = archive.read(f"portfolios/portfolio-{portfolio.pk}.zip")
    with zipfile.ZipFile(io.BytesIO(inner)) as bundle:
        assert json.loads(bundle.read("portfolio.json")) == json.loads(
            json.dumps(export_document(portfolio))
        )
        assert [n for n in bundle.namelist() if n.startswith("bestanden/")]


def test_a_portfolio_without_an_exchange_format_is_described_not_fatal(
    monkeypatch, django_capture_on_commit_callbacks
):
    from noloc_portal.privacy import export as export_module
    from portfolios.evaluation.common import DocumentError

    people = make_people()

    def unsupported(portfolio, target):
        raise DocumentError("", "no exchange format")

    monkeypatch.setattr(export_module, "write_bundle", unsupported)
    archive = open_zip(built_export(people.professional, django_capture_on_commit_callbacks))
    assert "kan nog niet" in archive.read(f"portfolios/portfolio-{people.draft.pk}.txt").decode()
    assert "account.json" in archive.namelist()
