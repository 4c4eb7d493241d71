"""{% once %} (noloc_portal/layout.py): parts of the layout rendered once per process, language
and URL prefix, and the pages still carry them."""

import pytest
from django.template import Context, Engine, TemplateSyntaxError, engines
from django.urls import reverse
from django.utils import translation


def test_once_renders_its_content_once_per_language():
    template = '{% load layout %}{% once "part" %}{{ value }}{% endonce %}'
    compiled = engines["django"].from_string(template)
    with translation.override("nl"):
        assert compiled.render({"value": "eerste"}) == "eerste"
        assert compiled.render({"value": "tweede"}) == "eerste"
    with translation.override("en"):
        assert compiled.render({"value": "English"}) == "English"


def test_once_needs_a_quoted_name():
    engine = Engine(libraries={"layout": "noloc_portal.layout"})
    with pytest.raises(TemplateSyntaxError):
        engine.from_string("{% load layout %}{% once part %}x{% endonce %}").render(Context())


@pytest.mark.django_db
def test_every_page_still_carries_the_layout(client):
    page = client.get(reverse("kwaliteitskringen:public_list")).content.decode()
    for part in ("css/portal.css", "js/portal.js", reverse("accounts:login"), "Naar de inhoud"):
        assert part in page
