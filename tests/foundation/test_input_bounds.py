"""The input bounds in one place (noloc_portal/validators.py, noloc_portal/forms.py): dates
within a plausible range, texts within a length, on every model form of the portal."""

from datetime import date

import pytest
from django import forms
from django.apps import apps
from django.db import models

import kwaliteitskringen.forms
import portfolios.jobcoach.forms
import portfolios.loopbaan.forms
from noloc_portal.forms import BoundedModelForm, DateField, EventDateField, bounded_formfield
from noloc_portal.validators import TEXT_LIMITS, TextLimit, text_limit


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        (DateField(), "1900-01-01", True),
        (DateField(), "2100-12-31", True),
        (DateField(), "1899-12-31", False),
        (DateField(), "9999-12-31", False),
        (EventDateField(), "1950-01-01", True),
        (EventDateField(), "1949-12-31", False),
        (EventDateField(), "2101-01-01", False),
    ],
)
def test_a_date_outside_the_range_is_refused_in_dutch(field, value, valid):
    if valid:
        assert field.clean(value) == date.fromisoformat(value)
        return
    with pytest.raises(forms.ValidationError) as error:
        field.clean(value)
    earliest = "1 januari 1950" if isinstance(field, EventDateField) else "1 januari 1900"
    assert [e.code for e in error.value.error_list] == ["date_range"]
    assert error.value.messages == [f"Vul een datum in tussen {earliest} en 31 december 2100."]


def test_the_date_picker_offers_only_the_range():
    html = EventDateField(widget=forms.DateInput(attrs={"type": "date"})).widget.render("d", "")
    assert 'min="1950-01-01"' in html and 'max="2100-12-31"' in html


def test_every_text_limit_names_a_text_column():
    columns = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField)
    }
    assert set(TEXT_LIMITS) <= columns


def test_a_text_column_without_a_limit_of_its_own_holds_a_part():
    field = apps.get_model("portfolios", "JobcoachDetails")._meta.get_field("report_insights")
    assert text_limit(field) == TextLimit.PART == 20_000
    assert text_limit(apps.get_model("portfolios", "CaseText")._meta.get_field("text")) == 5_000


def _model_forms():
    for module in (portfolios.jobcoach.forms, portfolios.loopbaan.forms, kwaliteitskringen.forms):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.ModelForm)
                and value.__module__ == module.__name__
            ):
                yield value


@pytest.mark.parametrize("form_class", list(_model_forms()), ids=lambda form: form.__name__)
def test_every_model_form_of_the_portal_is_bounded(form_class):
    assert issubclass(form_class, BoundedModelForm)
    assert form_class._meta.formfield_callback is bounded_formfield
    for name, field in form_class.base_fields.items():
        try:
            column = form_class._meta.model._meta.get_field(name)
        except Exception:
            continue
        if type(column) is models.DateField:
            assert isinstance(field, DateField), name
        if isinstance(column, models.TextField):
            assert field.max_length == text_limit(column), name


@pytest.mark.parametrize(
    ("model", "date_field", "text_field"),
    [
        ("portfolios.ReflectionMeeting", "date", None),
        ("portfolios.JobcoachDetails", "recertification_date", "a2_report"),
        ("portfolios.CaseTask", None, "text"),
        ("kwaliteitskringen.Meeting", "date", "agenda"),
    ],
)
def test_the_admin_keeps_the_same_bounds(rf, staff, model, date_field, text_field):
    from django.contrib import admin

    model = apps.get_model(model)
    request = rf.get("/")
    request.user = staff
    form = admin.site._registry[model].get_form(request)
    if date_field:
        with pytest.raises(forms.ValidationError):
            form.base_fields[date_field].clean("9999-12-31")
    if text_field:
        column = model._meta.get_field(text_field)
        assert form.base_fields[text_field].max_length == text_limit(column)
