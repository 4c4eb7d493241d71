"""Time stamps read by psycopg's compiled loader instead of Django's Python one.

Django reads a ``timestamptz`` column with a loader of its own (``BaseTzLoader`` in
``django.db.backends.postgresql.psycopg_any``): psycopg's *Python* parser, then the time zone
replaced by the connection's. That parser costs about 3 µs a value, and a page that lists
meetings, rounds or activities reads tens to hundreds of time stamps. psycopg's compiled loader
(in the ``psycopg[binary]`` or ``psycopg[c]`` package) parses the same text in 0.2 µs and already
returns the connection's time zone, so where that zone is the one Django asks for, the compiled
loader's result is Django's result. Elsewhere (another zone, or psycopg without its compiled
part) Django's loader stays.
"""

from __future__ import annotations

import functools

import psycopg
from psycopg import postgres
from psycopg.adapt import Loader
from psycopg.pq import Format
from psycopg.types import datetime as python_loaders

TIMESTAMPTZ_OID = postgres.types["timestamptz"].oid

# psycopg's own default: the compiled loader where psycopg has its compiled part.
CompiledTimestamptzLoader = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
if CompiledTimestamptzLoader is python_loaders.TimestamptzLoader:
    CompiledTimestamptzLoader = None


class TimestamptzLoader(Loader):
    """Django's ``BaseTzLoader`` with the parsing done by psycopg's compiled loader.

    ``timezone`` is the zone Django gives every time stamp it reads (Django compares it before
    each query and registers its own loader when it differs)."""

    timezone = None

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        parse = CompiledTimestamptzLoader(oid, context).load
        connection = self.connection
        if connection is not None and connection.info.timezone == self.timezone:
            # The compiled loader returns the connection's zone: Django's replace() would keep it.
            self.load = parse
        else:
            self._parse = parse

    def load(self, data):
        return self._parse(data).replace(tzinfo=self.timezone)


@functools.cache
def _loader_for(timezone) -> type[TimestamptzLoader]:
    return type(
        "SpecificTimestamptzLoader",
        (TimestamptzLoader,),
        {"timezone": timezone, "__module__": __name__},
    )


def use_compiled_loaders(sender, connection, **kwargs) -> None:
    """On every new PostgreSQL connection (``connection_created``): the loader above in place
    of Django's, for the same zone."""
    if connection.vendor != "postgresql" or CompiledTimestamptzLoader is None:
        return
    adapters = connection.connection.adapters
    django_loader = adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    timezone = getattr(django_loader, "timezone", None)
    if timezone is None:  # USE_TZ = False: Django drops the zone; leave it to Django.
        return
    adapters.register_loader("timestamptz", _loader_for(timezone))
