"""SQLite, the embedded default, takes one writer at a time: a second write waits for the first
instead of failing with "database is locked". Two people (here two threads) press submit at the
same moment against a SQLite file, as two requests of `manage.py runserver` would."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DOUBLE_SUBMIT = """
import json, threading
from django.db import connection
from django.test import Client
from django.urls import reverse
from portfolios.models import Submission
from tests.portfolios.factories import complete_portfolio

portfolio = complete_portfolio()
url = reverse("portfolios:submit", args=[portfolio.pk])
start = threading.Barrier(2)
answers = []

def press_submit():
    client = Client(HTTP_HOST="localhost")
    client.force_login(portfolio.owner)
    start.wait()
    try:
        answers.append(client.post(url).status_code)
    except Exception as error:
        answers.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=press_submit) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({
    "answers": answers,
    "submissions": Submission.objects.filter(portfolio=portfolio).count(),
}))
"""


def test_a_double_submit_on_sqlite_gives_one_submission_and_no_error(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}},
        "DJANGO_SETTINGS_MODULE": "noloc_portal.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--no-input"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    result = subprocess.run(
        [*manage, "shell", "-c", DOUBLE_SUBMIT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    # Both answer with the redirect to the portfolio; the later one says it was already submitted.
    assert outcome == {"answers": [302, 302], "submissions": 1}, result.stderr[-3000:]
