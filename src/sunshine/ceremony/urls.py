from django.urls import path

from sunshine.ceremony import views

app_name = "ceremony"

urlpatterns = [
    path("", views.ceremony_list, name="list"),
    path("number/", views.number, name="number"),
    path("verify_lottery.py", views.verifier, name="verifier"),
    path("<int:pk>/", views.ceremony_detail, name="detail"),
    path("<int:pk>/transcript.json", views.transcript, name="transcript"),
]
