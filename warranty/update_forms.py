"""The desk's form to record a software update applied on a case."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import StyledForm
from contracts.validators import validate_plausible_instant

from .models import SoftwareUpdate


class SoftwareUpdateForm(StyledForm):
    to_version = forms.CharField(label=_("Version installed"), max_length=40)
    to_build = forms.CharField(label=_("Build installed"), max_length=40, required=False)
    day = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_plausible_instant],
    )
    start = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    reason = forms.ChoiceField(label=_("Why"), choices=SoftwareUpdate.Reason.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def scheduled_for(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["start"]))
