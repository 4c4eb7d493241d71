import pytest
from django.db import connections

from tests.factories import Role, user_with


@pytest.fixture
def professional(db):
    return user_with(Role.PROFESSIONAL)


@pytest.fixture
def other_professional(db):
    return user_with(Role.PROFESSIONAL)


@pytest.fixture
def assessor(db):
    return user_with(Role.ASSESSOR)


@pytest.fixture
def certification_coordinator(db):
    return user_with(Role.CERTIFICATION_COORDINATOR)


@pytest.fixture
def circle_coordinator(db):
    return user_with(Role.CIRCLE_COORDINATOR)


@pytest.fixture
def staff(db):
    return user_with(Role.SECRETARIAT, is_staff=True, is_superuser=True)


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def browser(monkeypatch):
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    import os

    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists("/usr/bin/chromium"):
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test and the
    # live server must be allowed next to it. Set per test so it does not leak elsewhere.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # ORM calls made while Playwright's loop runs get a connection of their own; close it
        # so the test database can be dropped at the end of the run.
        connections.close_all()


def log_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.locator("main button[type=submit]").click()
