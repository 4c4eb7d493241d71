from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from noloc_portal.accounts.api_views import obtain_expiring_auth_token

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script from a URL of its own instead of inline, so the
    # docs page runs under the site-wide Content-Security-Policy.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("auth/token/", obtain_expiring_auth_token, name="api-token"),
    path("", include("portfolios.api.urls")),
]
