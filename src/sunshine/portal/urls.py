from django.urls import path

from sunshine.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("zones.geojson", views.zones_geojson, name="zones_geojson"),
    path("schools.geojson", views.schools_geojson, name="schools_geojson"),
]
