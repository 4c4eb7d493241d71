"""The project's URLs plus a minimal view: the yardstick every page is measured against."""

from django.http import HttpResponse
from django.urls import path

from noloc_portal.urls import urlpatterns as project_urlpatterns


def bare(request):
    """Through the whole middleware stack, with no template and no query of its own."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]
