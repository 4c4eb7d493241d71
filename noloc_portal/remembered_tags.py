"""``{% url %}`` and ``{% translate %}`` as Django writes them, with the result remembered in
this process.

A ``{% url %}`` costs 25 µs (``reverse`` walks the resolver and asks three thread-locals), a
``{% translate "…" %}`` of a fixed text 10 µs (a lazy string made, translated, escaped); a page
has tens of each, together a sixth of a portfolio page. Their results depend on nothing but
what is keyed here, so they are worked out once:

- a URL by view name, arguments, current application, URL configuration, script prefix and
  language, only when every argument is a whole number or text (anything else, a model instance
  say, goes to Django's tag unchanged); at most ``MAX_URLS`` kept;
- a fixed text by its words, context, ``noop``, language and autoescaping (a text taken from a
  variable, or with filters, goes to Django's tag unchanged).

``{% remembered under "name" value … %}…{% endremembered %}`` keeps what a block writes under
a key whose every write to the rows it shows makes a new one (below).

``{% extends %}`` as Django's, with the blocks of the page at the root of the chain (``base.html``)
found once per compiled template rather than by walking its whole tree on every render (a
twentieth of a small page).

``url`` and ``extends`` replace Django's built-in tags (``TEMPLATES["OPTIONS"]["builtins"]``) and
``noloc_portal.i18n_tags`` stands in for ``{% load i18n %}`` (``TEMPLATES["OPTIONS"]
["libraries"]``), so templates keep writing the tags they know."""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaulttags, loader_tags
from django.template.base import FilterExpression, TextNode, Variable
from django.templatetags.i18n import TranslateNode, do_translate
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from noloc_portal.html import LANGUAGE_SETTINGS, TOKEN_PLACE, csrf_input, with_token

register = template.Library()

MAX_URLS = 10_000

_urls: dict[tuple, str] = {}
_texts: dict[tuple, str] = {}


def _plain(value) -> bool:
    """A value whose URL text is its ``str()`` and that compares like it: a whole number or text."""
    return type(value) is int or isinstance(value, str)


def _remember_url(key: tuple, url: str) -> None:
    if len(_urls) >= MAX_URLS:
        _urls.clear()
    _urls[key] = url


def remembered_reverse(view_name: str, args: tuple = ()) -> str:
    """``reverse(view_name, args=args)``, remembered as ``{% url %}`` is when every argument is
    a whole number or text."""
    if not all(map(_plain, args)):
        return reverse(view_name, args=args)
    key = (view_name, tuple(args), (), None, get_urlconf(), get_script_prefix(), get_language())
    url = _urls.get(key)
    if url is None:
        url = reverse(view_name, args=args)
        _remember_url(key, url)
    return url


class RememberedURLNode(defaulttags.URLNode):
    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        if not (all(map(_plain, args)) and all(map(_plain, kwargs.values()))):
            return super().render(context)
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        key = (
            view_name,
            tuple(args),
            tuple(kwargs.items()),
            current_app,
            get_urlconf(),
            get_script_prefix(),
            get_language(),
        )
        url = _urls.get(key)
        if url is None:
            try:
                url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
            except NoReverseMatch:
                if self.asvar is None:
                    raise
                url = ""
            else:
                _remember_url(key, url)
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


