"""{% url %} and {% translate %} with their results remembered (noloc_portal/remembered_tags.py)
write what Django's own tags write."""

import pytest
from django.template import Context, Engine, NodeList, TemplateSyntaxError, engines
from django.template.loader_tags import ExtendsNode
from django.templatetags import i18n
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, set_script_prefix
from django.utils import translation
from django.utils.safestring import mark_safe

from noloc_portal import remembered_tags
from noloc_portal.remembered_tags import RememberedTranslateNode, RememberedURLNode

DJANGO = Engine(libraries={"i18n": "django.templatetags.i18n"})  # Django's own tags


def both(source: str, context: dict | None = None, autoescape: bool = True) -> tuple[str, str]:
    """``source`` rendered twice by the portal's engine (the second time from memory) and once by
    Django's; asserts the portal's two agree."""
    ours = engines["django"].engine.from_string(source)
    first = ours.render(Context(dict(context or {}), autoescape=autoescape))
    second = ours.render(Context(dict(context or {}), autoescape=autoescape))
    assert first == second
    return first, DJANGO.from_string(source).render(
        Context(dict(context or {}), autoescape=autoescape)
    )


def nodes(source: str, node_type) -> list:
    template = engines["django"].engine.from_string(source)
    return template.nodelist.get_nodes_by_type(node_type)


URL_TEMPLATES = [
    "{% url 'home' %}",
    "{% url 'kwaliteitskringen:public_list' %}",
    "{% url 'portfolios:detail' 7 %}",
    "{% url 'portfolios:detail' pk %}",
    "{% url 'portfolios:detail' text_pk %}",
    "{% url 'portfolios:detail' pk=pk %}",
    "{% url name pk %}",
    "{% url 'portfolios:detail' pk as link %}[{{ link }}]",
    "{% url 'no-such-page' as link %}[{{ link }}]",
    "{% url 'portfolios:detail' 'a&b' as link %}[{{ link }}]",
]


@pytest.mark.parametrize("source", URL_TEMPLATES)
@pytest.mark.parametrize("prefix", ["/", "/portaal/"])
def test_url_writes_what_djangos_tag_writes(source, prefix):
    context = {"pk": 12, "text_pk": "12", "name": "portfolios:detail"}
    set_script_prefix(prefix)
    try:
        ours, djangos = both(source, context)
    finally:
        set_script_prefix("/")
    assert ours == djangos
    assert prefix in ours or "[]" in ours


class Numbered:
    """An argument that is neither a whole number nor text, as a model instance."""

    def __init__(self, number):
        self.number = number

    def __str__(self):
        return str(self.number)


def test_url_of_any_other_argument_is_left_to_django():
    ours, djangos = both("{% url 'portfolios:detail' thing %}", {"thing": Numbered(5)})
    assert ours == djangos == "/portfolios/5/"
    assert not [key for key in remembered_tags._urls if Numbered in map(type, key[1])]


def test_url_that_cannot_be_reversed_still_fails():
    with pytest.raises(NoReverseMatch):
        engines["django"].engine.from_string("{% url 'no-such-page' %}").render(Context())


def test_url_of_the_current_application_namespace():
    request = RequestFactory().get("/")
    request.current_app = "admin"
    source = "{% url 'admin:index' %}"
    ours = engines["django"].engine.from_string(source).render(Context({"request": request}))
    assert ours == DJANGO.from_string(source).render(Context({"request": request}))


def test_url_remembers_no_more_than_its_limit(monkeypatch):
    monkeypatch.setattr(remembered_tags, "MAX_URLS", 3)
    template = engines["django"].engine.from_string("{% url 'portfolios:detail' pk %}")
    for pk in range(10):
        assert template.render(Context({"pk": pk})) == f"/portfolios/{pk}/"
    assert len(remembered_tags._urls) <= 3


def test_a_test_that_changes_the_urls_gets_them_anew():
    remembered_tags._urls[("x",)] = "/x/"
    with override_settings(ROOT_URLCONF="noloc_portal.urls"):
        assert ("x",) not in remembered_tags._urls


def test_url_is_the_portals_tag():
    assert nodes("{% url 'home' %}", RememberedURLNode)


TRANSLATE_TEMPLATES = [
    '{% translate "Kwaliteitskringen" %}',
    '{% trans "Kwaliteitskringen" %}',
    '{% translate "Kwaliteitskringen" noop %}',
    '{% translate "Mei" context "maand" %}',
    '{% translate "Kwaliteitskringen" as label %}<{{ label }}>',
    '{% translate "100%% klaar & <af>" %}',
    '{% translate "Kwaliteitskringen"|upper %}',
    "{% translate word %}",
    "{% translate word context ctx %}",
]


