from django.urls import path

from noloc_portal.documents import views

app_name = "documents"

urlpatterns = [
    path("<uuid:uuid>/", views.download, name="download"),
    path("<uuid:uuid>/bekijken/", views.inline, name="inline"),
]
