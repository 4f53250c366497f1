"""The sign-up form: a phone, the SMS code sent to it, and a password typed twice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


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
