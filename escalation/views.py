"""The endpoint the phone IVR (CTMail) asks when a customer keys in their number."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from contracts import selectors as contract_selectors
from contracts import sla

from . import ivr
from .selectors import hours_at, on_duty


@require_GET
def ivr_lookup(request: HttpRequest) -> JsonResponse:
    """``GET /ivr/cliente/?numero=1001`` with ``Authorization: Bearer <SMA_IVR_TOKEN>``.

    Answers whether the customer has a contract in force, its plan, whether now is inside the
    plan's hours, and the engineer on duty to call (for 24x7 customers outside office hours).
    """
    expected = ivr.configured_token()
    if not expected:
        return JsonResponse({"error": "ivr_disabled"}, status=503)
    if ivr.blocked(request):
        response = JsonResponse({"error": "too_many_failures"}, status=429)
        response["Retry-After"] = str(ivr.FAILURE_WINDOW_SECONDS)
        return response
    if not ivr.token_matches(ivr.presented_token(request), expected):
        ivr.record_failure(request)
        return JsonResponse({"error": "unauthorized"}, status=401)
    number = request.GET.get("numero", "").strip()
    if not (number.isascii() and number.isdigit()):
        return JsonResponse({"error": "bad_customer_number"}, status=400)
    customer = contract_selectors.customer_by_number(customer_number=number)
    if customer is None:
        return JsonResponse({"found": False}, status=404)
    now = timezone.now()
    contract = contract_selectors.contract_in_force(customer=customer, on=timezone.localdate(now))
    answer: dict[str, object] = {
        "found": True,
        "customer": customer.name,
        "contract_in_force": contract is not None,
        "plan": contract.plan.code if contract else None,
        "plan_name": contract.plan.name if contract else None,
        "within_plan_hours": False,
        "office_hours": False,
        "on_duty": None,
    }
    if contract is not None:
        hours = hours_at(instant=now, plan=contract.plan, snap=sla.snapshot())
        answer["within_plan_hours"], answer["office_hours"] = hours.within_plan, hours.office
        if hours.after_hours:
            shift = on_duty(at=now)
            if shift is not None:
                answer["on_duty"] = {
                    "name": shift.engineer.get_full_name() or shift.engineer.get_username(),
                    "phone": shift.phone.as_e164 if shift.phone else "",
                    "until": timezone.localtime(shift.ends_at).isoformat(),
                }
    return JsonResponse(answer)
