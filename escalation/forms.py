"""Forms of the PQR pages: input checks only; the rules live in escalation.services.pqr."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import StyledForm
from cases.models import Case
from contracts.models import TechnicalContact

from .models import Pqr, PqrStep


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} · {obj.position}" if obj.position else obj.full_name


class PqrRaiseForm(StyledForm):
    contact = ContactChoiceField(
        label=_("Raised by"), queryset=TechnicalContact.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Pqr.Kind.choices)
    description = forms.CharField(
        label=_("What the customer asks for"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        field.queryset = TechnicalContact.objects.filter(customer_id=case.customer_id).order_by(
            "-is_active", "full_name"
        )
        field.initial = case.requester_id


class PqrAcknowledgeForm(StyledForm):
    note = forms.CharField(
        label=_("Note to the customer (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class PqrEscalateForm(StyledForm):
    reason = forms.ChoiceField(
        label=_("Why"),
        choices=[
            (PqrStep.Reason.CUSTOMER, PqrStep.Reason.CUSTOMER.label),
            (PqrStep.Reason.STAFF, PqrStep.Reason.STAFF.label),
        ],
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class PqrResolveForm(StyledForm):
    resolution = forms.CharField(
        label=_("Answer to the customer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class PqrQueueForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("open", _("Open")), ("resolved", _("Resolved")), ("all", _("All"))], required=False
    )
