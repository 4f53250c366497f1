"""The public page's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import KIND_CHOICES, STAGE_CHOICES


class StageFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("学段"), required=False, choices=[("", _("全部学段")), *STAGE_CHOICES]
    )

    def stage_value(self) -> str:
        """The chosen stage, or "" for all (an unknown value counts as all, not as an error:
        the form stays usable when a bookmarked link outlives a stage name)."""
        self.is_valid()  # cleaned_data keeps the fields that are valid
        return str(self.cleaned_data.get("stage") or "")


class SchoolFilterForm(StageFilterForm):
    kind = forms.ChoiceField(
        label=_("办学性质"), required=False, choices=[("", _("全部")), *KIND_CHOICES]
    )

    def kind_value(self) -> str:
        self.is_valid()
        return str(self.cleaned_data.get("kind") or "")


class AddressSearchForm(forms.Form):
    """Find an address by a part of its text; the page then places it on the zone map."""

    q = forms.CharField(
        label=_("地址"),
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("例如：幸福路 1 号"),
                "autocomplete": "street-address",
                "data-testid": "lookup-query",
            }
        ),
    )


class PointForm(forms.Form):
    """A point typed in, or picked by a click on the map (the map script fills these)."""

    lon = forms.FloatField(
        label=_("经度"),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "data-testid": "lookup-lon"}),
    )
    lat = forms.FloatField(
        label=_("纬度"),
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "data-testid": "lookup-lat"}),
    )
