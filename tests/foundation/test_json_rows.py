"""Rows joined into one JSON text by the database (JSONRows) come back as they went in."""

import json

import pytest
from django.db.models import Value
from django.db.models.functions import JSONArray

from noloc_portal.accounts.models import User
from noloc_portal.database.expressions import JSONRows
from tests.factories import Role, user_with

pytestmark = pytest.mark.django_db

NAMES = ['Anke "de" Visser', "de Vries, Jan", "a:b\\c", "", "Zoë 🙂 Ñandú", "[1, 2]"]


def test_any_text_comes_back_as_it_went_in():
    people = [user_with(Role.PROFESSIONAL, full_name=name) for name in NAMES]
    text = (
        User.objects.filter(pk__in=[person.pk for person in people])
        .annotate(everyone=Value(1))
        .values("everyone")
        .annotate(rows=JSONRows(JSONArray("pk", "full_name", "is_active")))
        .values_list("rows", flat=True)
        .get()
    )
    assert isinstance(text, str)
    assert sorted(json.loads(text)) == [[person.pk, person.full_name, True] for person in people]
