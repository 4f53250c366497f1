from django.urls import path

from sunshine.admissions import views

app_name = "admissions"

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
]
