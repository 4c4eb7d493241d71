from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assigned, name="assigned"),
    path("certificering/", views.certification, name="certification"),
]

# --- assessor: declaration and judging (AS-2, AS-3) ---
urlpatterns += [
    path("toewijzing/<int:pk>/", views.assignment, name="assignment"),
    path("toewijzing/<int:pk>/beoordelen/", views.judge, name="judge"),
]
