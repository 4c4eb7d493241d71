"""noloc_portal.html: the pieces rows written in Python are built from."""

from datetime import UTC, date, datetime, timedelta, timezone

from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from noloc_portal.accounts.models import User
from noloc_portal.html import day_text, format_safe, joined


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


def test_format_safe_writes_what_format_html_writes():
    values = [
        "<b>&\"'",
        mark_safe("<i>safe</i>"),
        3,
        None,
        gettext_lazy("Vol"),
        User(email="a&b@example.org", full_name="Kees <de> Vries"),
    ]
    pattern = "<td>{}</td>" * len(values) + '<a title="{name}">'
    with translation.override("nl"):
        written = format_safe(pattern, *values, name="x < y")
        assert written == format_html(pattern, *values, name="x < y")
    assert isinstance(written, SafeString)
    parts = [format_html("<li>{}</li>", n) for n in ("a", "<b>")]
    assert joined(iter(parts)) == format_html_join("", "{}", ((part,) for part in parts))
    assert joined(["<b>", *parts]) == "&lt;b&gt;<li>a</li><li>&lt;b&gt;</li>"
    assert isinstance(joined([]), SafeString)
