"""A limit on public verification look-ups per client address, counted in the cache every web
process shares (``CACHES["shared"]``: Redis when configured)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


def _key(request: HttpRequest) -> str:
    return f"verify-lookups:{request.META.get('REMOTE_ADDR', '')}"


def lookup_allowed(request: HttpRequest) -> bool:
    """Count this look-up; False once the address made more than the limit within the window
    (counted from its first look-up)."""
    cache = caches["shared"]
    key, window = _key(request), settings.SMA_VERIFY_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        count = 1
        cache.set(key, count, timeout=window)
    return count <= settings.SMA_VERIFY_LIMIT
