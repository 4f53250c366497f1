from django.urls import path

from sunshine.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/decide/", views.decide, name="decide"),
    path("applications/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("applications/<int:pk>/overrides/", views.request_override, name="request_override"),
    path("overrides/", views.override_list, name="overrides"),
    path("overrides/<int:pk>/decide/", views.decide_override, name="decide_override"),
    path("overrides/<int:pk>/withdraw/", views.withdraw_override, name="withdraw_override"),
]
