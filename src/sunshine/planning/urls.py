from django.urls import path

from sunshine.planning import class_views, views, zone_views

app_name = "planning"

urlpatterns = [
    path("", views.home, name="home"),
    path("seasons/<int:season_id>/plans/", views.plan_change_create, name="plan_change_create"),
    path("plans/<int:pk>/withdraw/", views.plan_change_withdraw, name="plan_change_withdraw"),
    path("seasons/<int:season_id>/apply/", views.apply_due, name="apply_due"),
    path("seasons/<int:season_id>/zones/new/", zone_views.zone_change_new, name="zone_change_new"),
    path("zones/<int:pk>/", zone_views.zone_change_detail, name="zone_change"),
    path("zones/<int:pk>/publish/", zone_views.zone_change_publish, name="zone_change_publish"),
    path("zones/<int:pk>/withdraw/", zone_views.zone_change_withdraw, name="zone_change_withdraw"),
    path("classes/", class_views.classes, name="classes"),
    path("seasons/<int:season_id>/classes/", class_views.classes_run, name="classes_run"),
    # Public (公示): reachable without signing in.
    path("public/", zone_views.public_changes, name="public_changes"),
    path("public/zones/<int:pk>/", zone_views.public_change_detail, name="public_change"),
]
