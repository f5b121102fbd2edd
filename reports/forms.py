"""The dashboard's filters: period, customer, plan, engineer. Invalid values are dropped."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import filter_choices
from contracts.models import SupportPlan

from .periods import DEFAULT_PERIOD, PERIODS
from .selectors import Filters

EMPTY = [("", _("All"))]


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=list(PERIODS.items()), required=False)
    customer = forms.TypedChoiceField(label=_("Customer"), coerce=int, required=False, empty_value=None)
    plan = forms.ChoiceField(label=_("Plan"), required=False)
    engineer = forms.TypedChoiceField(label=_("Engineer"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plans, customers, people = filter_choices()
        cast(forms.ChoiceField, self.fields["plan"]).choices = [*EMPTY, *plans]
        cast(forms.ChoiceField, self.fields["customer"]).choices = [*EMPTY, *customers]
        cast(forms.ChoiceField, self.fields["engineer"]).choices = [*EMPTY, *people]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def values(self) -> dict[str, Any]:
        """The valid filters (each invalid one dropped, the others kept)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "period": data.get("period") or DEFAULT_PERIOD,
            "customer": data.get("customer"),
            "plan": data.get("plan") or "",
            "engineer": data.get("engineer"),
        }


def filters_from(values: dict[str, Any]) -> Filters:
    plan_id = None
    if values["plan"]:
        plan_id = SupportPlan.objects.filter(code=values["plan"]).values_list("pk", flat=True).first()
    return Filters(customer=values["customer"], plan=plan_id, engineer=values["engineer"])
