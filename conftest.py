"""Fixtures shared by every app's tests."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_sla_cache():
    """Each test sees the policy and calendars of its own transaction."""
    from contracts import sla

    sla.invalidate()
    yield
    sla.invalidate()
