"""Forms of the complaint pages. They parse; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import School, Season
from sunshine.oversight.models import (
    AnswerTemplate,
    Case,
    Category,
    Channel,
    Disposition,
    Satisfaction,
)

PUBLIC_KINDS = [c for c in Case.Kind.choices if c[0] != Case.Kind.OBJECTION]
PUBLIC_CATEGORIES = [c for c in Category.choices if c[0] != Category.ADMISSION_RESULT]
STAFF_CHANNELS = [c for c in Channel.choices if c[0] in ("hotline", "letter", "visit")]


def region_choices() -> list[tuple[str, str]]:
    seasons = Season.objects.order_by("region_code", "-school_year").values_list(
        "region_code", "region_name"
    )
    seen: dict[str, str] = {}
    for code, name in seasons:
        seen.setdefault(code, f"{name}（{code}）")
    return list(seen.items())


def school_choices() -> list[tuple[str, Any]]:
    schools = School.objects.select_related("season").order_by("season__region_code", "code")
    return [("", _("（不涉及具体学校）"))] + [
        (str(s.pk), f"{s.season.region_name} · {s.name}") for s in schools
    ]


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=PUBLIC_KINDS)
    category = forms.ChoiceField(label=_("问题类别"), choices=PUBLIC_CATEGORIES)
    region_code = forms.ChoiceField(label=_("所在县（区）"))
    school = forms.ChoiceField(label=_("涉及学校"), required=False)
    summary = forms.CharField(
        label=_("反映内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    about_unit_head = forms.BooleanField(
        label=_("反映对象是县（区）教育行政部门负责人（将由上一级办理）"), required=False
    )
    anonymous = forms.BooleanField(label=_("匿名反映"), required=False, initial=True)
    reporter_name = forms.CharField(
        label=_("姓名（实名反映时填写）"), max_length=64, required=False
    )
    reporter_contact = forms.CharField(label=_("联系电话"), max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region_code"]).choices = region_choices()
        cast(forms.ChoiceField, self.fields["school"]).choices = school_choices()

    def school_object(self) -> School | None:
        pk = self.cleaned_data.get("school")
        return School.objects.select_related("season").filter(pk=pk).first() if pk else None


class HotlineForm(ComplaintForm):
    kind = forms.ChoiceField(label=_("类型"), choices=Case.Kind.choices)
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices)
    channel = forms.ChoiceField(label=_("来源渠道"), choices=STAFF_CHANNELS)
    received_at = forms.DateTimeField(
        label=_("来电（来信、来访）时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    application_code = forms.CharField(
        label=_("相关报名编号（异议时填写）"), max_length=64, required=False
    )

    field_order = ("channel", "received_at", "kind", "category", "region_code", "school")


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("受理决定"),
        choices=[("1", _("受理")), ("0", _("不予受理"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("统一答复口径"), queryset=AnswerTemplate.objects.none()
    )
    note = forms.CharField(
        label=_("针对本件的说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prefixes = [case.region_code[:n] for n in range(2, 7)]
        self.fields["template"].queryset = AnswerTemplate.objects.filter(  # type: ignore[attr-defined]
            status=AnswerTemplate.Status.APPROVED,
            category=case.category,
            region_prefix__in=prefixes,
        )


class CloseForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("反映人评价"),
        choices=[*Satisfaction.choices, ("", _("未能征询（如匿名）"))],
        required=False,
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("反馈情况"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(forms.Form):
    handler = forms.ChoiceField(label=_("新承办人"))
    reason = forms.CharField(label=_("改派理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, handlers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["handler"]).choices = [
            (str(u.pk), f"{u.get_full_name() or u.get_username()} · {u.get_role_display()}")
            for u in handlers
        ]


class TransferForm(forms.Form):
    disposition = forms.ChoiceField(label=_("处置方式"), choices=Disposition.choices)
    note = forms.CharField(
        label=_("移送说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TemplateForm(forms.Form):
    region_prefix = forms.CharField(label=_("适用地区代码（前缀）"), max_length=6)
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("答复口径"), widget=forms.Textarea(attrs={"rows": 6}))


class StatusForm(forms.Form):
    code = forms.CharField(label=_("投诉编号"), max_length=32, strip=True)
