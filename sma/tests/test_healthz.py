"""/healthz: 200 with each part's state when all answer; 503 naming the part that failed."""

from __future__ import annotations

import pytest

from sma import health

pytestmark = pytest.mark.django_db


def test_healthy(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "shared_cache": "ok"}}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_failed_part_is_named_with_503(client, monkeypatch) -> None:
    def broken() -> None:
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.CHECKS, "shared_cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "failed", "checks": {"database": "ok", "shared_cache": "failed"}}
    assert "refused" not in response.content.decode()  # no details leak


def test_only_get(client) -> None:
    assert client.post("/healthz").status_code == 405
