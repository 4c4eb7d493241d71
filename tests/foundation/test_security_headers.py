"""Content-Security-Policy and Permissions-Policy on every page, and nothing inline that the policy
would block: no inline script, event handler, javascript: URL, <style> block or style attribute,
neither in the templates nor in the pages they render."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from assessments.models import AssessmentRound
from kwaliteitskringen.models import AnnualReport, ReportState
from portfolios.models import PortfolioState
from tests.conftest import log_in
from tests.factories import PASSWORD, Role, user_with
from tests.kwaliteitskringen.factories import CircleFactory, MeetingFactory, MembershipFactory
from tests.portfolios.factories import PortfolioFactory
from tests.test_permission_matrix import LOGGED_IN, world  # noqa: F401  (the matrix's fixture)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
DJANGO_COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.S)
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' blocks, as `tag: what` strings."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value or "" for name, value in attrs}
        if tag == "script" and "src" not in names and names.get("type") not in DATA_SCRIPT_TYPES:
            self.found.append("script: inline")
        if tag == "style":
            self.found.append("style: block")
        for name, value in names.items():
            if name.startswith("on"):
                self.found.append(f"{tag}: {name}=")
            elif name == "style":
                self.found.append(f"{tag}: style=")
            elif name in ("href", "src", "action") and value.strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"{tag}: {name}=javascript:")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(DJANGO_COMMENT.sub("", html))
    parser.close()
    return parser.found


def is_style(problem: str) -> bool:
    return problem == "style: block" or problem.endswith(": style=")


def assert_secure_headers(response, where: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, where
    assert "style-src 'self'" in policy, where
    assert "unsafe-inline" not in policy, where
    assert "unsafe-eval" not in policy, where
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), where
    if response.get("Content-Type", "").startswith("text/html"):
        found = inline_code(response.content.decode())
        assert not found, f"{where}: {found}"


def test_the_parser_sees_each_kind_of_inline_code():
    page = """<script>alert(1)</script><script src="/a.js"></script>
    <script type="application/json" id="data">{}</script><style>p {}</style>
    <form onsubmit="return confirm('x')"><button onclick=go() style="top:1rem">
    <a href="javascript:go()">{# <script>commented out</script> #}</a></form>"""
    assert inline_code(page) == [
        "script: inline",
        "style: block",
        "form: onsubmit=",
        "button: onclick=",
        "button: style=",
        "a: href=javascript:",
    ]


def test_no_template_has_an_inline_script_or_event_handler():
    found = {
        str(path.relative_to(ROOT)): problems
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (problems := [p for p in inline_code(path.read_text()) if not is_style(p)])
    }
    assert not found, found


def test_no_page_template_has_a_style_attribute_or_block():
    # PDF templates are rendered by WeasyPrint, never served to a browser: their <style> stays.
    found = {
        str(path.relative_to(ROOT)): problems
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "pdf" not in path.relative_to(TEMPLATES).parts[:-1]
        if (problems := [p for p in inline_code(path.read_text()) if is_style(p)])
    }
    assert not found, found


@pytest.mark.django_db
def test_every_portal_page_has_the_policies_and_nothing_inline(client, world):  # noqa: F811
    people, targets = world
    for key, (args, allowed) in targets.items():
        url = reverse(key.split("#")[0], args=args)
        persona = next((p for p in LOGGED_IN if allowed.get(p) == 200), None)
        client.logout()
        if persona:
            client.force_login(getattr(people, persona))
        assert_secure_headers(client.get(url), f"{key} as {persona or 'anonymous'}")
    # Refusals carry the policies too: a 404 for an outsider, the login redirect for anonymous.
    client.force_login(people.other_professional)
    refused = client.get(reverse("portfolios:detail", args=[targets["portfolios:detail"][0][0]]))
    assert refused.status_code == 404
    assert_secure_headers(refused, "404")
    client.logout()
    assert_secure_headers(client.get(reverse("portfolios:list")), "login redirect")


@pytest.mark.django_db
def test_quality_circle_pages_have_the_policies_and_nothing_inline(client):
    coordinator = user_with(Role.CIRCLE_COORDINATOR)
    circle = CircleFactory(coordinator=coordinator)
    MembershipFactory(circle=circle, member=user_with(Role.PROFESSIONAL), year=2026)
    meeting = MeetingFactory(circle=circle)
    report = AnnualReport.objects.create(circle=circle, year=2025, state=ReportState.PUBLISHED)
    assert_secure_headers(client.get(reverse("kwaliteitskringen:public_list")), "public list")
    assert_secure_headers(
        client.get(reverse("kwaliteitskringen:annual_report", args=[report.pk])), "annual report"
    )
    client.force_login(coordinator)
    for name, args in [
        ("mine", []),
        ("circle", [circle.pk]),
        ("meeting", [meeting.pk]),
        ("manage_members", [circle.pk]),
        ("manage_meetings", [circle.pk]),
        ("meeting_edit", [meeting.pk]),
        ("manage_annual_report", [circle.pk]),
        ("manage_subsidy", [circle.pk]),
    ]:
        response = client.get(reverse(f"kwaliteitskringen:{name}", args=args))
        assert response.status_code == 200, name
        assert_secure_headers(response, name)


@pytest.mark.django_db
def test_admin_pages_have_the_policies_and_nothing_inline(client, staff):
    client.force_login(staff)
    round_ = AssessmentRound.objects.create(portfolio=PortfolioFactory(), number=1)
    pages = [
        reverse("admin:index"),
        reverse("admin:assessments_assessmentround_change", args=[round_.pk]),
    ]
    for model in admin.site._registry:
        opts = model._meta
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 403), url  # 403: models without an add page
        assert_secure_headers(response, url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_the_moved_scripts_work_and_nothing_is_blocked(live_server, browser):
    owner = user_with(Role.PROFESSIONAL, email="petra@example.org")
    portfolio = PortfolioFactory(owner=owner)
    page = browser.new_page()
    page.set_default_timeout(15000)
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, live_server.url, "petra@example.org", PASSWORD, confirm=False)
    page.goto(f"{live_server.url}{reverse('portfolios:detail', args=[portfolio.pk])}")

    # The progress bars get their width from data-percent (portal.js), not a style attribute.
    widths = page.eval_on_selector_all(
        ".progress-bar[data-percent]", "bars => bars.map(b => [b.dataset.percent, b.style.width])"
    )
    assert widths
    assert all(width == f"{percent}%" for percent, width in widths), widths

    # The confirmation moved from onsubmit= to data-confirm: cancelling keeps the portfolio.
    questions = []

    def cancel(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    page.get_by_role("button", name="Portfolio intrekken").click()
    assert questions == ["Weet je zeker dat je dit portfolio wilt intrekken?"]
    portfolio.refresh_from_db()
    assert portfolio.state == PortfolioState.DRAFT

    # The API docs (Swagger UI) run under the same policy.
    page.goto(f"{live_server.url}{reverse('api-docs')}")
    page.locator(".swagger-ui .info .title").wait_for()
    assert not blocked, blocked
