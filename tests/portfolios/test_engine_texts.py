"""The engine's messages and the dossier's labels go through gettext when a portfolio is
evaluated or printed, so another locale only needs a catalogue (style §6)."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from django.utils import translation

from portfolios.evaluation import evaluate
from portfolios.exchange.document import parse_document
from portfolios.loopbaan.checklist import MatrixCell
from tests.portfolios.exchange_samples import jobcoach_document, loopbaan_document

AS_OF = date(2026, 11, 22)
ENGLISH = {
    "Je hebt verklaard dat je volgens de gedragscode werkt en het klachtenreglement kent.": (
        "You declared that you work by the code of conduct and know the complaints regulation."
    ),
    "Categorie 1 (%(name)s): %(counted)s mee; minimaal %(minimum)s nodig.": (
        "Category 1 (%(name)s): %(counted)s; at least %(minimum)s needed."
    ),
    "Er is nog geen casus beschreven.": "No case has been described yet.",
    "beschreven": "described",
}


@pytest.fixture
def english(tmp_path, settings):
    """An English catalogue holding a few of the engine's texts."""
    po = tmp_path / "en" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    entries = "".join(
        f'\n#, python-format\nmsgid "{source}"\nmsgstr "{english}"\n'
        for source, english in ENGLISH.items()
    )
    po.write_text(
        f'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n{entries}', "utf-8"
    )
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = [("nl", "Nederlands"), ("en", "English")]


def messages(document) -> dict[str, str]:
    return {rule.id: rule.message for rule in evaluate(parse_document(document), as_of=AS_OF).rules}


def test_rule_messages_are_translated_when_the_portfolio_is_evaluated(english):
    jobcoach = jobcoach_document()
    loopbaan = loopbaan_document(cases=[])
    dutch = messages(jobcoach) | messages(loopbaan)

    with translation.override("en"):
        english_messages = messages(jobcoach) | messages(loopbaan)

    assert dutch["JC-C"] == (
        "Je hebt verklaard dat je volgens de gedragscode werkt en het klachtenreglement kent."
    )
    assert english_messages["JC-C"] == ENGLISH[dutch["JC-C"]]
    assert dutch["JC-B-CAT1"].startswith("Categorie 1 (")
    assert english_messages["JC-B-CAT1"].startswith("Category 1 (")
    assert "; at least 30 needed." in english_messages["JC-B-CAT1"]
    assert english_messages["LP-C4"] == "No case has been described yet."


def test_dossier_cell_labels_follow_the_active_language(english):
    cell = MatrixCell(case_index=0, state="described", tone="ok", url="")
    assert cell.label == "beschreven"
    with translation.override("en"):
        assert cell.label == "described"
