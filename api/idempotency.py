"""A write sent again with the same ``Idempotency-Key`` header gets the first one's answer.

The key is claimed (an ApiWrite row, unique per API key) in the same transaction as the change; a
second request with it waits on the unique index while the first is in flight, then answers what
the first answered (header ``Idempotent-Replayed: true``). A request refused by the registration
rules keeps its answer too (the refusal is recorded, like on the desk); invalid input leaves the
key unused, so the integration can correct and send it again. Without the header every request is
a new one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from cases.errors import RegistrationRefused

from .errors import case_error_response
from .models import ApiKey, ApiWrite

HEADER = "Idempotency-Key"
TOKEN = re.compile(r"[A-Za-z0-9_.:-]{8,64}")


def idempotent(request: Request, key: ApiKey, run: Callable[[], Response]) -> Response:
    token = request.headers.get(HEADER, "").strip()
    if not token:
        return run()
    if not TOKEN.fullmatch(token):
        raise ValidationError({HEADER: [_("Use 8 to 64 letters, digits or - _ . : as the idempotency key.")]})
    with transaction.atomic():
        try:
            with transaction.atomic():
                write = ApiWrite.objects.create(
                    api_key=key,
                    token=token,
                    method=request.method,
                    path=request.path,
                    created_at=timezone.now(),
                )
        except IntegrityError:
            return _replay(request, key, token)
        try:
            response = run()
        except RegistrationRefused as refused:
            response = case_error_response(refused)
        write.status = response.status_code
        write.response = response.data
        write.save(update_fields=["status", "response"])
        return response


def _replay(request: Request, key: ApiKey, token: str) -> Response:
    first = ApiWrite.objects.get(api_key=key, token=token)
    if first.method != request.method or first.path != request.path:
        raise ValidationError({HEADER: [_("This idempotency key was used for another request.")]})
    response = Response(first.response, status=first.status)
    response["Idempotent-Replayed"] = "true"
    if isinstance(first.response, dict) and first.status == 201 and first.response.get("number"):
        response["Location"] = request.build_absolute_uri(f"/api/v1/cases/{first.response['number']}/")
    return response
