"""An id in a URL that no database column can hold (digits beyond 64 bits) is a page that does
not exist: 404 for every URL with a number in it, as staff and as a professional, never a 500.
The pages read their rows through precompiled queries (noloc_portal/prepared.py), which hand such
a number to the ORM instead of the database."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import Role, user_with

pytestmark = pytest.mark.django_db

HUGE = 10**20


def numbered_urls(resolver=None, prefix: str = "") -> list[str]:
    """Every URL pattern with a number converter, the numbers filled with HUGE."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += numbered_urls(entry, prefix + route)
        elif isinstance(entry, URLPattern) and "<int:" in prefix + route:
            path = (prefix + route).lstrip("^").rstrip("$")
            if "<" in path.replace("<int:", ""):
                continue  # another converter too: not a plain numbered page
            found.append("/" + _filled(path))
    return sorted(set(found))


def _filled(path: str) -> str:
    while "<int:" in path:
        start = path.index("<int:")
        path = path[:start] + str(HUGE) + path[path.index(">", start) + 1 :]
    return path


def test_there_are_numbered_pages_to_try():
    assert len(numbered_urls()) > 40


@pytest.mark.parametrize("persona", ["staff", "professional"])
def test_an_id_beyond_any_column_is_not_found(client, persona):
    if persona == "staff":
        user = user_with(Role.SECRETARIAT, Role.CERTIFICATION_COORDINATOR, is_staff=True)
    else:
        user = user_with(Role.PROFESSIONAL)
    client.force_login(user)
    answers = {url: client.get(url).status_code for url in numbered_urls()}
    assert not {url: code for url, code in answers.items() if code >= 500}
    assert set(answers.values()) <= {302, 403, 404, 405}, answers
    assert list(answers.values()).count(404) > len(answers) / 2
