"""Template tags of the site layout (``{% load layout %}``, registered in settings.TEMPLATES).

``{% once "name" %}…{% endonce %}`` renders its content the first time and then reuses the text
in this process, per language and URL prefix. Only for parts that depend on nothing of the
request or the person: static file links, fixed links and labels. Every page carries such parts
of base.html, and rendering them again for every request was a good part of a page's cost.

``{% account_menu %}…{% endaccount_menu %}`` keeps the menu of a logged-in person: what it
writes depends on who they are (their id, name and e-mail address, staff or not, second step
passed or not), the start pages of their roles, the section of the site the page is in, the
language and the URL prefix, and on nothing else but the form token of its log-out button. The
page frame cost 1.9 million instructions beside its content (1.4 million since), most of it
that menu: each ``user.…`` looked up by the template engine raises and catches an error on the
lazy user before it finds the attribute."""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from noloc_portal.html import escape, with_token
from noloc_portal.remembered_tags import written_with_token_place
from noloc_portal.remembering import Remembered

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


# Menus kept per process (the least recently used goes first): a person has one per section
# of the site they visit, about two kilobytes each.
MENUS = Remembered(4096)


class AccountMenuNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist

    def render(self, context) -> SafeString:
        key = _menu_key(context)
        if key is None:
            return self.nodelist.render(context)
        written = MENUS.get(key)
        if written is None:
            written = written_with_token_place(self.nodelist, context)
            MENUS.keep(key, written)
        return with_token(written, context.get("csrf_token"))


def _menu_key(context) -> tuple | None:
    """All the menu shows depends on; None for a visitor who is not logged in, or a context
    without a request (the menu is then written as usual)."""
    request, user = context.get("request"), context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return None
    verified = getattr(user, "is_verified", None)
    return (
        user.pk,
        user.full_name,
        user.email,
        user.is_staff,
        bool(verified and verified()),
        tuple(page.url_name for page in context.get("start_pages", ())),
        # start_page_links marks the link whose first eight characters are the page's.
        request.path[:8],
        get_language(),
        get_script_prefix(),
    )


@register.tag
def account_menu(parser, token):
    """``{% account_menu %}…{% endaccount_menu %}``: the menu of a logged-in person, kept."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("account_menu takes no arguments")
    nodelist = parser.parse(("endaccount_menu",))
    parser.delete_first_token()
    return AccountMenuNode(nodelist)
