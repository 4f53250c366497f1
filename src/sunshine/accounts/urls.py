from django.contrib.auth import views as auth_views
from django.urls import path

from sunshine.accounts.views import LoginView, signup

app_name = "accounts"

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", signup, name="signup"),
]
