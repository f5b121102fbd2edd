"""The endpoint the phone IVR (CTMail) asks when a customer keys in their number."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from contracts import selectors as contract_selectors

from . import ivr
from .selectors import customer_entitlement


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
    return JsonResponse(customer_entitlement(customer=customer, now=timezone.now()))
