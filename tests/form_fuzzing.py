"""Fuzz the forms a page shows: read each <form> of a page, then send it back (post, or get for a
filter form) with empty, overlong, wrong-type and hostile values, one field at a time and all
fields at once.
Used by tests/test_fuzz_forms.py and tests/kwaliteitskringen/test_fuzz_forms.py."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve

OVERLONG = "x" * 100_000
HOSTILE = ["<script>alert(1)</script>", "' OR 1=1 --", "a\x00b", "²", "\u202e\ufeff𝕏"]
WRONG_TYPE = ["abc", "9999-99-99", "-1", "1e309", "99999999999999999999"]
# Dates that parse but sit far from any real meeting or course (issue 12: year 9999 broke pages).
EXTREME_DATES = ["9999-12-31", "0001-01-01", "31-12-9999"]
VALUES = ["", " ", OVERLONG, *HOSTILE, *WRONG_TYPE]
# One field at a time gets fewer values: the others stay as the page offered them, so a value
# that one field accepts reaches the code behind the form.
EACH_FIELD = ["", OVERLONG, "abc", "9999-99-99", "a\x00b", "²", "<script>alert(1)</script>"]
FREE_TEXT = [OVERLONG, "a\x00b"]
TYPED = {"date": EXTREME_DATES, "number": ["1e309", "-99999999999", "NaN"]}
# Forms not posted: they take no input and would end the session or the draft the other forms
# need; the submit and withdraw tests post them.
SKIPPED_VIEWS = {"accounts:logout", "portfolios:submit", "portfolios:withdraw"}
DESTRUCTIVE = ("delete", "remove", "revoke", "cancel", "split")


@dataclass
class Form:
    action: str
    method: str  # "post" or "get"
    fields: dict[str, str] = field(default_factory=dict)  # name -> a value the page offers
    types: dict[str, str] = field(default_factory=dict)  # name -> input type / "select" ...

    def posts(self):
        """(description, data) pairs: each value in all fields at once, then field by field (a
        free-text field only gets the overlong and the NUL value: they are handled alike)."""
        editable = [name for name, kind in self.types.items() if kind not in ("hidden", "file")]
        files = [name for name, kind in self.types.items() if kind == "file"]
        if not editable and not files:  # a button: post it once
            yield "as offered", dict(self.fields)
            return
        for value in VALUES:
            yield f"all={value[:20]!r}", {**self.fields, **dict.fromkeys(editable, value)}
        for name in editable:
            kind = self.types[name]
            values = FREE_TEXT if kind in ("text", "textarea") else EACH_FIELD + TYPED.get(kind, [])
            for value in values:
                yield f"{name}={value[:20]!r}", {**self.fields, name: value}
        for name in files:
            upload = SimpleUploadedFile("<script>\x00.pdf", b"%PDF-\x00 not a pdf")
            yield f"{name}=hostile file", {**self.fields, name: upload}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self._form = Form(action=attrs.get("action") or "", method=method)
            return
        form, name = self._form, attrs.get("name")
        if tag == "option" and form is not None and self._select is not None:
            # The selected option, else the first that is not the empty choice: the page's
            # values should make a valid post, so that one odd field reaches the code behind.
            value = attrs.get("value", "")
            if "selected" in attrs or not form.fields.get(self._select):
                form.fields[self._select] = value
            return
        if form is None or not name:
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            if kind == "checkbox" or (kind == "radio" and "checked" in attrs):
                form.fields[name] = attrs.get("value", "on")
            elif kind == "radio":
                form.fields.setdefault(name, attrs.get("value", "on"))
            elif kind != "file":
                form.fields[name] = attrs.get("value", "")
            form.types.setdefault(name, kind)
        elif tag == "select":
            self._select = name
            form.fields[name] = ""
            form.types[name] = "select"
        elif tag == "textarea":
            self._textarea = name
            form.fields[name] = ""
            form.types[name] = "textarea"

    def handle_data(self, data):
        if self._form is not None and self._textarea is not None:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


@dataclass
class PageForm:
    page: str
    target: str  # path and query the form posts to
    user: object  # who reads the page and posts; None for an anonymous visitor
    form: Form

    @property
    def ends_something(self) -> bool:
        """A delete, cancel or removal: posted last, so the other forms still find their rows."""
        return any(word in (_view_name(self.target) or "") for word in DESTRUCTIVE)


def forms_on(client, page_url: str, *, user=None) -> list[PageForm]:
    """The forms of a page as ``user`` sees it (it must answer 200)."""
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    response = client.get(page_url)
    assert response.status_code == 200, (page_url, response.status_code)
    if response.streaming:  # a download
        return []
    parser = _FormParser()
    parser.feed(response.content.decode())
    found = []
    for form in parser.forms:
        action = urlsplit(urljoin(page_url, form.action or page_url))
        target = action.path + (f"?{action.query}" if action.query else "")
        if _view_name(action.path) not in SKIPPED_VIEWS:
            found.append(PageForm(page=page_url, target=target, user=user, form=form))
    return found


def pages_still_answer(client, page_forms: list[PageForm]) -> list[str]:
    """GET every page again, now that odd values are stored: none may answer 500."""
    failures = []
    for page, user in {(f.page, f.user): None for f in page_forms}:
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        try:
            status = client.get(page).status_code
        except Exception as error:
            status = f"{type(error).__name__}: {error}"[:300]
        if isinstance(status, str) or status >= 500:
            failures.append(f"GET {page} after the fuzz: {status}")
    return failures


def fuzz(client, page_forms: list[PageForm]) -> list[str]:
    """Post every form once per fuzz value (a form of the same view and fields once, on the
    first page it was seen); return the posts that answered 500 or raised."""
    failures, seen = [], set()
    for page_form in sorted(page_forms, key=lambda f: f.ends_something):
        form = page_form.form
        key = (_view_name(page_form.target), form.method, tuple(sorted(form.types)))
        if key in seen:
            continue
        seen.add(key)
        if page_form.user is None:
            client.logout()
        else:
            client.force_login(page_form.user)
        send = client.post if form.method == "post" else client.get
        for description, data in form.posts():
            try:
                status = send(page_form.target, data).status_code
            except Exception as error:  # the test client re-raises what a view raised
                status = f"{type(error).__name__}: {error}"[:300]
            if isinstance(status, str) or status >= 500:
                failures.append(
                    f"{page_form.page} -> {form.method} {page_form.target} {description}: {status}"
                )
    return failures
