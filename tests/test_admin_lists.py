"""Admin change lists cost the same number of queries for 1 and N rows: every related object a
column shows is joined, not fetched per row."""

from datetime import date

import pytest
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from tests.kwaliteitskringen.factories import CircleFactory, held_meeting


def _unjoined_columns():
    gaps = []
    for model, model_admin in admin.site._registry.items():
        joined = model_admin.list_select_related
        for name in model_admin.list_display:
            try:
                field = model._meta.get_field(name) if isinstance(name, str) else None
            except FieldDoesNotExist:
                continue
            if field is None or not (field.many_to_one or field.one_to_one):
                continue
            if joined is True:
                continue
            if joined is False and not field.null:
                continue  # the admin's own select_related() follows a required key
            if isinstance(joined, list | tuple) and any(
                path == name or path.startswith(f"{name}__") for path in joined
            ):
                continue
            gaps.append(f"{model._meta.label}.{name}")
    return gaps


def test_every_related_column_of_an_admin_list_is_joined():
    assert _unjoined_columns() == []


@pytest.mark.django_db
@pytest.mark.parametrize("model_name", ["meeting", "attendance"])
def test_circle_admin_lists_issue_the_same_queries_for_1_and_n_rows(
    admin_client, django_assert_num_queries, model_name
):
    url = reverse(f"admin:kwaliteitskringen_{model_name}_changelist")

    def grow(n):
        for i in range(n):
            circle = CircleFactory()
            meeting = held_meeting(
                circle, date(2026, 3, 1 + i), present=[UserFactory()], host=UserFactory()
            )
            meeting.attendances.update(recorded_by=circle.coordinator)

    grow(1)
    admin_client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert admin_client.get(url).status_code == 200
    grow(5)
    with django_assert_num_queries(len(one.captured_queries)):
        assert admin_client.get(url).status_code == 200
