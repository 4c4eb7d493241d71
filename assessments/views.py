from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from assessments.permissions import is_assessor, is_certification_coordinator
from assessments.selectors import assignments_of, portfolios_for_certification


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
