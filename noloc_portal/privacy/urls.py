from django.urls import path

from noloc_portal.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("download/", views.export_request, name="export_request"),
    path("download/<uuid:key>/status/", views.export_status, name="export_status"),
    path("download/<uuid:key>/", views.export_download, name="export_download"),
    path("verwijderen/", views.removal_request, name="removal_request"),
    path("verwijderen/<int:pk>/intrekken/", views.removal_withdraw, name="removal_withdraw"),
]
