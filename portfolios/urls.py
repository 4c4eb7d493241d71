from django.urls import path

from portfolios import views, views_loopbaan
from portfolios.views_exchange import bundle_download

app_name = "portfolios"

urlpatterns = [
    path("", views.portfolio_list, name="list"),
    path("nieuw/", views.portfolio_new, name="new"),
    path("<int:pk>/", views.portfolio_detail, name="detail"),
    path("<int:pk>/a1/", views.section_a1, name="a1"),
    path("<int:pk>/a2/", views.section_a2, name="a2"),
    path("<int:pk>/bijeenkomsten/", views.meetings, name="meetings"),
    path("<int:pk>/bijeenkomsten/<int:meeting_pk>/", views.meeting_edit, name="meeting_edit"),
    path(
        "<int:pk>/bijeenkomsten/<int:meeting_pk>/verwijderen/",
        views.meeting_delete,
        name="meeting_delete",
    ),
    path(
        "<int:pk>/bijeenkomsten/<int:meeting_pk>/bevestiging/",
        views.meeting_request_confirmation,
        name="meeting_request_confirmation",
    ),
    path(
        "<int:pk>/bevestigingen/<int:confirmation_pk>/intrekken/",
        views.confirmation_revoke,
        name="confirmation_revoke",
    ),
    path("<int:pk>/reflectieverslag/", views.section_report, name="report"),
    path("<int:pk>/ontwikkelplan/", views.section_plan, name="plan"),
    path("<int:pk>/pe/", views.pe_register, name="pe"),
    path("<int:pk>/pe/nieuw/", views.pe_new, name="pe_new"),
    path("<int:pk>/pe/nieuw/<slug:type_code>/", views.pe_add, name="pe_add"),
    path("<int:pk>/pe/punten/<slug:type_code>/", views.pe_points, name="pe_points"),
    path("<int:pk>/pe/<int:activity_pk>/", views.pe_edit, name="pe_edit"),
    path("<int:pk>/pe/<int:activity_pk>/verwijderen/", views.pe_delete, name="pe_delete"),
    path("<int:pk>/verklaring/", views.section_declaration, name="declaration"),
    path(
        "<int:pk>/kringbijeenkomst/<int:meeting_pk>/",
        views.add_circle_meeting,
        name="add_circle_meeting",
    ),
    path("<int:pk>/indienen/", views.submit, name="submit"),
    path("<int:pk>/intrekken/", views.withdraw, name="withdraw"),
    path("bevestigen/<uuid:token>/", views.facilitator_confirm, name="confirm"),
    path("<int:pk>/bundel/", bundle_download, name="bundle"),
    # Register Loopbaanprofessional (LP-A … LP-E)
    path("<int:pk>/loopbaan/opleiding/", views_loopbaan.education, name="lp_education"),
    path(
        "<int:pk>/loopbaan/opleiding/cursussen/nieuw/",
        views_loopbaan.course_new,
        name="lp_course_new",
    ),
    path(
        "<int:pk>/loopbaan/opleiding/cursussen/<int:course_pk>/",
        views_loopbaan.course_edit,
        name="lp_course_edit",
    ),
    path(
        "<int:pk>/loopbaan/opleiding/cursussen/<int:course_pk>/verwijderen/",
        views_loopbaan.course_delete,
        name="lp_course_delete",
    ),
    path("<int:pk>/loopbaan/werkervaring/", views_loopbaan.experience, name="lp_experience"),
    path("<int:pk>/loopbaan/casussen/", views_loopbaan.cases, name="lp_cases"),
    path("<int:pk>/loopbaan/casussen/nieuw/", views_loopbaan.case_add, name="lp_case_add"),
    path("<int:pk>/loopbaan/casussen/<int:case_pk>/", views_loopbaan.case_edit, name="lp_case"),
    path(
        "<int:pk>/loopbaan/casussen/<int:case_pk>/verwijderen/",
        views_loopbaan.case_delete,
        name="lp_case_delete",
    ),
    path("<int:pk>/loopbaan/ontwikkelplan/", views_loopbaan.plan, name="lp_plan"),
    path("<int:pk>/loopbaan/verklaringen/", views_loopbaan.declaration, name="lp_declaration"),
]
