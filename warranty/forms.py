"""Forms of the warranty desk. They check input; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import StyledForm

from .models import HardwareAsset, RmaExclusion
from .selectors import STATE_FILTERS


class AssetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.model} · {obj.serial_number} ({obj.get_warranty_plan_display()})"


class RmaOpenForm(StyledForm):
    asset = AssetChoiceField(label=_("Unit"), queryset=HardwareAsset.objects.none())
    fault = forms.CharField(label=_("Fault found"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, customer_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["asset"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = HardwareAsset.objects.filter(customer_id=customer_id).order_by(
            "model", "serial_number"
        )


class RmaStepForm(StyledForm):
    note = forms.CharField(
        label=_("Note (the customer reads it)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RmaRejectForm(RmaStepForm):
    exclusion = forms.ChoiceField(label=_("Not covered"), choices=[("", "—"), *RmaExclusion.choices])


class AssetFilterForm(forms.Form):
    customer = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    state = forms.ChoiceField(
        label=_("Warranty"),
        required=False,
        choices=[
            ("all", _("All")),
            ("in_force", _("In force")),
            ("expired", _("Expired")),
            ("void", _("Void")),
        ],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=80)

    def clean_state(self) -> str:
        value = self.cleaned_data.get("state") or "all"
        return value if value in STATE_FILTERS else "all"
