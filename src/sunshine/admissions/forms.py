"""The staff list's filter form. It only parses; scope and filtering are in queries.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.labels import PRIORITY_GROUP_CHOICES, SPECIAL_NEEDS_CHOICES
from sunshine.admissions.models import STAGE_CHOICES, Application, School
from sunshine.admissions.queries import ApplicationFilters

_ANY = ("", _("全部"))


class ApplicationFilterForm(forms.Form):
    code = forms.CharField(label=_("报名编号"), required=False, max_length=64)
    stage = forms.ChoiceField(label=_("学段"), required=False, choices=[_ANY, *STAGE_CHOICES])
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[_ANY, *Application.Status.choices]
    )
    school = forms.ModelChoiceField(
        label=_("学校"), required=False, queryset=School.objects.none(), empty_label=_("全部")
    )
    priority_group = forms.ChoiceField(
        label=_("教育优待"), required=False, choices=[_ANY, *PRIORITY_GROUP_CHOICES]
    )
    special_needs = forms.ChoiceField(
        label=_("特殊群体"), required=False, choices=[_ANY, *SPECIAL_NEEDS_CHOICES]
    )

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = schools
        self.fields["code"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def filters(self) -> ApplicationFilters:
        """The filters asked for; call after ``is_valid()`` (invalid fields are left out)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return ApplicationFilters(
            stage=data.get("stage") or "",
            status=data.get("status") or "",
            school=data.get("school"),
            priority_group=data.get("priority_group") or "",
            special_needs=data.get("special_needs") or "",
            code=(data.get("code") or "").strip(),
        )
