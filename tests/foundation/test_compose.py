"""docker-compose.yml cannot run here (no Docker engine), so it is checked by parsing: every
service's command points at code that exists, and every variable production needs is set."""

import importlib
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_production_shape_has_the_five_services():
    assert set(SERVICES) == {"web", "worker", "beat", "db", "redis"}


def test_app_services_wait_for_healthy_database_and_broker():
    for name in ("web", "worker", "beat"):
        depends = SERVICES[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
    for name in ("web", "db", "redis", "worker"):
        assert "healthcheck" in SERVICES[name], name


def test_gunicorn_points_at_the_wsgi_application():
    match = re.search(r"gunicorn ([\w.]+):(\w+)", SERVICES["web"]["command"])
    module = importlib.import_module(match.group(1))
    assert callable(getattr(module, match.group(2)))


def test_celery_commands_point_at_the_celery_app():
    from celery import Celery

    for name, kind in (("worker", "worker"), ("beat", "beat")):
        match = re.search(r"celery -A ([\w.]+) (\w+)", SERVICES[name]["command"])
        assert match.group(2) == kind
        package = importlib.import_module(match.group(1))
        assert isinstance(package.celery_app, Celery)


def test_every_variable_production_requires_is_set():
    source = (ROOT / "noloc_portal/settings/production.py").read_text()
    source += (ROOT / "noloc_portal/settings/base.py").read_text()
    # env("X") / env.list("X") / env.db("X") without a default are required.
    required = set(re.findall(r'env(?:\.\w+)?\("(\w+)"\)', source))
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"} <= required
    for name in ("web", "worker", "beat"):
        environment = SERVICES[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "noloc_portal.settings.production"
        missing = required - set(environment)
        assert not missing, f"{name} lacks {missing}"
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert "@db:5432/" in environment["DATABASE_URL"]


def test_every_beat_entry_names_a_registered_task():
    from django.conf import settings

    from noloc_portal.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
