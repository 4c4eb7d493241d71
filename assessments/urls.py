from django.urls import path

from assessments import pe_statement_views, views, views_recertification

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

# Interview and advice (AS-4, AS-5, AS-6): the pages of a round for its declared assessors.
urlpatterns += [
    path("ronde/<int:pk>/oordelen/", views.compare, name="compare"),
    path("ronde/<int:pk>/gesprek/", views.interview, name="interview"),
    path("ronde/<int:pk>/gesprek/verslag/", views.interview_record, name="interview_record"),
    path("ronde/<int:pk>/advies/", views.advice, name="advice"),
]

# Supplement rounds: what changed since the previous round.
urlpatterns += [
    path("ronde/<int:pk>/wijzigingen/", views.supplement_diff, name="supplement_diff"),
]

# Registrations running out (AS-5): the coordinator's list, the professional's recertification.
urlpatterns += [
    path(
        "certificering/aflopende-registraties/",
        views_recertification.expiring,
        name="expiring_registrations",
    ),
    path(
        "registratie/<int:pk>/hercertificeren/",
        views_recertification.recertify,
        name="recertify",
    ),
]

# The assessor's PE statement (JC-B category 4): issued by the coordinator, read by the assessor.
urlpatterns += [
    path("pe-verklaringen/", pe_statement_views.pe_statements, name="pe_statements"),
    path(
        "pe-verklaringen/assessor/<int:pk>/",
        pe_statement_views.pe_statement_assessor,
        name="pe_statement_assessor",
    ),
    path(
        "pe-verklaringen/assessor/<int:pk>/afgeven/",
        pe_statement_views.pe_statement_issue,
        name="pe_statement_issue",
    ),
    path("mijn-pe-verklaringen/", pe_statement_views.my_pe_statements, name="my_pe_statements"),
]
