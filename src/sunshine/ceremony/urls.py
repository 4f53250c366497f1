from django.urls import path

from sunshine.ceremony import staff_views, views

app_name = "ceremony"

urlpatterns = [
    path("", views.ceremony_list, name="list"),
    path("number/", views.number, name="number"),
    path("verify_lottery.py", views.verifier, name="verifier"),
    path("<int:pk>/", views.ceremony_detail, name="detail"),
    path("<int:pk>/transcript.json", views.transcript, name="transcript"),
    # Staff: the administrator runs the ceremony, witnesses and notaries type their inputs.
    path("staff/", staff_views.staff_list, name="staff"),
    path("staff/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/<slug:step>/", staff_views.staff_step, name="staff_step"),
]
