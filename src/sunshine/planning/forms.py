"""Forms of the planning pages. They parse; the services decide."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import STAGE_CHOICES, School, Zone
from sunshine.errors import DomainError

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal beside the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


class CosignForm(forms.Form):
    """The second person's credentials, typed into the same form (会签)."""

    cosigner_username = forms.CharField(
        label=_("会签人用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-testid": "cosigner-username"}),
    )
    cosigner_password = forms.CharField(
        label=_("会签人密码"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "off", "data-testid": "cosigner-password"}
        ),
    )


class PlanChangeForm(CosignForm):
    school = forms.ModelChoiceField(label=_("学校"), queryset=School.objects.none())
    plan_seats = forms.IntegerField(label=_("新招生计划（人）"), min_value=0, max_value=100000)
    effective_from = forms.DateTimeField(label=_("生效时间"), widget=DATETIME_WIDGET)
    reason = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        self.order_fields(["school", "plan_seats", "effective_from", "reason"])


class ZoneChangeForm(forms.Form):
    zone = forms.ModelChoiceField(
        label=_("片区"),
        queryset=Zone.objects.none(),
        required=False,
        empty_label=_("（新增片区）"),
    )
    code = forms.CharField(
        label=_("新片区代码"),
        max_length=64,
        required=False,
        help_text=_("只在新增片区时填写。"),
    )
    stage = forms.ChoiceField(
        label=_("新片区学段"), choices=[("", "—"), *STAGE_CHOICES], required=False
    )
    geometry = forms.CharField(
        label=_("范围（GeoJSON）"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("Polygon 或 MultiPolygon，坐标为[经度, 纬度]（WGS 84）。"),
    )
    schools = forms.ModelMultipleChoiceField(
        label=_("学校"), queryset=School.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    effective_from = forms.DateTimeField(label=_("生效时间"), widget=DATETIME_WIDGET)
    reason = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, zones: QuerySet[Zone], schools: QuerySet[School], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zones  # type: ignore[attr-defined]
        self.fields["schools"].queryset = schools  # type: ignore[attr-defined]

    def clean_geometry(self) -> Any:
        text = self.cleaned_data["geometry"]
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("不是有效的 JSON：第 %(line)d 行第 %(col)d 列。"),
                params={"line": error.lineno, "col": error.colno},
            ) from error
        # A pasted Feature or a one-feature collection is accepted for its geometry.
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        elif isinstance(value, dict) and value.get("type") == "FeatureCollection":
            features = value.get("features") or []
            value = features[0].get("geometry") if len(features) == 1 else value
        return value


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ApplyForm(forms.Form):
    as_of = forms.DateTimeField(
        label=_("截至时间"),
        widget=DATETIME_WIDGET,
        required=False,
        help_text=_("留空即为现在。不能填写将来的时间。"),
    )
