from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class NumberForm(forms.Form):
    public_id = forms.CharField(label=_("报名编号"), max_length=64, strip=True)
