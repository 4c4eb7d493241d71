"""A new professional goes from an empty portfolio to a submitted one in Chromium; the same
portfolio, exported and evaluated on the command line, gives the same checklist."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from portfolios.exchange.storage import export_bundle, export_document
from portfolios.models import Portfolio, PortfolioState
from tests.conftest import log_in
from tests.factories import PASSWORD, Role, user_with
from tests.pdf_files import MINIMAL_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_from_empty_to_submitted_and_the_same_checklist_on_the_command_line(
    live_server, browser, tmp_path, capsys
):
    user_with(Role.PROFESSIONAL, email="nieuw@example.org", full_name="Nina Nieuw")
    evidence = tmp_path / "bewijs.pdf"
    evidence.write_bytes(MINIMAL_PDF)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15000)
    log_in(page, live_server.url, "nieuw@example.org", PASSWORD)

    page.get_by_role("link", name="Portfolio starten").click()
    page.get_by_label("Hercertificeringsdatum").fill("2026-06-30")
    page.get_by_role("button", name="Portfolio starten").click()
    assert "Nog niet klaar om in te dienen" in page.content()
    portfolio_url = page.url

    page.get_by_role("link", name="A1 Werkzaam als jobcoach").click()
    page.get_by_label("Cv").set_input_files(evidence)
    page.get_by_label("Verklaring werkzaam als uitvoerend jobcoach").set_input_files(evidence)
    page.get_by_label("De geüploade verklaring is volledig ingevuld en ondertekend").check()
    page.get_by_role("button", name="Opslaan").click()
    assert "Opgeslagen." in page.content()

    page.get_by_role("link", name="A3.1 Reflectiebijeenkomsten").click()
    for day, own in (("2025-01-15", True), ("2025-04-15", True), ("2025-09-15", False)):
        page.get_by_label("Soort bijeenkomst").select_option("intervision")
        page.get_by_label("Datum").fill(day)
        page.get_by_label("Begeleider", exact=True).fill("Marieke Smit")
        if own:
            page.get_by_label("Ik heb zelf een betekenisvolle situatie ingebracht").check()
        page.get_by_label("Verklaring van de begeleider").set_input_files(evidence)
        page.get_by_label("De geüploade verklaring is volledig en ondertekend").check()
        page.get_by_role("button", name="Toevoegen").click()
        assert "Bijeenkomst toegevoegd." in page.content()

    page.get_by_role("link", name="A3.2 Reflectieverslag").click()
    page.get_by_label("Over welke bijeenkomst gaat het verslag?").select_option(index=1)
    for label in ("1. De situatie", "2. Waarom deze situatie", "3. Inzichten"):
        page.get_by_label(label).fill(f"{label}: mijn eigen woorden.")
    page.get_by_label("4. Wat betekent dit voor je handelen?").fill("Ik vraag eerst door.")
    page.get_by_role("button", name="Opslaan").click()

    page.get_by_role("link", name="A4 Ontwikkelplan").click()
    for label in ("Heden", "Verleden", "Toekomst"):
        page.get_by_label(label, exact=True).fill(f"{label}: plannen.")
    page.get_by_role("button", name="Opslaan").click()

    page.get_by_role("link", name="B PE-punten").click()
    for type_code, fill in (
        ("course", {"Studiebelastingsuren (SBU)": "40"}),
        ("course_outside_field", {"Studiebelastingsuren (SBU)": "30"}),
        ("lecture", {}),
    ):
        page.get_by_role("link", name="Activiteit toevoegen").click()
        page.locator(f"a[href$='/pe/nieuw/{type_code}/']").click()
        page.get_by_label("Titel of omschrijving").fill(f"Activiteit {type_code}")
        page.get_by_label("Datum").fill("2025-03-01")
        for label, value in fill.items():
            page.get_by_label(label).fill(value)
        page.get_by_label("Bewijsstuk").set_input_files(evidence)
        if fill:  # the live computation shows the points before saving
            expect(page.locator("#pe-points")).to_have_text(
                next(iter(fill.values())), timeout=15000
            )
        page.get_by_role("button", name="Opslaan").click()
        assert "Activiteit opgeslagen." in page.content()
    assert "76" in page.locator("tfoot").inner_text()

    page.get_by_role("link", name="C Verklaring").click()
    page.get_by_label("Ik heb de beroepscode gelezen en werk ernaar.").check()
    page.get_by_label("Ik ken de klachtenregeling.").check()
    page.get_by_role("button", name="Opslaan").click()

    page.goto(portfolio_url)
    assert "Je portfolio is compleet" in page.content()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "jobcoach-complete.png", full_page=True)
    page.get_by_role("button", name="Portfolio indienen").click()
    assert "Je portfolio is ingediend" in page.content()
    page.screenshot(path=SCREENSHOTS / "jobcoach-submitted.png", full_page=True)

    portfolio = Portfolio.objects.get(owner__email="nieuw@example.org")
    assert portfolio.state == PortfolioState.SUBMITTED
    submission = portfolio.submissions.get()

    # The same document on the command line gives the same checklist.
    document = tmp_path / "portfolio.json"
    document.write_text(json.dumps(export_document(portfolio)))
    as_of = submission.evaluation["as_of"]
    call_command("portfolio", "evaluate", str(document), "--as-of", as_of)
    evaluated = json.loads(capsys.readouterr().out)
    assert evaluated["rules"] == submission.evaluation["rules"]
    assert evaluated["submittable"] is True

    bundle = tmp_path / "bundel.zip"
    bundle.write_bytes(export_bundle(portfolio))
    call_command("portfolio", "import", str(bundle), "--owner", "nieuw@example.org")
    copy = Portfolio.objects.exclude(pk=portfolio.pk).get(owner__email="nieuw@example.org")
    copy_document = tmp_path / "copy.json"
    copy_document.write_text(json.dumps(export_document(copy)))
    capsys.readouterr()
    call_command("portfolio", "evaluate", str(copy_document), "--as-of", as_of)
    assert json.loads(capsys.readouterr().out)["rules"] == evaluated["rules"]
