"""Fixtures of the certificate tests."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from contracts.tests.factories import UserFactory

SITE = "https://sma.calltechsa.com"


def _clear_shared_cache() -> None:
    """Forget this test database's rate-limit counters (the Redis server is shared: only our keys)."""
    cache = caches["shared"]
    client = getattr(cache, "_cache", None)
    if client is None:
        cache.clear()
        return
    redis = client.get_client(write=True)
    prefix = cache.make_key("")
    for key in redis.scan_iter(match=f"{prefix}*"):
        redis.delete(key)


@pytest.fixture(autouse=True)
def _certificate_settings(settings):
    settings.SMA_SITE_URL = SITE
    _clear_shared_cache()
    yield
    _clear_shared_cache()


@pytest.fixture
def issuer(db):
    return UserFactory(
        username="lmendez", first_name="Laura", last_name="Méndez Ruiz", is_staff=True, is_superuser=True
    )
