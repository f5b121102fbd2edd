"""The phone IVR's access to the lookup endpoint: a long shared token, compared in constant time,
and a limit on wrong guesses per client address."""

from __future__ import annotations

import hmac
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)

# A token a guesser cannot find: 32 characters or more (e.g. `python -c "import secrets;
# print(secrets.token_urlsafe(32))"`). A shorter one leaves the endpoint off.
MIN_TOKEN_LENGTH = 32
# Wrong tokens allowed from one address within the window; then every request from it is refused
# until the window (counted from its first wrong token) has passed.
MAX_FAILURES = 10
FAILURE_WINDOW_SECONDS = 10 * 60


def token_problem(token: str) -> str | None:
    """Why this token cannot enable the endpoint (None when it can, or when it is unset: off)."""
    if token and len(token) < MIN_TOKEN_LENGTH:
        return (
            f"SMA_IVR_TOKEN has {len(token)} characters; at least {MIN_TOKEN_LENGTH} are needed. "
            "The IVR endpoint stays off."
        )
    return None


def configured_token() -> str:
    """The token the IVR must present, or "" while the endpoint is off (unset or too short)."""
    token = settings.SMA_IVR_TOKEN or ""
    problem = token_problem(token)
    if problem:
        logger.error(problem)
        return ""
    return token


def presented_token(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""


def token_matches(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def blocked(request: HttpRequest) -> bool:
    return int(cache.get(f"ivr-failures:{_client(request)}", 0)) >= MAX_FAILURES


def record_failure(request: HttpRequest) -> None:
    key = f"ivr-failures:{_client(request)}"
    cache.add(key, 0, timeout=FAILURE_WINDOW_SECONDS)  # the window starts at the first failure
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        failures = 1
        cache.set(key, failures, timeout=FAILURE_WINDOW_SECONDS)
    if failures == MAX_FAILURES:
        logger.warning("IVR endpoint: %d wrong tokens from %s; refused for a while", failures, key)
