"""Row URLs built once per list equal what ``reverse`` gives per row; a filter form's HTML
rendered once per process equals what rendering it gives."""

from uuid import uuid4

import pytest
from django import forms
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from noloc_portal.lists import RowUrl, form_html


def test_row_url_equals_reverse_for_int_and_uuid_keys():
    edit = RowUrl("portfolios:pe_edit", 12)
    assert [edit(pk) for pk in (1, 345)] == [
        reverse("portfolios:pe_edit", args=[12, pk]) for pk in (1, 345)
    ]
    download = RowUrl("documents:download", key=type(uuid4()))
    key = uuid4()
    assert download(key) == reverse("documents:download", args=[key])


def test_row_url_reverses_once_per_script_prefix(monkeypatch):
    from django.urls import set_script_prefix

    from noloc_portal import remembered_tags

    real = remembered_tags.reverse
    calls = []
    monkeypatch.setattr(
        remembered_tags,
        "reverse",
        lambda *args, **kwargs: calls.append(args) or real(*args, **kwargs),
    )
    first = RowUrl("portfolios:pe_edit", 987654)(1)
    assert first == reverse("portfolios:pe_edit", args=[987654, 1])
    assert RowUrl("portfolios:pe_edit", 987654)(2) == reverse(
        "portfolios:pe_edit", args=[987654, 2]
    )
    assert len(calls) <= 1  # none when an earlier test built it already
    set_script_prefix("/onder/")
    try:
        assert RowUrl("portfolios:pe_edit", 987654)(1) == "/onder" + first
    finally:
        set_script_prefix("/")


class Filters(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Alle"), ("a", "Soort A")], required=False)
    days = forms.IntegerField(min_value=0, required=False)

    def __init__(self, *args, places=("Utrecht",), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"] = forms.ChoiceField(
            choices=[("", "Overal"), *((place, place) for place in places)], required=False
        )


TEMPLATE = "form_html_test.html"


@pytest.fixture
def form_template(settings, tmp_path):
    (tmp_path / TEMPLATE).write_text(
        "{% load i18n %}{% translate 'Filteren' %}{{ form.as_div }}{{ form.errors }}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]


@pytest.mark.parametrize(
    "data",
    [None, {}, {"kind": "a"}, {"kind": "b"}, {"days": "-1"}, {"days": "3", "place": "Utrecht"}],
)
def test_form_html_is_what_rendering_gives_once_and_again(form_template, data):
    for places in (("Utrecht",), ("Utrecht", "Zwolle")):
        expected = render_to_string(TEMPLATE, {"form": Filters(data, places=places)})
        for _ in range(2):
            assert form_html(TEMPLATE, Filters(data, places=places)) == expected


def test_form_html_follows_the_language(form_template):
    with translation.override("nl"):
        dutch = form_html(TEMPLATE, Filters({"days": "x"}))
    with translation.override("en"):
        english = form_html(TEMPLATE, Filters({"days": "x"}))
    assert "Voer een geheel getal in." in dutch
    assert "Enter a whole number." in english


@pytest.mark.django_db
def test_a_prepared_list_pages_and_counts_without_the_ordering():
    from noloc_portal.accounts.models import User
    from noloc_portal.prepared import PreparedQuery
    from tests.factories import Role, user_with

    people = PreparedQuery(
        lambda first: User.objects.filter(full_name__gte=first).order_by("-email", "pk"),
        first=str,
    )
    for n in range(7):
        user_with(Role.PROFESSIONAL, full_name=f"Persoon {n}")
    user_with(Role.PROFESSIONAL, full_name="Iemand Anders")
    plain = User.objects.filter(full_name__gte="Persoon").order_by("-email", "pk")
    rows = people.pageable(first="Persoon")
    with CaptureQueriesContext(connection) as counted:
        assert rows.count() == plain.count() == len(rows) == 7
    assert "ORDER BY" not in counted.captured_queries[0]["sql"]
    assert list(rows[2:5]) == list(plain[2:5])
    page = Paginator(people.pageable(first="Persoon"), 3).get_page(2)
    assert list(page) == list(plain[3:6])


def test_unbound_form_html_builds_the_form_once_per_key_and_language(form_template):
    from noloc_portal.lists import unbound_form_html

    built = []

    def make(places):
        def build():
            built.append(places)
            return Filters(initial={"kind": "a"}, places=places)

        return build

    expected = render_to_string(TEMPLATE, {"form": Filters(initial={"kind": "a"})})
    for _ in range(2):
        assert unbound_form_html(TEMPLATE, ("Utrecht",), make(("Utrecht",))) == expected
    assert built == [("Utrecht",)]
    two = unbound_form_html(TEMPLATE, ("Utrecht", "Zwolle"), make(("Utrecht", "Zwolle")))
    assert "Zwolle" in two and built == [("Utrecht",), ("Utrecht", "Zwolle")]
    with translation.override("en"):
        unbound_form_html(TEMPLATE, ("Utrecht",), make(("Utrecht",)))
    assert len(built) == 3
