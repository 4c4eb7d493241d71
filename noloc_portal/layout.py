"""Template tags of the site layout (``{% load layout %}``, registered in settings.TEMPLATES).

``{% once "name" %}…{% endonce %}`` renders its content the first time and then reuses the text
in this process, per language and URL prefix. Only for parts that depend on nothing of the
request or the person: static file links, fixed links and labels. Every page carries such parts
of base.html, and rendering them again for every request was a good part of a page's cost."""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from noloc_portal.html import escape

register = template.Library()

_rendered: dict[tuple, SafeString] = {}


class OnceNode(template.Node):
    def __init__(self, key: tuple, nodelist: template.NodeList):
        self.key = key
        self.nodelist = nodelist

    def render(self, context) -> SafeString:
        key = (*self.key, get_language(), get_script_prefix())
        text = _rendered.get(key)
        if text is None:
            text = _rendered[key] = self.nodelist.render(context)
        return text


@register.tag
def once(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('usage: {% once "name" %}…{% endonce %}')
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode((parser.origin.name, bits[1][1:-1]), nodelist)


@register.simple_tag
def start_page_links(start_pages, path: str) -> SafeString:
    """The main menu's link to each start page of the person's roles, the one whose section the
    page is in marked: what base.html's loop wrote (a link is current when its first eight
    characters are the page's)."""
    links = []
    for page in start_pages:
        url = page.url
        current = " active" if path[:8] == url[:8] else ""
        links.append(
            f'\n        <li class="nav-item"><a class="nav-link{current}" href="{escape(url)}">'
            f"{escape(page.label)}</a></li>\n        "
        )
    return SafeString("".join(links))  # nosec B703: every value escaped
