from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from assessments import supplement_selectors
from assessments.diff import document_diff
from assessments.models import AssessmentRound
from assessments.permissions import (
    can_see_round_changes,
    is_assessor,
    is_certification_coordinator,
)
from assessments.selectors import assignments_of, portfolios_for_certification
from portfolios.models import PortfolioState


@login_required
def assigned(request):
    if not is_assessor(request.user):
        raise Http404
    return render(
        request, "assessments/assigned.html", {"assignments": assignments_of(request.user)}
    )


@login_required
def certification(request):
    if not is_certification_coordinator(request.user):
        raise Http404
    return render(
        request,
        "assessments/certification.html",
        {"portfolios": portfolios_for_certification()},
    )


# --- supplement rounds: what changed since the previous round --------------------------------


@login_required
def supplement_diff(request, pk):
    """Per section and per item, the round's submission beside the previous round's."""
    round = get_object_or_404(
        AssessmentRound.objects.select_related("portfolio__owner", "submission"), pk=pk
    )
    if not can_see_round_changes(request.user, round):
        raise Http404
    previous = (
        round.portfolio.rounds.filter(number__lt=round.number)
        .select_related("submission")
        .order_by("-number")
        .first()
    )
    if previous is None:
        raise Http404
    old = previous.submission.document if previous.submission else None
    new = round.submission.document if round.submission else None
    sections = document_diff(round.portfolio.framework, old, new)
    return render(
        request,
        "assessments/supplement/diff.html",
        {
            "round": round,
            "previous": previous,
            "portfolio": round.portfolio,
            "sections": sections,
            "changed_count": sum(section.changed for section in sections),
            "perms_assessor": is_assessor(request.user),
            "perms_coordinator": is_certification_coordinator(request.user),
        },
    )


def overview_notice(*, request, portfolio, place) -> str:
    """At the top of the portfolio overview (portfolios.hooks.on_overview_notice): the owner's
    status card; for those who may read the current round's changes, a link to them. On a
    section page only the owner's banner of a supplement round: what was asked, by when."""
    if place == "section":
        if (
            portfolio.owner_id != request.user.pk
            or portfolio.state != PortfolioState.SUPPLEMENT_REQUESTED
        ):
            return ""
        context = supplement_selectors.owner_status(portfolio)
        return render_to_string(
            "assessments/supplement/section_banner.html", context, request=request
        )
    if portfolio.owner_id == request.user.pk:
        context = supplement_selectors.owner_status(portfolio)
        if context is None:
            return ""
        template = "assessments/supplement/owner_status.html"
        return render_to_string(template, context, request=request)
    latest = portfolio.rounds.order_by("-number").first()
    if latest is None or latest.number == 1 or not can_see_round_changes(request.user, latest):
        return ""
    return render_to_string(
        "assessments/supplement/changes_notice.html", {"round": latest}, request=request
    )
