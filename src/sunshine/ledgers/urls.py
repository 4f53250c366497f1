from django.urls import URLPattern

app_name = "ledgers"

urlpatterns: list[URLPattern] = []
