from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kwaliteitskringen.models import Circle


@login_required
def mine(request):
    circles = Circle.objects.filter(coordinator=request.user)
    return render(request, "kwaliteitskringen/mine.html", {"circles": circles})


def public_list(request):
    circles = Circle.objects.order_by("region", "name")
    return render(request, "kwaliteitskringen/public_list.html", {"circles": circles})
