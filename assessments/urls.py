from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assigned, name="assigned"),
    path("certificering/", views.certification, name="certification"),
]

# Interview and advice (AS-4, AS-5, AS-6): the pages of a round for its declared assessors.
urlpatterns += [
    path("ronde/<int:pk>/oordelen/", views.compare, name="compare"),
    path("ronde/<int:pk>/gesprek/", views.interview, name="interview"),
    path("ronde/<int:pk>/gesprek/verslag/", views.interview_record, name="interview_record"),
    path("ronde/<int:pk>/advies/", views.advice, name="advice"),
]
