from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from noloc_portal import views
from noloc_portal.accounts import views as account_views

admin.site.site_header = _("Noloc certificering – beheer")
admin.site.site_title = _("Noloc beheer")
admin.site.index_title = _("Beheer")

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/mijn-gegevens/", include("noloc_portal.privacy.urls")),
    path("accounts/", include("noloc_portal.accounts.urls")),
    path("portfolios/", include("portfolios.urls")),
    path("beoordelingen/", include("assessments.urls")),
    path("kwaliteitskringen/", include("kwaliteitskringen.urls")),
    path("documenten/", include("noloc_portal.documents.urls")),
    path("rapporten/", include("noloc_portal.pdf.urls")),
    path("api/v1/", include("noloc_portal.api_urls")),
    path("admin/", admin.site.urls),
]
