"""A web worker does its once-per-process work when it starts (sma.wsgi), not in its first request."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches, get_resolver, reverse
from django.urls.resolvers import get_ns_resolver
from django.utils import translation

from sma.warmup import HOT_TEMPLATES, warm_up


def _cached_templates() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]  # the cached loader (DEBUG off)
    return {template.origin.template_name for template in loader.get_template_cache.values()}


@pytest.mark.django_db
def test_warm_up_builds_url_lookups_and_templates_without_the_database() -> None:
    clear_url_caches()
    get_ns_resolver.cache_clear()
    engines["django"].engine.template_loaders[0].reset()
    with CaptureQueriesContext(connection) as ctx:
        warm_up()
    assert ctx.captured_queries == []
    assert set(HOT_TEMPLATES) <= _cached_templates()
    resolver = get_resolver()
    for code in ("es-co", "en"):
        assert code in resolver._reverse_dict
    misses = get_ns_resolver.cache_info().misses
    with translation.override("es-co"):
        assert reverse("cases:detail", args=["SMA-2026-000001"]) == "/casos/SMA-2026-000001/"
        reverse("admin:index")
    assert get_ns_resolver.cache_info().misses == misses  # the namespaces' lookups were built already


def test_the_wsgi_module_warms_the_worker_up() -> None:
    engines["django"].engine.template_loaders[0].reset()
    assert not set(HOT_TEMPLATES) & _cached_templates()
    import sma.wsgi

    importlib.reload(sma.wsgi)  # what gunicorn does in a new worker: import it
    assert set(HOT_TEMPLATES) <= _cached_templates()
