"""The public page's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import STAGE_CHOICES


class StageFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("学段"), required=False, choices=[("", _("全部学段")), *STAGE_CHOICES]
    )

    def stage_value(self) -> str:
        """The chosen stage, or "" for all (an unknown value counts as all, not as an error:
        the form stays usable when a bookmarked link outlives a stage name)."""
        return str(self.cleaned_data.get("stage") or "") if self.is_valid() else ""
