from django.urls import path

from noloc_portal.pdf import views

app_name = "pdf"

urlpatterns = [
    path("<int:pk>/", views.download, name="download"),
    path("<int:pk>/status/", views.status, name="status"),
]
