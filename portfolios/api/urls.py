from django.urls import path
from rest_framework.routers import SimpleRouter

from portfolios.api.views import EvaluateView, PortfolioViewSet

router = SimpleRouter()
router.register("portfolios", PortfolioViewSet, basename="api-portfolio")

urlpatterns = [
    path("evaluate/", EvaluateView.as_view(), name="api-evaluate"),
    *router.urls,
]
