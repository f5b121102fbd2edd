"""Staff pages of the contracts app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import sla
from .forms import SlaSimulationForm


@login_required
@permission_required("contracts.view_attentionpolicy", raise_exception=True)
def sla_simulator(request: HttpRequest) -> HttpResponse:
    """What deadline would a case get? Shows the current policy and calendars at work."""
    form = SlaSimulationForm(
        request.GET or None, initial={"registered_at": SlaSimulationForm.initial_now(), "priority": "P1"}
    )
    result = None
    if form.is_valid():
        plan, priority = form.cleaned_data["plan"], form.cleaned_data["priority"]
        registered = form.cleaned_data["registered_at"]
        try:
            snap = sla.snapshot()
            policy = snap.policy(plan, priority)
            result = {
                "deadline": snap.attention_deadline(registered, plan, priority),
                "hours": policy.amount.total_seconds() / 3600,
                "calendar": policy.calendar.name,
                "registered": registered,
                "within_hours": sla.is_within_service_hours(registered, plan),
            }
        except (sla.SlaPolicyMissing, sla.NoBusinessTime) as error:
            form.add_error(None, str(error))
    return render(request, "contracts/sla_simulator.html", {"form": form, "result": result})
