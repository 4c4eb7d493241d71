"""Rule messages translated once per evaluation, and once per batch of the evaluate command
(portfolios/evaluation/translated.py)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.utils import translation

from portfolios.evaluation import translated
from portfolios.evaluation.translated import gettext, ngettext, translated_once, written_once
from tests.portfolios.exchange_samples import LOOPBAAN_DOCUMENT, jobcoach_document


class Counting:
    """Django's gettext and ngettext, counted."""

    def __init__(self, monkeypatch):
        self.calls = 0
        for name in ("gettext", "ngettext"):
            original = getattr(translation, name)
            monkeypatch.setattr(translated.translation, name, self._counted(original))

    def _counted(self, original):
        def counted(*args):
            self.calls += 1
            return original(*args)

        return counted


def test_outside_a_block_every_call_asks_django(monkeypatch):
    counting = Counting(monkeypatch)
    for _ in range(3):
        gettext("het diploma")
        ngettext("%(n)s punt", "%(n)s punten", 2)
    assert counting.calls == 6


def test_inside_a_block_each_text_and_number_is_translated_once(monkeypatch):
    counting = Counting(monkeypatch)
    with translation.override("nl"), translated_once():
        texts = {gettext("het diploma") for _ in range(3)}
        plurals = [ngettext("%(n)s punt", "%(n)s punten", n) for n in (1, 2, 1, 2)]
        written = {written_once(("x", 2), lambda: "twee") for _ in range(2)}
        with translated_once():  # an evaluation inside a batch shares the batch's texts
            gettext("het diploma")
    assert texts == {"het diploma"} and plurals == ["%(n)s punt", "%(n)s punten"] * 2
    assert written == {"twee"}
    assert counting.calls == 3
    # The block is over: Django is asked again.
    gettext("het diploma")
    assert counting.calls == 4


def test_a_batch_of_the_command_costs_the_translations_of_one_document(monkeypatch, tmp_path):
    def translations(count: int) -> int:
        folder = tmp_path / str(count)
        folder.mkdir()
        for n in range(count):
            document = jobcoach_document() if n % 2 == 0 else LOOPBAAN_DOCUMENT
            (folder / f"{n}.json").write_text(json.dumps(document))
        counting = Counting(monkeypatch)
        out = StringIO()
        call_command("portfolio", "evaluate", str(folder), "--as-of", "2026-11-22", stdout=out)
        assert len(out.getvalue().splitlines()) == count
        return counting.calls

    assert translations(2) == translations(6) > 0


def test_the_loopbaan_and_jobcoach_rules_use_these_helpers():
    for module in ("jobcoach", "loopbaan"):
        source = (Path(translated.__file__).parents[1] / module / "rules.py").read_text()
        assert "from portfolios.evaluation.translated import" in source
        assert "from django.utils.translation import gettext" not in source
