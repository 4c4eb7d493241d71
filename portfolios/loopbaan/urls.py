"""Register Loopbaanprofessional pages (LP-A … LP-E), included in the ``portfolios`` namespace."""

from django.urls import path

from portfolios.loopbaan import views

urlpatterns = [
    path("<int:pk>/loopbaan/opleiding/", views.education, name="lp_education"),
    path(
        "<int:pk>/loopbaan/opleiding/cursussen/nieuw/",
        views.course_new,
        name="lp_course_new",
    ),
    path(
        "<int:pk>/loopbaan/opleiding/cursussen/<int:course_pk>/",
        views.course_edit,
        name="lp_course_edit",
    ),
    path(
        "<int:pk>/loopbaan/opleiding/cursussen/<int:course_pk>/verwijderen/",
        views.course_delete,
        name="lp_course_delete",
    ),
    path("<int:pk>/loopbaan/werkervaring/", views.experience, name="lp_experience"),
    path("<int:pk>/loopbaan/casussen/", views.cases, name="lp_cases"),
    path("<int:pk>/loopbaan/casussen/nieuw/", views.case_add, name="lp_case_add"),
    path("<int:pk>/loopbaan/casussen/<int:case_pk>/", views.case_edit, name="lp_case"),
    path(
        "<int:pk>/loopbaan/casussen/<int:case_pk>/verwijderen/",
        views.case_delete,
        name="lp_case_delete",
    ),
    path("<int:pk>/loopbaan/ontwikkelplan/", views.plan, name="lp_plan"),
    path("<int:pk>/loopbaan/verklaringen/", views.declaration, name="lp_declaration"),
]
