"""Staff pages of the contracts app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import business_time, sla
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
            # The clock runs on the priority's calendar, which may be narrower than the plan's
            # service hours (Platinum P3/P4 count on 8x5: a Saturday request waits for Monday).
            clock_starts = business_time.next_opening(registered, policy.calendar)
            result = {
                "deadline": snap.attention_deadline(registered, plan, priority),
                "hours": policy.amount.total_seconds() / 3600,
                "calendar": policy.calendar.name,
                "registered": registered,
                "clock_starts": clock_starts,
                "clock_waits": clock_starts > registered,
            }
        except (sla.SlaPolicyMissing, sla.NoBusinessTime) as error:
            form.add_error(None, str(error))
        except OverflowError:  # a policy or calendar that puts the deadline past year 9999
            form.add_error(None, _("The deadline falls outside the calendar; check the policy and the date."))
    return render(request, "contracts/sla_simulator.html", {"form": form, "result": result})
