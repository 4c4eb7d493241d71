"""The public register at /register/ and the pages of one's own registrations beside it."""

from django.urls import path

from assessments import register_views

app_name = "register"

urlpatterns = [
    path("", register_views.search, name="search"),
    path("<uuid:public_id>/", register_views.entry, name="entry"),
    path("mijn-vermelding/", register_views.listing, name="listing"),
    path("certificaat/<int:pk>/", register_views.certificate, name="certificate"),
]
