from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import Season
from sunshine.planning.forms import CosignForm


class NumberForm(forms.Form):
    public_id = forms.CharField(label=_("报名编号"), max_length=64, strip=True)


# --- staff pages --------------------------------------------------------------------------------
# Co-signature fields come from the planning app, where every two-person form gets them.


class FreezeForm(forms.Form):
    season = forms.ModelChoiceField(label=_("招生季"), queryset=Season.objects.none())
    label = forms.CharField(label=_("摇号名称"), max_length=200)

    def __init__(self, *args: Any, seasons: QuerySet[Season], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["season"].queryset = seasons  # type: ignore[attr-defined]


class AnnounceForm(forms.Form):
    witness_roles = forms.CharField(
        label=_("见证人角色"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个，例如 notary、parent_representative。摇号前每个角色各输入一个值。"),
    )
    beacon_source = forms.CharField(
        label=_("公共随机信标"), max_length=100, required=False, help_text=_("例如 drand quicknet")
    )
    beacon_round = forms.IntegerField(label=_("信标轮次"), min_value=0, required=False)

    def roles(self) -> list[str]:
        text = self.cleaned_data.get("witness_roles") or ""
        return [r.strip() for line in text.splitlines() for r in line.split(",") if r.strip()]


class WitnessInputForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"))
    name = forms.CharField(label=_("姓名"), max_length=100)
    value = forms.CharField(
        label=_("输入值"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-testid": "witness-value"}),
        help_text=_("摇号前不公开；摇号后与随机种子一起公布。"),
    )

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, r) for r in roles]  # type: ignore[attr-defined]


class BeaconForm(forms.Form):
    value = forms.CharField(label=_("信标值（十六进制）"), max_length=1024)


class RedrawForm(CosignForm):
    reason = forms.CharField(label=_("重新摇号理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["reason"])
