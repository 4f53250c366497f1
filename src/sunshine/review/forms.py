"""The review pages' forms: they only parse; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sunshine.review.labels import CHECK_CHOICES
from sunshine.review.models import Override, Verdict

NO_TIER = "none"  # the to_tier choice meaning "no tier at this school"


class DecisionForm(forms.Form):
    level = forms.TypedChoiceField(
        choices=[(1, "1"), (2, "2")], coerce=int, widget=forms.HiddenInput
    )
    decision = forms.ChoiceField(
        label=_("审核结论"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("理由（不通过或退回补正时必填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OverrideForm(forms.Form):
    kind = forms.ChoiceField(label=_("更正类型"), choices=Override.Kind.choices)
    school = forms.ChoiceField(label=_("学校（类别变更）"), required=False)
    to_tier = forms.ChoiceField(label=_("新类别（类别变更）"), required=False)
    check = forms.ChoiceField(
        label=_("核验项目（例外认定）"),
        required=False,
        choices=[("", "—"), *CHECK_CHOICES],
    )
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        schools: list[tuple[str, str]],
        tiers: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        school, to_tier = self.fields["school"], self.fields["to_tier"]
        assert isinstance(school, forms.ChoiceField)
        assert isinstance(to_tier, forms.ChoiceField)
        school.choices = [("", "—"), *schools]
        to_tier.choices = [("", "—"), *tiers, (NO_TIER, str(_("无类别")))]

    def to_tier_value(self) -> int | None:
        value = self.cleaned_data.get("to_tier") or NO_TIER
        return None if value == NO_TIER else int(value)


class OverrideDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("批准")), ("refuse", _("驳回"))])
    note = forms.CharField(
        label=_("审批意见（驳回时必填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    """Reopening a final decision or withdrawing an approved override: the reason only (the
    service says when it is missing, beside the field)."""

    reason = forms.CharField(
        label=_("理由（必填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
