"""Every model is in the Django admin, in Dutch, and its pages open for the secretariat."""

import io

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

OWN_APPS = {"accounts", "documents", "pdf", "portfolios", "assessments", "kwaliteitskringen"}


def own_models():
    return [model for model in apps.get_models() if model._meta.app_label in OWN_APPS]


def test_every_model_is_registered_with_a_dutch_name():
    missing = [model.__name__ for model in own_models() if model not in admin.site._registry]
    assert not missing
    for model in own_models():
        model_admin = admin.site._registry[model]
        # CircleRules holds one row per year: nothing to search.
        assert model_admin.search_fields or model.__name__ == "CircleRules", model
        assert str(model._meta.verbose_name_plural) != model.__name__.lower() + "s", model


def test_every_admin_page_opens_with_demo_data(client, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    client.force_login(staff)
    failures = []
    for model in own_models():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        for url in (changelist, changelist + "?q=a"):
            if client.get(url).status_code != 200:
                failures.append(url)
        first = model.objects.order_by("pk").first()
        if first is not None:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            if client.get(url).status_code != 200:
                failures.append(url)
    assert not failures


def test_the_admin_names_third_party_models_and_activity_types_in_dutch(client, staff):
    """A secretary reads Dutch everywhere: the login lockout app and its models, and PE activity
    types by name rather than by code (`course`, `workshop`)."""
    from tests.portfolios.factories import PEActivityFactory

    PEActivityFactory(type="congress", title="Jobcoachcongres")
    client.force_login(staff)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Inlogbeveiliging" in index
    assert "Mislukte inlogpogingen" in index
    assert "Inlogregistraties" in index
    assert "Axes" not in index and "Access attempts" not in index
    activities = client.get(reverse("admin:portfolios_peactivity_changelist")).content.decode()
    assert "Congres of seminar binnen het vakgebied" in activities
    assert ">congress<" not in activities
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="iemand@example.org", ip_address="192.0.2.1", failures_since_start=2
    )
    attempts = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "IP-adres" in attempts and "IP Address" not in attempts
