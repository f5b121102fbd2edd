"""The forms to schedule a preventive maintenance for a customer and to cancel one (desk and portal)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import StyledForm
from contracts.models import Installation, SupportContract, TechnicalContact
from contracts.validators import validate_plausible_instant


class MaintenanceRequestForm(StyledForm):
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=SupportContract.objects.none())
    installation = forms.ModelChoiceField(label=_("Installation"), queryset=Installation.objects.none())
    requester = forms.ModelChoiceField(label=_("Requested by"), queryset=TechnicalContact.objects.none())
    day = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_plausible_instant],
    )
    start = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    onsite = forms.BooleanField(label=_("on-site maintenance"), required=False)
    extended_hours = forms.BooleanField(label=_("extended hours 24x7"), required=False)
    cable_cleaning = forms.BooleanField(label=_("cable or supplies cleaning"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, contracts: Any, customer_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (
            ("contract", contracts),
            ("installation", Installation.objects.filter(customer_id=customer_id).select_related("product")),
            ("requester", TechnicalContact.objects.filter(customer_id=customer_id, is_active=True)),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset

    def scheduled_for(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["day"], data["start"]))


class MaintenanceCancelForm(StyledForm):
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=500)
