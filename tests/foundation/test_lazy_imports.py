"""What every process pays when it starts: Pillow and qrcode are imported when an upload, the
second step's set-up or a certificate needs them, not by ``django.setup()`` (a command such as
``portfolio evaluate`` starts a process per call)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_starting_django_imports_neither_pillow_nor_qrcode():
    code = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "print(sorted(name for name in ('PIL', 'qrcode') if name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "noloc_portal.settings.test"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"
