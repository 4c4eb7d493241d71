"""The pages the benchmark measures, found in whatever data set the database holds (the demo
data or the scale data of ``benchmarks/scale.py``), and a logged-in session for each persona."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.urls import reverse

BARE = "/bench/bare/"


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    persona: str  # e-mail address of the user, "" for anonymous
    kind: str  # "page", "list" or "public": the target is 10x (page) or 5x (list, public);
    # "reference" rows are measured for comparison and have no target


def session_cookie(user) -> str:
    """A session as a user has after logging in, both steps where the role needs two."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from noloc_portal.accounts.otp import DEVICE_NAME, mfa_required, totp_device
    from noloc_portal.accounts.session_user import SESSION_BACKEND

    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = SESSION_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if mfa_required(user):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = totp_device(user) or TOTPDevice.objects.create(
            user=user, name=DEVICE_NAME, confirmed=True
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def find_pages() -> list[Page]:
    """Every measured page with the persona that sees it, from the data in the database: the
    newest draft of each framework (at scale: the one with the most activities), the biggest
    circle, the certification coordinator and the busiest assessor."""
    from django.db.models import Count

    from assessments.models import Assignment
    from kwaliteitskringen.models import CURRENT_STATES, Circle, Membership
    from noloc_portal.accounts.models import Role, User
    from portfolios.models import Portfolio

    pages = [
        Page("bare Django view", BARE, "", "public"),
        Page("/healthz", "/healthz", "", "public"),
    ]
    drafts = Portfolio.objects.filter(state="draft").select_related("owner").order_by("-pk")
    jobcoach = drafts.filter(framework="jobcoach-recertification").first()
    if jobcoach:
        owner, pk = jobcoach.owner.email, jobcoach.pk
        pages += [
            # What being logged in costs before a page does anything: no target of its own.
            Page("bare view, logged in", BARE, owner, "reference"),
            Page("portfolio list", reverse("portfolios:list"), owner, "list"),
            Page("portfolio overview", reverse("portfolios:detail", args=[pk]), owner, "page"),
            Page("PE register", reverse("portfolios:pe", args=[pk]), owner, "list"),
            Page("API portfolio list", "/api/v1/portfolios/", owner, "list"),
            Page("API evaluation", f"/api/v1/portfolios/{pk}/evaluation/", owner, "page"),
        ]
    loopbaan = drafts.filter(framework="loopbaanprofessional-initial").first()
    if loopbaan:
        owner, pk = loopbaan.owner.email, loopbaan.pk
        pages += [
            Page("Loopbaan overview", reverse("portfolios:detail", args=[pk]), owner, "page"),
            Page("Loopbaan cases", reverse("portfolios:lp_cases", args=[pk]), owner, "page"),
        ]
    coordinator = User.objects.filter(role_grants__role=Role.CERTIFICATION_COORDINATOR).first()
    if coordinator:
        url = reverse("assessments:certification")
        pages.append(Page("certification list", url, coordinator.email, "list"))
    busiest = (
        Assignment.objects.values("assessor__email").annotate(n=Count("pk")).order_by("-n").first()
    )
    if busiest:
        url = reverse("assessments:assigned")
        pages.append(Page("assessor list", url, busiest["assessor__email"], "list"))
    pages.append(
        Page("circle list (public)", reverse("kwaliteitskringen:public_list"), "", "public")
    )
    circle = (
        Circle.objects.annotate(members=Count("memberships"))
        .select_related("coordinator")
        .order_by("-members", "pk")
        .first()
    )
    if circle:
        member = (
            Membership.objects.filter(circle=circle, state__in=CURRENT_STATES)
            .exclude(member=circle.coordinator)
            .select_related("member")
            .first()
        )
        if member:
            url = reverse("kwaliteitskringen:circle", args=[circle.pk])
            pages.append(Page("circle page (member)", url, member.member.email, "page"))
        for tab in ("members", "meetings", "signals"):
            url = reverse(f"kwaliteitskringen:manage_{tab}", args=[circle.pk])
            pages.append(Page(f"coordinator {tab} tab", url, circle.coordinator.email, "page"))
    return pages
