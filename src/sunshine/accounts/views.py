"""Sign-in, sign-out and a family's sign-up, with Django's auth views and our templates."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sunshine.accounts.forms import LoginForm, SignUpForm
from sunshine.accounts.models import Role
from sunshine.accounts.permissions import is_staff_member
from sunshine.accounts.ratelimit import client_address
from sunshine.accounts.signup import SignUp, request_sign_up_code, sign_up
from sunshine.audit.services import Actor
from sunshine.errors import DomainError

# The audit log's name for a visitor who is not signed in (sign-up is their own action).
VISITOR = "public:web"


def sign_up_actor(request: HttpRequest) -> Actor:
    """Who is signing up: the visitor, or the signed-in user, whom the sign-up services refuse
    (``signup.require_visitor``), so the page and the API share the one rule."""
    return request.user if request.user.is_authenticated else VISITOR


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        # Refused for too many wrong passwords: 429, and when to come back.
        response = super().form_invalid(form)
        if form.retry_after:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response

    def get_default_redirect_url(self) -> str:
        # Staff come to work on applications, families to their children's applications;
        # everyone else returns to the public portal.
        user = self.request.user
        if is_staff_member(user):
            return reverse("admissions:application_list")
        if getattr(user, "role", None) == Role.PARENT:
            return reverse("families:home")
        return super().get_default_redirect_url()


def signup(request: HttpRequest) -> HttpResponse:
    """One page, two buttons: "send code" (``action=send_code``) and "sign up"."""
    if request.user.is_authenticated:
        return redirect("families:home")
    form = SignUpForm(request.POST or None)
    sent = False
    if request.method == "POST":
        if request.POST.get("action") == "send_code":
            if form.is_valid():
                try:
                    request_sign_up_code(
                        actor=sign_up_actor(request),
                        phone=form.cleaned_data["phone"],
                        client=client_address(request),
                    )
                    sent = True
                except DomainError as error:
                    form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            data = form.clean_for_sign_up()
            if data is not None:
                try:
                    user = sign_up(
                        actor=sign_up_actor(request),
                        data=SignUp(data["phone"], data["code"], data["password"]),
                    )
                except DomainError as error:
                    form.add_error(error.field if error.field in form.fields else None, str(error))
                else:
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                    return redirect("families:home")
    context = {"form": form, "sent": sent, "sent_message": _("验证码已发送，10分钟内有效")}
    return render(request, "accounts/signup.html", context)
