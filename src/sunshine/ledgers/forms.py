"""Forms of the ledger pages. They only parse; the services validate again and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from sunshine.ledgers.models import InspectionVisit, ProblemClue
from sunshine.ledgers.services import REASON_LENGTH
from sunshine.ledgers.specs import LONG, SHORT, Column, LedgerSpec

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_BLANK = ("", "——")


def _column_field(column: Column, region_code: str) -> forms.Field:
    label = _g(column.header)
    if column.kind == "date":
        return forms.DateField(label=label, required=column.required, widget=_DATE)
    if column.kind == "choice":
        assert column.choices is not None
        choices = list(column.choices.choices)
        return forms.ChoiceField(
            label=label,
            required=column.required,
            choices=choices if column.required else [_BLANK, *choices],
        )
    if column.kind == "visit":
        visits = InspectionVisit.objects.filter(region_code=region_code, voided_at__isnull=True)
        return forms.TypedChoiceField(
            label=label,
            required=column.required,
            coerce=int,
            choices=[
                _BLANK,
                *((v.number, f"{v.number} · {v.visit_date:%Y-%m-%d} {v.unit}") for v in visits),
            ],
        )
    widget = forms.Textarea(attrs={"rows": 3}) if column.max_length > SHORT else forms.TextInput
    return forms.CharField(
        label=label, required=column.required, max_length=column.max_length, widget=widget
    )


class LedgerForm(forms.Form):
    """The editable columns of one ledger, plus its web-only fields (``spec.extras``)."""

    def __init__(self, *args: Any, spec: LedgerSpec, region_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        for column in spec.editable:
            self.fields[column.field] = _column_field(column, region_code)
        if "case_code" in spec.extras:
            self.fields["case_code"] = forms.CharField(
                label=_("关联投诉案件编号"), required=False, max_length=64
            )
        if "clue" in spec.extras:
            clues = ProblemClue.objects.filter(region_code=region_code, voided_at__isnull=True)
            self.fields["clue"] = forms.TypedChoiceField(
                label=_("关联问题线索"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[_BLANK, *((c.number, f"{c.number} · {c.summary[:30]}") for c in clues)],
            )

    def values(self) -> dict[str, Any]:
        return {c.field: self.cleaned_data.get(c.field) for c in self.spec.editable}

    def extras(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.spec.extras}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("作废原因"), max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class CompleteForm(forms.Form):
    completed_on = forms.DateField(label=_("完成时间"), widget=_DATE, initial=timezone.localdate)


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("回头看结论"),
        choices=[("confirm", _("整改到位，确认完成")), ("reopen", _("整改不到位，重开"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("回头看意见（重开时写明原因）"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reviewed_on = forms.DateField(label=_("回头看日期"), widget=_DATE, initial=timezone.localdate)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("台账文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ChecklistItemForm(forms.Form):
    measures = forms.CharField(
        label=_("落实举措"),
        required=False,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    conclusion = forms.CharField(
        label=_("检查结论"),
        required=False,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    file = forms.FileField(label=_("添加佐证材料"), required=False)
