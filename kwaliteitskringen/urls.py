from django.urls import path

from kwaliteitskringen import views

app_name = "kwaliteitskringen"

urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("mijn/", views.mine, name="mine"),
    path("mijn/lidmaatschap/<int:pk>/naam/", views.name_consent, name="name_consent"),
    path("jaarverslag/<int:pk>/", views.annual_report_public, name="annual_report"),
    # founding a circle, interest where none has room
    path("oprichten/", views.found, name="found"),
    path("oprichten/<int:pk>/", views.founding_request, name="founding_request"),
    path("belangstelling/", views.interest, name="interest"),
    path("belangstelling/<str:token>/", views.interest_manage, name="interest_manage"),
    # the regional chair (read-only)
    path("regio/", views.region, name="region"),
    path("regio/kring/<int:pk>/", views.region_circle, name="region_circle"),
    # members and applicants
    path("kring/<int:pk>/", views.circle, name="circle"),
    path("kring/<int:pk>/aanmelden/", views.apply, name="apply"),
    path("kring/<int:pk>/inschrijven/", views.renew, name="renew"),
    path("aanmelding/<int:pk>/", views.application, name="application"),
    path("bijeenkomst/<int:pk>/", views.meeting, name="meeting"),
    path("bijeenkomst/<int:pk>/verslag/", views.meeting_report, name="meeting_report"),
    # the coordinator's dashboard
    path("kring/<int:pk>/beheer/", views.manage_members, name="manage_members"),
    path("kring/<int:pk>/beheer/instellingen/", views.manage_settings, name="manage_settings"),
    path(
        "kring/<int:pk>/beheer/leden/<int:membership_pk>/beeindigen/",
        views.remove_member,
        name="remove_member",
    ),
    path("kring/<int:pk>/beheer/bijdrage/", views.record_contribution, name="contribution"),
    path("kring/<int:pk>/beheer/inschrijving/", views.renewal, name="renewal"),
    path("kring/<int:pk>/beheer/splitsen/", views.split, name="split"),
    path(
        "kring/<int:pk>/beheer/aanmeldingen/",
        views.manage_applications,
        name="manage_applications",
    ),
    path("aanmelding/<int:pk>/besluit/", views.decide_application, name="decide_application"),
    path("kring/<int:pk>/beheer/bijeenkomsten/", views.manage_meetings, name="manage_meetings"),
    path("kring/<int:pk>/beheer/bijeenkomsten/nieuw/", views.meeting_create, name="meeting_create"),
    path("bijeenkomst/<int:pk>/bewerken/", views.meeting_edit, name="meeting_edit"),
    path("bijeenkomst/<int:pk>/annuleren/", views.meeting_cancel, name="meeting_cancel"),
    path("bijeenkomst/<int:pk>/aanwezigheid/", views.meeting_attendance, name="meeting_attendance"),
    path("kring/<int:pk>/beheer/signalen/", views.manage_signals, name="manage_signals"),
    path(
        "kring/<int:pk>/beheer/jaarverslag/",
        views.manage_annual_report,
        name="manage_annual_report",
    ),
    path("kring/<int:pk>/beheer/subsidie/", views.manage_subsidy, name="manage_subsidy"),
    # the year's programme and subgroups (KK-7)
    path("kring/<int:pk>/programma/", views.programme, name="programme"),
    path("kring/<int:pk>/subgroepen/", views.subgroups, name="subgroups"),
    path("subgroep/<int:pk>/", views.subgroup, name="subgroup"),
    path(
        "subgroep/<int:pk>/bijeenkomst/nieuw/",
        views.subgroup_meeting_create,
        name="subgroup_meeting_create",
    ),
]
