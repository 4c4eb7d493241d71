"""noloc_portal.html: the pieces rows written in Python are built from."""

from datetime import UTC, date, datetime, timedelta, timezone

from django.utils import translation
from django.utils.formats import date_format

from noloc_portal.html import day_text


def test_a_day_is_written_as_date_format_writes_it_in_the_active_language():
    day = date(2026, 3, 5)

    with translation.override("nl"):
        assert day_text(day, "j M Y") == date_format(day, "j M Y") == "5 Mrt 2026"
        assert day_text(day, "j F Y") == "5 maart 2026"
    with translation.override("en"):
        assert day_text(day, "j F Y") == "5 March 2026"
    with translation.override("nl"):
        assert day_text(day, "j F Y") == "5 maart 2026"


def test_a_date_and_time_is_written_afresh_in_its_own_zone():
    utc = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    amsterdam = utc.astimezone(timezone(timedelta(hours=1)))
    assert utc == amsterdam

    with translation.override("nl"):
        assert day_text(utc, "j M Y H:i") == "5 Mrt 2026 12:00"
        assert day_text(amsterdam, "j M Y H:i") == "5 Mrt 2026 13:00"
