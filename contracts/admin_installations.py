"""The installations a contract's admin form offers: only its customer's own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from .models import Installation


def _customer_id(form: forms.ModelForm) -> str | None:
    if form.is_bound:
        value = form.data.get(form.add_prefix("customer"))
    elif form.instance.pk:
        value = form.instance.customer_id
    else:
        value = form.initial.get("customer")  # the add page opened with ?customer=<id>
    value = getattr(value, "pk", value)
    return str(value) if value is not None and str(value).isdigit() else None


def contract_installations(form: forms.ModelForm) -> QuerySet[Installation]:
    """The chosen customer's installations, none before a customer is chosen. Installations of
    another customer that were posted stay in the list, so that the contract rules refuse them
    with a message naming them (instead of a bare "not one of the available choices")."""
    customer_id = _customer_id(form)
    offered = Q(customer_id=customer_id) if customer_id else Q(pk__in=[])
    if form.is_bound:
        getlist: Any = getattr(form.data, "getlist", None)
        posted = getlist(form.add_prefix("installations")) if getlist else []
        offered |= Q(pk__in=[value for value in posted if str(value).isdigit()])
    return Installation.objects.filter(offered).select_related("customer", "product")
