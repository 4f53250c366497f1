"""The family's forms. They only parse; every rule is checked again by the services, whose
errors the views place beside the field they name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import STAGE_CHOICES, Address, School, Season
from sunshine.families.assessment import Finding
from sunshine.oversight.models import Category

ID_ATTRS = {
    "inputmode": "text",
    "autocomplete": "off",
    "autocapitalize": "characters",
    "spellcheck": "false",
    "maxlength": "18",
    "data-idcheck": "",
}


def _id_widget(testid: str) -> forms.TextInput:
    return forms.TextInput(attrs={**ID_ATTRS, "data-testid": testid})


class ChildForm(forms.Form):
    season = forms.ModelChoiceField(
        label=_("招生季"), queryset=Season.objects.none(), empty_label=None
    )
    child_name = forms.CharField(
        label=_("儿童姓名"),
        max_length=64,
        widget=forms.TextInput(attrs={"data-testid": "child-name", "autocomplete": "off"}),
    )
    child_id_number = forms.CharField(
        label=_("儿童身份证号码"), max_length=32, widget=_id_widget("child-id")
    )
    stage = forms.ChoiceField(
        label=_("报名学段"),
        choices=STAGE_CHOICES,
        widget=forms.RadioSelect(attrs={"data-testid": "stage"}),
    )
    own_id_number = forms.CharField(
        label=_("本人（家长）身份证号码"), max_length=32, widget=_id_widget("own-id")
    )
    other_guardian_id = forms.CharField(
        label=_("另一位家长身份证号码"),
        max_length=32,
        required=False,
        widget=_id_widget("other-id"),
        help_text=_("选填。父母双方的信息都会用于核验户籍、房产和社保。"),
    )
    address_query = forms.CharField(
        label=_("查找居住地址"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "data-testid": "address-query", "autocomplete": "off"}
        ),
        help_text=_("输入街道、小区或门牌中的文字，例如“幸福路”。"),
    )
    address = forms.TypedChoiceField(
        label=_("居住地址"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect(attrs={"data-testid": "address-choice"}),
    )
    certificate_no = forms.CharField(
        label=_("不动产权证号（如有住房）"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"data-testid": "certificate-no", "autocomplete": "off"}),
    )
    current_school = forms.ChoiceField(
        label=_("现就读小学（报名初中时填写）"), required=False, choices=()
    )

    def __init__(
        self,
        *args: Any,
        seasons: Sequence[Season],
        addresses: Sequence[Address],
        primary_schools: Sequence[School],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        season_field = self.fields["season"]
        assert isinstance(season_field, forms.ModelChoiceField)
        season_field.queryset = Season.objects.filter(pk__in=[s.pk for s in seasons])
        if len(seasons) == 1:
            season_field.widget = forms.HiddenInput()
        address_field = self.fields["address"]
        assert isinstance(address_field, forms.ChoiceField)
        address_field.choices = [(a.pk, a.text) for a in addresses]
        school_field = self.fields["current_school"]
        assert isinstance(school_field, forms.ChoiceField)
        school_field.choices = [("", _("（不填）")), *[(s.code, s.name) for s in primary_schools]]


ANSWER_CHOICES = [("confirm", _("信息无误，确认")), ("explain", _("有误或不全，我来说明"))]


class FindingsForm(forms.Form):
    """One pair of fields per finding: ``answer_<check>`` and ``explanation_<check>``."""

    def __init__(
        self, *args: Any, findings: Sequence[Finding], responses: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.findings = list(findings)
        for finding in self.findings:
            given = responses.get(finding.check, {})
            current = given.get("reason") == finding.reason
            answer = "explain" if current and not given.get("confirmed", True) else "confirm"
            self.fields[f"answer_{finding.check}"] = forms.ChoiceField(
                choices=ANSWER_CHOICES,
                initial=answer,
                widget=forms.RadioSelect(attrs={"data-testid": f"answer-{finding.check}"}),
            )
            self.fields[f"explanation_{finding.check}"] = forms.CharField(
                required=False,
                max_length=1000,
                initial=given.get("explanation", "") if current else "",
                label=_("说明"),
                widget=forms.Textarea(
                    attrs={"rows": 2, "data-testid": f"explanation-{finding.check}"}
                ),
            )

    def rows(self) -> list[tuple[Finding, forms.BoundField, forms.BoundField]]:
        return [
            (f, self[f"answer_{f.check}"], self[f"explanation_{f.check}"]) for f in self.findings
        ]


class ObjectionForm(forms.Form):
    summary = forms.CharField(
        label=_("异议内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "data-testid": "objection-summary"}),
        help_text=_("请写明您对哪一项审核或录取结果有异议，以及理由。"),
    )


class ComplaintForm(forms.Form):
    category = forms.ChoiceField(label=_("问题类别"), choices=())
    school = forms.TypedChoiceField(
        label=_("涉及学校（选填）"), coerce=int, required=False, empty_value=None, choices=()
    )
    summary = forms.CharField(
        label=_("投诉内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "data-testid": "complaint-summary"}),
    )
    anonymous = forms.BooleanField(
        label=_("匿名投诉（不留姓名和联系方式，将无法收到答复）"), required=False
    )

    def __init__(
        self, *args: Any, categories: Sequence[Category], schools: Sequence[School], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        school = self.fields["school"]
        assert isinstance(category, forms.ChoiceField)
        assert isinstance(school, forms.ChoiceField)
        category.choices = [(c.value, c.label) for c in categories]
        school.choices = [("", _("（不涉及具体学校）")), *[(s.pk, s.name) for s in schools]]


def apply_move(order: Sequence[str], action: str) -> list[str]:
    """The preference order after one button of the no-script ranking form:
    ``add:CODE``, ``remove:CODE``, ``up:CODE`` or ``down:CODE`` (anything else: unchanged)."""
    out = [code for code in order if code]
    verb, _sep, code = action.partition(":")
    if verb == "add" and code and code not in out:
        out.append(code)
    elif verb == "remove" and code in out:
        out.remove(code)
    elif verb in ("up", "down") and code in out:
        i = out.index(code)
        j = i - 1 if verb == "up" else i + 1
        if 0 <= j < len(out):
            out[i], out[j] = out[j], out[i]
    return out
