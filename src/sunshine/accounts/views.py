"""Sign-in and sign-out with Django's auth views and our templates."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse

from sunshine.accounts.permissions import is_staff_member


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        # Staff come to work on applications; everyone else returns to the public portal.
        if is_staff_member(self.request.user):
            return reverse("admissions:application_list")
        return super().get_default_redirect_url()
