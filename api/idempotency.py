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
from datetime import datetime, timedelta
from typing import Any

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
KEEP_FOR = timedelta(days=7)
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
        write.response = _kept(response)
        write.save(update_fields=["status", "response"])
        return response


def _kept(response: Response) -> dict[str, Any]:
    """What is kept of the answer: what was written (the case's number, the activity's id), read
    again when replayed — no copy of contacts' data that could outlive its erasure; a refusal's
    message as it was (pruned with the row after KEEP_FOR)."""
    data = response.data if isinstance(response.data, dict) else {}
    if response.status_code == 201 and "activities" in data:
        return {"case": data["number"]}
    if response.status_code == 201:
        return {"activity": data["id"]}
    return {"error": data.get("error"), "detail": data.get("detail")}


def _replay(request: Request, key: ApiKey, token: str) -> Response:
    from .views import replay_answer  # the views render what was written

    first = ApiWrite.objects.get(api_key=key, token=token)
    if first.method != request.method or first.path != request.path:
        raise ValidationError({HEADER: [_("This idempotency key was used for another request.")]})
    response = replay_answer(request, status=first.status or 200, kept=first.response or {})
    response["Idempotent-Replayed"] = "true"
    return response


def api_writes_prune(*, now: datetime | None = None, keep: timedelta = KEEP_FOR) -> int:
    """Forget the idempotency keys used more than ``keep`` ago (daily, beat)."""
    deleted, _by_model = ApiWrite.objects.filter(created_at__lt=(now or timezone.now()) - keep).delete()
    return deleted