class ExtendsNode(loader_tags.ExtendsNode):
    """Django's ``ExtendsNode.render`` (5.2), but for the blocks of a root template, which are
    the same on every render of one compiled template and are kept on it."""

    def render(self, context):
        compiled_parent = self.get_parent(context)
        if loader_tags.BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[loader_tags.BLOCK_CONTEXT_KEY] = loader_tags.BlockContext()
        block_context = context.render_context[loader_tags.BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        # A parent that extends no other is the root: its blocks go in too.
        for node in compiled_parent.nodelist:
            if not isinstance(node, TextNode):
                if not isinstance(node, loader_tags.ExtendsNode):
                    block_context.add_blocks(_root_blocks(compiled_parent))
                break
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


def _root_blocks(compiled) -> dict[str, loader_tags.BlockNode]:
    """The blocks of a compiled root template by name, found once per compiled template
    (``add_blocks`` copies them into its own lists and changes nothing here)."""
    try:
        return compiled.noloc_root_blocks
    except AttributeError:
        blocks = {
            node.name: node for node in compiled.nodelist.get_nodes_by_type(loader_tags.BlockNode)
        }
        compiled.noloc_root_blocks = blocks
        return blocks


@register.tag
def extends(parser, token):
    node = loader_tags.do_extends(parser, token)
    remembering = ExtendsNode.__new__(ExtendsNode)
    remembering.__dict__.update(node.__dict__)
    return remembering


def _fixed(expression: FilterExpression | None) -> bool:
    """A tag argument that is the same on every render: a literal without filters."""
    if expression is None:
        return True
    if expression.filters:
        return False
    var = expression.var
    return not isinstance(var, Variable) or var.lookups is None


def _literal(expression: FilterExpression | None):
    if expression is None:
        return None
    var = expression.var
    return var.literal if isinstance(var, Variable) else var


class RememberedTranslateNode(TranslateNode):
    """``{% translate "fixed text" %}``."""

    def render(self, context):
        key = (self.text_key, get_language(), context.autoescape)
        text = _texts.get(key)
        if text is None:
            text = super().render(context)
            if self.asvar:
                text = context[self.asvar]
            _texts[key] = text
        elif self.asvar:
            context[self.asvar] = text
        if self.asvar:
            return ""
        return text


def translate(parser, token):
    node = do_translate(parser, token)
    if not (_fixed(node.filter_expression) and _fixed(node.message_context)):
        return node
    remembered = RememberedTranslateNode.__new__(RememberedTranslateNode)
    remembered.__dict__.update(node.__dict__)
    remembered.text_key = (
        _literal(node.filter_expression),
        _literal(node.message_context),
        node.noop,
    )
    return remembered


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    """A test that changes the URLs, the languages or the catalogues gets URLs and texts anew."""
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _urls.clear()
    if setting in LANGUAGE_SETTINGS:
        _texts.clear()
        _urls.clear()


class RememberedNode(template.Node):
    kind = "html"  # the first part of the key: what kind of block is kept

    def __init__(self, nodelist, under, name: str, parts) -> None:
        self.nodelist = nodelist
        self.under = under
        self.name = name
        self.parts = parts

    def render(self, context) -> str:
        under = self.under.resolve(context)
        if not under:  # None, or not in the context
            return self.nodelist.render(context)
        return under.remembered(self.key(context), lambda: self.nodelist.render(context))

    def key(self, context) -> tuple:
        return (self.kind, self.name, *(part.resolve(context) for part in self.parts))


@register.tag
def remembered(parser, token) -> RememberedNode:
    """``{% remembered under "name" value ... %}…{% endremembered %}``: what the block writes,
    remembered ``under`` a key that changes with every write to the rows the block shows (its
    ``remembered(key, work_out)``: a circle's revision, ``kwaliteitskringen.revisions``; the key
    of a portfolio's verdict, ``portfolios.remembered``), the block's name and the values;
    written anew where there is none (``None``, or a key that keeps nothing). The values name
    all the block depends on beyond those rows: the page, the day, the visitor's rights. Nothing
    that differs per request goes inside; a block with forms is ``{% remembered_forms %}``."""
    return _remembered(parser, token, RememberedNode)


class RememberedFormsNode(RememberedNode):
    """:class:`RememberedNode` for a block with forms: written with a stand-in for the form
    token (``TOKEN_PLACE``), which this request's token replaces each time it is shown."""

    kind = "html with forms"

    def render(self, context) -> str:
        under = self.under.resolve(context)
        if not under:
            return self.nodelist.render(context)
        written = under.remembered(self.key(context), lambda: self._written(context))
        # The block's own output, escaped as it was written.
        return with_token(written, context.get("csrf_token"))

    def _written(self, context) -> str:
        return written_with_token_place(self.nodelist, context)


def written_with_token_place(nodelist, context) -> str:
    """What ``nodelist`` writes, with ``TOKEN_PLACE`` where its forms' token goes (put in by
    :func:`noloc_portal.html.with_token` each time the HTML is shown)."""
    with context.push(csrf_token=TOKEN_PLACE):
        html = nodelist.render(context)
    return html.replace(csrf_input(TOKEN_PLACE), TOKEN_PLACE)


@register.tag
def remembered_forms(parser, token) -> RememberedFormsNode:
    """``{% remembered_forms under "name" value ... %}…{% endremembered_forms %}``:
    ``{% remembered %}`` for a block whose forms carry the CSRF token."""
    return _remembered(parser, token, RememberedFormsNode)


def _remembered(parser, token, node_class):
    bits = token.split_contents()
    if len(bits) < 3 or bits[2][0] not in "'\"" or bits[2][0] != bits[2][-1]:
        raise template.TemplateSyntaxError(
            "remembered takes what to remember under, a quoted name and the values it depends on"
        )
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return node_class(
        nodelist,
        parser.compile_filter(bits[1]),
        bits[2][1:-1],
        [parser.compile_filter(bit) for bit in bits[3:]],
    )
