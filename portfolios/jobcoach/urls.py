"""Register Jobcoach pages (JC-A1 … JC-C), included in the ``portfolios`` namespace."""

from django.urls import path

from portfolios.jobcoach import views

urlpatterns = [
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
    path("bevestigen/<uuid:token>/", views.facilitator_confirm, name="confirm"),
    path("<int:pk>/pe/overnemen/<slug:source>/", views.take_over_offer, name="pe_take_over"),
]
