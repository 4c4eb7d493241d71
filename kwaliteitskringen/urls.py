from django.urls import path

from kwaliteitskringen import views

app_name = "kwaliteitskringen"

urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("mijn/", views.mine, name="mine"),
]
