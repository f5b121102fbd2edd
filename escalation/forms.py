"""Forms of the PQR pages: input checks only; the rules live in escalation.services.pqr."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.forms import StyledForm
from cases.models import Case
from contracts.forms import TechnicalContactChoiceField
from contracts.models import TechnicalContact

from .models import Pqr, PqrStep


class PqrRaiseForm(StyledForm):
    contact = TechnicalContactChoiceField(
        label=_("Raised by"), queryset=TechnicalContact.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Pqr.Kind.choices)
    description = forms.CharField(
        label=_("What the customer asks for"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["contact"])
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


# The queue's tabs (the labels agree with "las PQR": abiertas, resueltas, todas).
PQR_QUEUE_TABS = [
    ("open", pgettext_lazy("PQRs", "Open")),
    ("resolved", pgettext_lazy("PQRs", "Resolved")),
    ("all", pgettext_lazy("PQRs", "All")),
]


class PqrQueueForm(forms.Form):
    status = forms.ChoiceField(
        choices=PQR_QUEUE_TABS,
        required=False,
    )
