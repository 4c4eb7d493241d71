"""The portfolio pages: the shared ones here, each framework's own from its package (all under
the ``portfolios`` namespace, so a URL name says the page, not where its code lives)."""

from django.urls import path

from portfolios import registry, views
from portfolios.views_exchange import bundle_download

app_name = "portfolios"

urlpatterns = [
    path("", views.portfolio_list, name="list"),
    path("nieuw/", views.portfolio_new, name="new"),
    path("<int:pk>/", views.portfolio_detail, name="detail"),
    path("<int:pk>/indienen/", views.submit, name="submit"),
    path("<int:pk>/intrekken/", views.withdraw, name="withdraw"),
    path("<int:pk>/bundel/", bundle_download, name="bundle"),
]
for framework in registry.frameworks():
    urlpatterns += framework.urlpatterns
