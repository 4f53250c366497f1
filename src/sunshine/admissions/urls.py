from django.urls import path

from sunshine.admissions import staff_publication_views, views

app_name = "admissions"

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("publications/", staff_publication_views.publications, name="staff_publications"),
    path(
        "publications/<int:season_id>/publish/",
        staff_publication_views.publish,
        name="staff_publish",
    ),
]
