import pytest
from django.db import connections
from django.test.client import ClientMixin

from tests.factories import Role, user_with
from tests.mfa import code_for_secret, force_login_with_second_step


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_step(monkeypatch):
    """Assessors, coordinators and staff need two-factor authentication. A test that calls
    `force_login` stands for a person who passed both login steps, so their session is marked
    verified with an enrolled authenticator. Tests of the login itself post the real forms
    (tests/foundation/test_mfa.py)."""
    monkeypatch.setattr(ClientMixin, "force_login", force_login_with_second_step)


@pytest.fixture(autouse=True)
def _circle_figures_forgotten():
    """Each test starts without circle figures remembered by an earlier one
    (kwaliteitskringen.revisions)."""
    from kwaliteitskringen import revisions

    revisions.remembered.clear()
    yield
    revisions.remembered.clear()


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


def log_in(page, base_url: str, email: str, password: str, *, confirm: bool = True) -> None:
    """Log in through the pages. A person whose role needs two-factor authentication and who has
    no app yet goes through the set-up as a person would: the key typed over from the page.

    With ``confirm`` the person answers OK to every question the portal asks before an action
    that cannot be undone (Playwright would otherwise dismiss it); a test of those questions
    passes ``confirm=False`` and handles the dialogs itself."""
    if confirm:
        page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/tweestaps/instellen/" in page.url:
        secret = page.locator("[data-totp-secret]").inner_text()
        page.get_by_label("Code").fill(code_for_secret(secret))
        page.get_by_role("button", name="Bevestigen").click()
        page.get_by_role("link", name="Ik heb ze bewaard, ga verder").click()
