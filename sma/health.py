"""``/healthz`` for a load balancer: 200 when the parts this process needs answer, 503 naming the
part that failed. No login, no secrets, nothing written but a throw-away cache key; never cached."""

from __future__ import annotations

import logging
import secrets

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _shared_cache() -> None:
    cache = caches["shared"]
    key, value = "healthz:probe", secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the shared cache did not return what was stored")


CHECKS = {"database": _database, "shared_cache": _shared_cache}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception:  # any failure of a part is the answer, not a 500
            logger.exception("health check %s failed", name)
            results[name] = "failed"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failed", "checks": results}, status=200 if healthy else 503
    )
