from django.urls import path

from sunshine.families import register_views, views

app_name = "families"

urlpatterns = [
    path("", views.home, name="home"),
    path("register/", register_views.register, name="register"),
    path("registrations/<int:pk>/child/", register_views.child, name="child"),
    path("registrations/<int:pk>/findings/", register_views.findings, name="findings"),
    path("registrations/<int:pk>/schools/", register_views.schools, name="schools"),
    path("registrations/<int:pk>/submit/", register_views.submit, name="submit"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/edit/", views.edit, name="edit"),
    path("applications/<int:pk>/offer/", views.offer, name="offer"),
    path("applications/<int:pk>/objection/", views.objection, name="objection"),
    path("applications/<int:pk>/receipt.json", views.receipt, name="receipt"),
    path("complaint/", views.complaint, name="complaint"),
]