@pytest.mark.parametrize("source", TRANSLATE_TEMPLATES)
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_translate_writes_what_djangos_tag_writes(source, language, autoescape):
    context = {"word": mark_safe("Start & <b>"), "ctx": "menu"}
    with translation.override(language):
        ours, djangos = both("{% load i18n %}" + source, context, autoescape=autoescape)
    assert ours == djangos


def test_translate_follows_the_language():
    template = engines["django"].engine.from_string('{% load i18n %}{% translate "Uitloggen" %}')
    with translation.override("nl"):
        dutch = template.render(Context())
    with translation.override("en"):
        english = template.render(Context())
    assert dutch == "Uitloggen"
    assert (
        english
        == DJANGO.from_string('{% load i18n %}{% translate "Uitloggen" %}').render(Context())
        or english == "Uitloggen"
    )
    with translation.override("nl"):
        assert template.render(Context()) == dutch


def test_only_fixed_texts_are_remembered():
    source = '{% load i18n %}{% translate "Start" %}{% translate word %}{% translate "a"|upper %}'
    remembered = nodes(source, RememberedTranslateNode)
    assert len(remembered) == 1
    assert len(nodes(source, i18n.TranslateNode)) == 3


def test_the_i18n_library_keeps_all_of_djangos_tags_and_filters():
    ours = engines["django"].engine.template_libraries["i18n"]
    assert set(ours.tags) == set(i18n.register.tags)
    assert set(ours.filters) == set(i18n.register.filters)
    source = (
        "{% load i18n %}{% get_current_language as lang %}{{ lang }} "
        "{% blocktranslate count n=2 %}één{% plural %}{{ n }} stuks{% endblocktranslate %}"
    )
    with translation.override("nl"):
        assert both(source)[0] == both(source)[1] == "nl 2 stuks"


def test_a_test_that_changes_the_languages_gets_the_texts_anew():
    remembered_tags._texts[("x",)] = "x"
    with override_settings(LANGUAGE_CODE="en"):
        assert ("x",) not in remembered_tags._texts


def test_bad_tags_still_fail_to_compile():
    with pytest.raises(TemplateSyntaxError):
        engines["django"].engine.from_string("{% load i18n %}{% translate %}")
    with pytest.raises(TemplateSyntaxError):
        engines["django"].engine.from_string("{% url %}")


@pytest.mark.django_db
def test_the_pages_use_the_remembered_tags():
    template = engines["django"].engine.get_template("base.html")
    assert isinstance(template.nodelist, NodeList)
    assert not template.nodelist.get_nodes_by_type(ExtendsNode)
    assert template.nodelist.get_nodes_by_type(RememberedURLNode)
    assert template.nodelist.get_nodes_by_type(RememberedTranslateNode)


def test_the_check_passes_over_the_portals_i18n_library_only(settings):
    backend = engines["django"]
    assert backend._check_for_template_tags_with_the_same_name() == []
    options = dict(settings.TEMPLATES[0]["OPTIONS"])
    options["libraries"] = {**options["libraries"], "static": "noloc_portal.layout"}
    other = type(backend)({"NAME": "other", "DIRS": [], "APP_DIRS": True, "OPTIONS": options})
    found = other._check_for_template_tags_with_the_same_name()
    assert [warning.id for warning in found] == ["templates.W003"]
    assert "'static'" in found[0].msg


# --- {% extends %}: the root template's blocks found once per compiled template ---------------

CHAIN = {
    "root.html": (
        "<title>{% block title %}Root{% endblock %}</title>"
        "{% block body %}<p>root body</p>{% block inner %}root inner{% endblock %}{% endblock %}"
        "{% block unused %}kept{% endblock %}"
    ),
    "middle.html": (
        "{% extends 'root.html' %}"
        "{% block body %}<main>{{ block.super }}</main>{% endblock %}"
        "{% block title %}Middle · {{ block.super }}{% endblock %}"
    ),
    "child.html": (
        "{% extends 'middle.html' %}"
        "{% block inner %}child inner {{ name }} ({{ block.super }}){% endblock %}"
    ),
    "direct.html": "{% extends 'root.html' %}{% block title %}{{ name }}{% endblock %}",
    "variable.html": "{% extends parent %}{% block title %}From {{ parent }}{% endblock %}",
}


