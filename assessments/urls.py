from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assigned, name="assigned"),
    # coordinator: queue, assignment, decision, audit trail
    path("certificering/", views.certification, name="certification"),
    path(
        "certificering/<int:pk>/",
        views.certification_portfolio,
        name="certification_portfolio",
    ),
    path(
        "certificering/<int:pk>/toewijzen/",
        views.certification_assign,
        name="certification_assign",
    ),
    path(
        "certificering/<int:pk>/besluit/",
        views.certification_decide,
        name="certification_decide",
    ),
    path(
        "certificering/<int:pk>/logboek/",
        views.certification_audit,
        name="certification_audit",
    ),
]

# --- assessor: declaration and judging (AS-2, AS-3) ---
urlpatterns += [
    path("toewijzing/<int:pk>/", views.assignment, name="assignment"),
    path("toewijzing/<int:pk>/beoordelen/", views.judge, name="judge"),
]
