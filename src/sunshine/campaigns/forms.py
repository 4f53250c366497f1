"""Forms of the campaign and blacklist pages. They only parse; rules live in the services,
whose field-level errors the views put back beside the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import School
from sunshine.campaigns.blacklist import (
    DEFAULT_OBJECTION_DAYS,
    DEFAULT_REPAIR_DAYS,
    MAX_OBJECTION_DAYS,
    MAX_REPAIR_DAYS,
)
from sunshine.campaigns.models import BlacklistEntry, Campaign, Phase, Task

DATE = forms.DateInput(attrs={"type": "date"})
TEXTAREA = forms.Textarea(attrs={"rows": 3})


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    level = forms.ChoiceField(label=_("层级"), choices=Campaign.Level.choices)
    region_code = forms.CharField(label=_("行政区划代码"), max_length=6)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    description = forms.CharField(label=_("说明"), required=False, widget=TEXTAREA)


class PhaseForm(forms.Form):
    name = forms.CharField(label=_("阶段"), max_length=100)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    description = forms.CharField(label=_("工作内容"), required=False, widget=TEXTAREA)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("主要工作"), widget=TEXTAREA)
    responsible_unit = forms.CharField(label=_("责任单位"), max_length=200)
    deadline = forms.DateField(label=_("完成时限"), widget=DATE)
    phase = forms.ModelChoiceField(
        label=_("阶段"), required=False, queryset=Phase.objects.none(), empty_label=_("不限")
    )
    region_code = forms.CharField(
        label=_("责任县区代码"),
        required=False,
        max_length=6,
        help_text=_("市级、省级行动中由某县区负责时填写，该县区教育局可更新任务状态。"),
    )

    def __init__(self, *args: Any, phases: QuerySet[Phase], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["phase"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = phases


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Task.Status.choices)
    note = forms.CharField(label=_("进展说明"), required=False, widget=TEXTAREA)


class ProposeForm(forms.Form):
    subject = forms.ChoiceField(label=_("对象类型"), choices=BlacklistEntry.Subject.choices)
    school = forms.ModelChoiceField(
        label=_("学校"),
        required=False,
        queryset=School.objects.none(),
        empty_label=_("（不在名录中，手工填写）"),
    )
    school_name = forms.CharField(label=_("学校名称"), required=False, max_length=200)
    school_code = forms.CharField(label=_("学校代码"), required=False, max_length=64)
    principal_name = forms.CharField(label=_("校长姓名"), required=False, max_length=64)
    violation = forms.CharField(label=_("违规事实"), widget=TEXTAREA)
    legal_basis = forms.CharField(label=_("依据"), widget=TEXTAREA)
    objection_days = forms.IntegerField(
        label=_("异议期（日）"), min_value=1, max_value=MAX_OBJECTION_DAYS
    )
    repair_days = forms.IntegerField(
        label=_("整改期（日）"), min_value=1, max_value=MAX_REPAIR_DAYS
    )

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"objection_days": DEFAULT_OBJECTION_DAYS, "repair_days": DEFAULT_REPAIR_DAYS},
        )
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = schools


class TextForm(forms.Form):
    """One text: an objection, a reason, a review."""

    text = forms.CharField(label=_("内容"), widget=TEXTAREA)


class DecisionForm(forms.Form):
    """A yes/no decision with its reason (objection, publication, exit review)."""

    decision = forms.ChoiceField(label=_("决定"), choices=[("yes", _("是")), ("no", _("否"))])
    reason = forms.CharField(label=_("理由"), required=False, widget=TEXTAREA)

    def __init__(self, *args: Any, yes: str = "", no: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)
        if yes and no:
            field.choices = [("yes", yes), ("no", no)]

    @property
    def yes(self) -> bool:
        return bool(self.cleaned_data.get("decision") == "yes")
