"""Time stamps read by psycopg's compiled loader give what Django's own loader gives."""

import datetime

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.utils import timezone

from noloc_portal.database import loaders

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's loaders"),
]

TEXTS = [
    "2026-11-27 13:45:12.123456+00",
    "2026-03-29 01:59:59+00",
    "2026-10-25 02:30:00.5+02",
    "1999-12-31 23:59:59.999999-11:30",
    "0001-01-01 00:00:00+00",
]


def read(pg, loader, text):
    """One value of ``text`` read on ``pg`` with ``loader`` registered for timestamptz, or the
    error (a value outside Python's years in the session's zone)."""
    with pg.cursor() as cursor:
        cursor.adapters.register_loader("timestamptz", loader)
        cursor.execute("SELECT %s::timestamptz", [text])
        try:
            return cursor.fetchone()[0]
        except psycopg.DataError as error:
            return type(error)


def djangos_loader(zone):
    holder = psycopg.adapt.AdaptersMap(psycopg.adapters)

    class Context:
        adapters = holder

    register_tzloader(zone, Context)
    return holder.get_loader(loaders.TIMESTAMPTZ_OID, psycopg.pq.Format.TEXT)


def test_the_portals_connections_read_time_stamps_with_the_compiled_loader():
    if loaders.CompiledTimestamptzLoader is None:
        pytest.skip("psycopg without its compiled part")
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(
        loaders.TIMESTAMPTZ_OID, psycopg.pq.Format.TEXT
    )
    assert issubclass(loader, loaders.TimestamptzLoader)
    assert loader.timezone == datetime.UTC
    # The connection is in Django's zone: the compiled loader's own load, nothing around it.
    assert "load" in vars(loader(loaders.TIMESTAMPTZ_OID, connection.connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", ["2026-11-27 14:45:12+01"])
        value = cursor.fetchone()[0]
    assert value == datetime.datetime(2026, 11, 27, 13, 45, 12, tzinfo=datetime.UTC)
    assert value.tzinfo is datetime.UTC
    assert timezone.localtime(value).hour == 14


@pytest.mark.parametrize("session_zone", ["UTC", "Europe/Amsterdam", "America/St_Johns"])
@pytest.mark.parametrize(
    "django_zone", [datetime.UTC, datetime.timezone(datetime.timedelta(hours=2))]
)
def test_same_value_and_zone_as_djangos_loader(session_zone, django_zone):
    if loaders.CompiledTimestamptzLoader is None:
        pytest.skip("psycopg without its compiled part")
    settings = connection.settings_dict
    dsn = psycopg.conninfo.make_conninfo(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"],
        password=settings["PASSWORD"],
    )
    with psycopg.connect(dsn, options=f"-c TimeZone={session_zone}") as pg:
        for text in TEXTS:
            ours = read(pg, loaders._loader_for(django_zone), text)
            django = read(pg, djangos_loader(django_zone), text)
            assert ours == django
            if ours is psycopg.DataError:
                continue
            assert ours.tzinfo == django.tzinfo == django_zone
            assert ours.utcoffset() == django.utcoffset()
