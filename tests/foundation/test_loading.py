"""FastLoading makes the same instance from a row that Django's Model.from_db makes."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import Model
from django.db.models.signals import post_init

from noloc_portal.documents.models import Document
from noloc_portal.loading import FastLoading
from portfolios.jobcoach.models import PEActivity
from portfolios.jobcoach.snapshot import load_jobcoach
from tests.portfolios.factories import PEActivityFactory, PortfolioFactory

FAST_MODELS = [model for model in apps.get_models() if issubclass(model, FastLoading)]


def djangos(model, field_names, values):
    return Model.from_db.__func__(model, "default", field_names, values)


def same_instance(fast, slow) -> bool:
    fast_state, slow_state = fast.__dict__.pop("_state"), slow.__dict__.pop("_state")
    try:
        return (
            type(fast) is type(slow)
            and list(fast.__dict__.items()) == list(slow.__dict__.items())
            and (fast_state.adding, fast_state.db) == (slow_state.adding, slow_state.db)
            and fast_state.fields_cache == slow_state.fields_cache == {}
        )
    finally:
        fast._state, slow._state = fast_state, slow_state


def test_the_models_read_in_many_rows_load_fast():
    assert {PEActivity, Document} <= set(FAST_MODELS)
    assert len(FAST_MODELS) >= 10


@pytest.mark.parametrize("model", FAST_MODELS, ids=lambda model: model.__name__)
def test_every_column_read_gives_the_instance_djangos_from_db_gives(model):
    names = [field.attname for field in model._meta.concrete_fields]
    values = [object() for _ in names]

    fast = model.from_db("default", names, values)

    assert same_instance(fast, djangos(model, names, values))
    assert not fast._state.adding and fast._state.db == "default"


@pytest.mark.parametrize("model", FAST_MODELS, ids=lambda model: model.__name__)
def test_deferred_columns_are_left_out_as_django_leaves_them_out(model):
    names = [field.attname for field in model._meta.concrete_fields][::2]
    values = [object() for _ in names]

    fast = model.from_db("default", names, values)

    assert same_instance(fast, djangos(model, names, values))
    assert fast.get_deferred_fields() == djangos(model, names, values).get_deferred_fields()


def test_with_an_init_signal_listened_to_django_loads_it():
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(listener, sender=PEActivity)
    try:
        names = [field.attname for field in PEActivity._meta.concrete_fields]
        activity = PEActivity.from_db("default", names, [object() for _ in names])
    finally:
        post_init.disconnect(listener, sender=PEActivity)

    assert seen == [activity]


@pytest.mark.django_db
def test_rows_read_from_the_database_are_equal_and_work_as_instances():
    activity = PEActivityFactory(sbu=Decimal("2.5"))
    listened = []
    post_init.connect(listened.append, sender=PEActivity)  # Django's way for this read
    try:
        slow = PEActivity.objects.get(pk=activity.pk)
    finally:
        post_init.disconnect(listened.append, sender=PEActivity)

    fast = PEActivity.objects.get(pk=activity.pk)

    assert same_instance(fast, slow)
    assert fast.sbu == Decimal("2.5") and fast.portfolio.pk == activity.portfolio_id
    fast.title = "Cursus gespreksvoering"
    fast.save(update_fields=["title"])
    assert PEActivity.objects.get(pk=activity.pk).title == "Cursus gespreksvoering"


@pytest.mark.django_db
def test_the_snapshots_activities_leave_out_only_columns_no_page_reads(
    django_assert_num_queries,
):
    portfolio = PortfolioFactory()
    PEActivityFactory(portfolio=portfolio)

    stored = load_jobcoach(portfolio.pk)
    [activity] = stored.pe_activities.all()

    assert activity.get_deferred_fields() == {"created_at"}
    assert activity.evidence.get_deferred_fields() == {"uploaded_at", "sha256", "content_type"}
    with django_assert_num_queries(0):
        _ = (activity.title, activity.date, activity.start, activity.end, activity.sbu)
        _ = (activity.evidence_id, activity.circle_meeting_id, activity.source, activity.type)
        _ = (activity.evidence.uuid, activity.evidence.original_name, activity.evidence.file)


@pytest.mark.django_db
def test_the_conditions_are_checked_again_for_every_query():
    activity = PEActivityFactory()
    PEActivity.objects.get(pk=activity.pk)  # checked, fast
    listened = []

    def listener(sender, instance, **kwargs):
        listened.append(instance)

    post_init.connect(listener, sender=PEActivity)
    try:
        again = PEActivity.objects.get(pk=activity.pk)
    finally:
        post_init.disconnect(listener, sender=PEActivity)
    assert listened == [again]
