from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assigned, name="assigned"),
    path("certificering/", views.certification, name="certification"),
    # --- supplement rounds ---
    path("ronde/<int:pk>/wijzigingen/", views.supplement_diff, name="supplement_diff"),
]
