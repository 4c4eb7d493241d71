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


MENU = (
    "{% load layout %}{% account_menu %}{{ user.full_name }}|{{ label }}|{% csrf_token %}"
    "{% endaccount_menu %}"
)


@pytest.fixture
def written(monkeypatch):
    """How often account_menu wrote its block (not kept), emptied of what earlier tests kept."""
    from noloc_portal import layout, remembered_tags

    layout.MENUS.clear()
    counts = {"menu": 0}
    original = remembered_tags.written_with_token_place

    def counted(nodelist, context):
        counts["menu"] += 1
        return original(nodelist, context)

    monkeypatch.setattr(layout, "written_with_token_place", counted)
    return counts


def _menu(user, *, path="/portfolios/", token="t0ken", label="eerste", start_pages=()):
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    request.user = user
    context = {"user": user, "label": label, "csrf_token": token, "start_pages": start_pages}
    return engines["django"].from_string(MENU).render(context, request)


@pytest.mark.django_db
def test_the_menu_is_kept_per_person_and_section_with_each_responses_token(written):
    from tests.factories import UserFactory

    petra, karel = UserFactory(full_name="Petra"), UserFactory(full_name="Karel")
    first = _menu(petra, token="een")
    assert first.startswith("Petra|eerste|") and 'value="een"' in first
    # Kept: the block is not written again (another label shows the kept one), the token is
    # this response's.
    second = _menu(petra, token="twee", label="tweede")
    assert second.startswith("Petra|eerste|") and 'value="twee"' in second
    assert written["menu"] == 1
    assert _menu(karel).startswith("Karel|")  # another person, their own menu
    _menu(petra, path="/beoordelingen/")  # another section of the site
    with translation.override("en"):
        _menu(petra)
    assert written["menu"] == 4
    petra.full_name = "Petra de Vries"
    assert _menu(petra).startswith("Petra de Vries|")
    petra.is_staff = True
    _menu(petra)
    assert written["menu"] == 6
    assert "\x00" not in _menu(petra, token="")  # no token: no field, and no stand-in


def test_without_a_person_the_menu_is_written_every_time(written):
    from django.contrib.auth.models import AnonymousUser

    assert _menu(AnonymousUser(), label="a").endswith("|a|" + _csrf_field("t0ken"))
    assert _menu(AnonymousUser(), label="b").endswith("|b|" + _csrf_field("t0ken"))
    assert written["menu"] == 0


def _csrf_field(token: str) -> str:
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'


@pytest.mark.django_db
def test_the_menu_marks_the_section_and_shows_the_roles_start_pages(client):
    from tests.factories import Role, user_with
    from tests.mfa import force_login_with_second_step

    coordinator = user_with(Role.CERTIFICATION_COORDINATOR, Role.ASSESSOR)
    force_login_with_second_step(client, coordinator)
    for url, current in (
        (reverse("assessments:certification"), reverse("assessments:certification")),
        (reverse("kwaliteitskringen:public_list"), None),
    ):
        for _ in range(2):  # written, then kept
            page = client.get(url).content.decode()
            assert reverse("assessments:assigned") in page
            active = 'class="nav-link active" href="'
            if current is None:
                assert active not in page
            else:
                assert f"{active}{current}" in page