def chain_engines() -> tuple[Engine, Engine]:
    # Cached, as in production: the parent compiled once.
    loaders = [
        (
            "django.template.loaders.cached.Loader",
            [("django.template.loaders.locmem.Loader", CHAIN)],
        )
    ]
    ours = Engine(loaders=loaders, builtins=["noloc_portal.remembered_tags"])
    return ours, Engine(loaders=loaders)


@pytest.mark.parametrize("name", ["root.html", "middle.html", "child.html", "direct.html"])
def test_extends_writes_what_djangos_tag_writes(name):
    ours, djangos = chain_engines()
    context = {"name": "<Petra>"}
    template = ours.get_template(name)
    first, second = template.render(Context(context)), template.render(Context(context))
    assert first == second == djangos.get_template(name).render(Context(context))


@pytest.mark.parametrize("parent", ["root.html", "middle.html"])
def test_extends_of_a_parent_named_by_a_variable(parent):
    ours, djangos = chain_engines()
    context = {"parent": parent}
    for _ in range(2):
        assert ours.get_template("variable.html").render(Context(context)) == djangos.get_template(
            "variable.html"
        ).render(Context(context))


def test_extends_finds_the_roots_blocks_once(monkeypatch):
    ours, _ = chain_engines()
    child = ours.get_template("direct.html")
    assert isinstance(child.nodelist[0], remembered_tags.ExtendsNode)
    child.render(Context({"name": "a"}))  # the parent compiled and its blocks kept
    walks = []
    walk = NodeList.get_nodes_by_type

    def counted(self, node_type):
        walks.append(node_type)
        return walk(self, node_type)

    monkeypatch.setattr(NodeList, "get_nodes_by_type", counted)
    assert child.render(Context({"name": "b"})) == "<title>b</title><p>root body</p>root innerkept"
    assert walks == []


def test_extends_still_fails_where_djangos_tag_does():
    ours, _ = chain_engines()
    with pytest.raises(TemplateSyntaxError):
        ours.from_string("{% if 1 %}{% endif %}{% extends 'root.html' %}")
    with pytest.raises(TemplateSyntaxError):
        ours.from_string("{% extends 'root.html' %}{% extends 'root.html' %}")
    with pytest.raises(TemplateSyntaxError):
        ours.from_string("{% extends %}")


def test_the_start_pages_follow_the_script_prefix_and_language():
    from noloc_portal.accounts.navigation import START_PAGES

    page = START_PAGES[0]
    plain = page.url
    set_script_prefix("/portaal/")
    try:
        assert page.url == "/portaal/" + plain.lstrip("/")
    finally:
        set_script_prefix("/")
    assert page.url == plain


class Keeper:
    """What ``{% remembered %}`` keeps under: a dict, counting what it writes."""

    def __init__(self):
        self.kept: dict = {}
        self.written = 0

    def remembered(self, key, work_out):
        if key not in self.kept:
            self.written += 1
            self.kept[key] = work_out()
        return self.kept[key]


FORMS = (
    "{% remembered_forms under 'offers' n %}<p>{{ n }} &amp; {{ text }}</p>"
    '<form method="post">{% csrf_token %}<button>ok</button></form>'
    "<form>{% csrf_token %}</form>{% endremembered_forms %}"
    "<nav>{% csrf_token %}</nav>"
)
# The same without remembering, for Django's own tags.
PLAIN = FORMS.replace("remembered_forms under 'offers' n", "if 1").replace(
    "endremembered_forms", "endif"
)


def test_remembered_forms_write_each_requests_token_in_the_block_written_once():
    template = engines["django"].engine.from_string(FORMS)
    under = Keeper()
    pages = [
        template.render(Context({"under": under, "n": 1, "text": "<b>", "csrf_token": token}))
        for token in ("first-token", "second-token")
    ]
    assert under.written == 1
    for page, token in zip(pages, ("first-token", "second-token"), strict=True):
        field = f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        # As Django's tags write it, with this request's token in each form.
        assert page == DJANGO.from_string(PLAIN).render(
            Context({"n": 1, "text": "<b>", "csrf_token": token})
        )
        assert page.count(field) == 3 and "\x00" not in page
    # Another value writes the block anew; no token, no field (as {% csrf_token %}).
    page = template.render(Context({"under": under, "n": 2, "text": "x"}))
    assert under.written == 2 and "csrfmiddlewaretoken" not in page


def test_remembered_forms_without_a_key_write_the_block_each_time():
    template = engines["django"].engine.from_string(FORMS)
    page = template.render(Context({"under": None, "n": 1, "text": "t", "csrf_token": "tok"}))
    assert page.count('value="tok"') == 3
