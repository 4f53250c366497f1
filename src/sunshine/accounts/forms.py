"""The sign-in form (Django's, with the wrong-password limit) and the sign-up form: a phone,
the SMS code sent to it, and a password typed twice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sunshine.accounts import passwords


class LoginForm(AuthenticationForm):
    """Django's sign-in form, checking the password through :func:`passwords.sign_in`: after
    ``SUNSHINE_LOGIN_MAX_FAILURES`` wrong passwords for one username in
    ``SUNSHINE_LOGIN_WINDOW_MINUTES``, that username is refused, even with the right password,
    with a form-level message saying when to try again; ``retry_after`` (seconds) is then set
    for the view's 429."""

    retry_after: int = 0

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            tried = passwords.sign_in(self.request, username=username, password=password)
            if tried.refused is not None:
                self.retry_after = tried.retry_after
                raise ValidationError(
                    gettext("该账户的密码错误次数过多，暂时不能登录，请于 %(time)s 之后再试。")
                    % {"time": tried.until},
                    code="rate_limited",
                )
            if tried.user is None:
                raise self.get_invalid_login_error()
            self.user_cache = tried.user
            self.confirm_login_allowed(tried.user)
        return self.cleaned_data


class SignUpForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "data-testid": "signup-phone"}
        ),
    )
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        required=False,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "data-testid": "signup-code",
            }
        ),
    )
    password = forms.CharField(
        label=_("密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "data-testid": "signup-password"}
        ),
    )
    password2 = forms.CharField(
        label=_("再次输入密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "data-testid": "signup-password2"}
        ),
    )

    def clean_for_sign_up(self) -> dict[str, Any] | None:
        """The data for creating the account, or None with errors added to the fields."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        if not data["code"]:
            self.add_error("code", _("请输入短信验证码"))
        if not data["password"]:
            self.add_error("password", _("请设置密码"))
        elif data["password"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致"))
        return None if self.errors else data
