"""Portal forms: input checks only."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import StyledForm
from cases.models import CaseStatus
from contracts.models import Priority

from .selectors import PortalFilters


class CaseFilterForm(StyledForm):
    STATE_CHOICES = [("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("Cases"), choices=STATE_CHOICES, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *list(CaseStatus.choices)], required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", _("Any")), *list(Priority.choices)], required=False
    )
    product = forms.TypedChoiceField(label=_("Product"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, products: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["product"]).choices = [("", _("Any")), *products]

    def filters(self) -> PortalFilters:
        """The valid filters; an invalid one is dropped, the others still apply."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return PortalFilters(
            state=data.get("state") or "open",
            status=data.get("status") or "",
            priority=data.get("priority") or "",
            product=data.get("product"),
            q=data.get("q") or "",
        )
