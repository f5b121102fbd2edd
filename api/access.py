"""Who may call the API: an integration's key (``Authorization: Api-Key <key>``), its scope, its rate.

A missing key is 401, a wrong, revoked or expired one 401 too, a read-only key asking to write 403,
more requests than the key's rate 429 (counted per key in the shared cache, so every web process
counts together). Errors are JSON (``api.errors``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiKey

KEYWORD = "Api-Key"


class ApiClient:
    """The integration behind a request (DRF's ``request.user``): not a person, never staff."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    pk = None

    def __init__(self, key: ApiKey) -> None:
        self.key = key

    def __str__(self) -> str:
        return f"API: {self.key.name}"


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[ApiClient, ApiKey] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        keyword, _sep, given = header.partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None  # no key: NotAuthenticated (401) from the permission check
        given = given.strip()
        try:
            key = ApiKey.objects.get_from_key(given) if given else None
        except ApiKey.DoesNotExist:
            key = None
        if key is None or not isinstance(key, ApiKey) or key.revoked:
            raise exceptions.AuthenticationFailed(_("The API key is not valid or was revoked."))
        if key.expiry_date is not None and key.expiry_date <= timezone.now():
            raise exceptions.AuthenticationFailed(_("The API key has expired."))
        return ApiClient(key), key

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD  # 401, with WWW-Authenticate: Api-Key


class KeyScope(permissions.BasePermission):
    """Any valid key reads; only a read-and-write key changes anything."""

    message = _("This API key may only read.")

    def has_permission(self, request: Request, view: Any) -> bool:
        key = request.auth
        if not isinstance(key, ApiKey):
            return False  # no key: DRF answers 401 (NotAuthenticated)
        return request.method in permissions.SAFE_METHODS or key.may_write


class KeyRateThrottle(SimpleRateThrottle):
    """Requests per key within a window (``SMA_API_RATE``, e.g. "600/min"), in the shared cache."""

    scope = "api_key"

    @property
    def cache(self) -> Any:
        return caches["shared"]

    def get_rate(self) -> str:
        return str(settings.SMA_API_RATE)

    def allow_request(self, request: Any, view: Any) -> bool:
        # The rate is read per request (settings may change in tests); DRF parses it at init.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        key = request.auth
        if not isinstance(key, ApiKey):
            return None  # refused before this anyway
        return self.cache_format % {"scope": self.scope, "ident": key.prefix}
