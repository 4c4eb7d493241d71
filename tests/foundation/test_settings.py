"""Settings come from the environment: SQLite by default, PostgreSQL from DATABASE_URL, eager
Celery without REDIS_URL, S3 storage with S3_BUCKET, required secrets in production."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "options": settings.DATABASES["default"].get("OPTIONS", {}),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "storage": settings.STORAGES["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "sessions": settings.SESSION_ENGINE,
    "debug": settings.DEBUG,
    "tz": settings.TIME_ZONE, "lang": settings.LANGUAGE_CODE, "use_tz": settings.USE_TZ,
}))
"""


def load_settings(module: str, **env: str) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "CACHE_URL",
            "S3_BUCKET",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "DATABASE_PREPARED_STATEMENTS",
        }
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout)


def test_local_defaults_to_sqlite_eager_celery_and_disk():
    values = load_settings("noloc_portal.settings.local")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["eager"] is True
    assert values["broker"] == "memory://localhost/"
    assert values["storage"] == "django.core.files.storage.FileSystemStorage"
    assert (values["tz"], values["lang"], values["use_tz"]) == ("Europe/Amsterdam", "nl", True)


def test_database_url_selects_postgresql():
    values = load_settings(
        "noloc_portal.settings.local", DATABASE_URL="postgres://u:p@db.example:5432/noloc"
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "noloc"


@pytest.mark.parametrize(
    "module", ["noloc_portal.settings.local", "noloc_portal.settings.production"]
)
def test_postgresql_binds_values_on_the_server_and_prepares_queries(module):
    env = {"DATABASE_URL": "postgres://u:p@db/noloc", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "a"}
    values = load_settings(module, **env)
    assert values["options"] == {"server_side_binding": True, "prepare_threshold": 5}
    values = load_settings(module, **env, DATABASE_PREPARED_STATEMENTS="false")
    assert "server_side_binding" not in values["options"]
    assert "prepare_threshold" not in values["options"]
    # SQLite has neither.
    values = load_settings("noloc_portal.settings.local")
    assert values["options"] == {"transaction_mode": "IMMEDIATE", "timeout": 20}


def test_redis_url_makes_celery_use_the_broker():
    values = load_settings("noloc_portal.settings.local", REDIS_URL="redis://127.0.0.1:6379/3")
    assert values["eager"] is False
    assert values["broker"] == "redis://127.0.0.1:6379/3"


def test_a_redis_cache_url_shares_the_cache_and_the_sessions():
    values = load_settings("noloc_portal.settings.local", CACHE_URL="redis://127.0.0.1:6379/4")
    assert values["cache"] == "noloc_portal.cache.RedisCache"
    assert values["sessions"] == "django.contrib.sessions.backends.cached_db"
    values = load_settings("noloc_portal.settings.local")
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["sessions"] == "django.contrib.sessions.backends.db"


def test_s3_bucket_selects_s3_storage():
    values = load_settings("noloc_portal.settings.local", S3_BUCKET="noloc-files")
    assert values["storage"] == "storages.backends.s3.S3Storage"


def test_production_requires_a_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_settings(
            "noloc_portal.settings.production",
            DATABASE_URL="postgres://u:p@db/noloc",
            ALLOWED_HOSTS="portaal.noloc.nl",
        )


def test_production_turns_debug_off_even_when_asked():
    values = load_settings(
        "noloc_portal.settings.production",
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://u:p@db/noloc",
        ALLOWED_HOSTS="portaal.noloc.nl",
        DEBUG="true",
    )
    assert values["debug"] is False


def test_check_deploy_reports_no_errors():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="noloc_portal.settings.production",
        SECRET_KEY="k3y-" + "q8Zr!x" * 10,
        DATABASE_URL="postgres://u:p@db/noloc",
        ALLOWED_HOSTS="portaal.noloc.nl",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
