from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Priority, SupportPlan, TechnicalContact
from .validators import validate_plausible_instant


class TechnicalContactChoiceField(forms.ModelChoiceField):
    """A customer's contacts by name and position; one no longer designated is marked as such."""

    def label_from_instance(self, obj: Any) -> str:
        contact: TechnicalContact = obj
        label = f"{contact.full_name} · {contact.position}" if contact.position else contact.full_name
        if not contact.is_active:
            label = _("%(contact)s (inactive contact)") % {"contact": label}
        return label


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SlaSimulationForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Support plan"), queryset=SupportPlan.objects.all())
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    registered_at = forms.DateTimeField(
        label=_("Registered at"),
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Local time (America/Bogota)."),
        validators=[validate_plausible_instant],
    )

    @staticmethod
    def initial_now() -> datetime:
        return timezone.localtime().replace(second=0, microsecond=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css
