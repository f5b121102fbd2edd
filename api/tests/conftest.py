"""API keys and a client that sends them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from api.models import ApiKey, ApiScope


class ApiClient:
    """Django's test client with an ``Authorization: Api-Key`` header and JSON bodies."""

    def __init__(self, key: str | None = None, language: str = "") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if key is not None:
            self.headers["Authorization"] = f"Api-Key {key}"
        if language:
            self.headers["Accept-Language"] = language

    def get(self, path: str, params: dict[str, Any] | None = None, **extra: str) -> Any:
        return self.client.get(path, params or {}, headers=self.headers, **extra)

    def post(self, path: str, data: dict[str, Any], **extra: str) -> Any:
        return self.client.post(
            path, json.dumps(data), content_type="application/json", headers=self.headers, **extra
        )


@pytest.fixture
def read_key() -> tuple[ApiKey, str]:
    return ApiKey.objects.create_key(name="Tablero BI", scope=ApiScope.READ)


@pytest.fixture
def write_key() -> tuple[ApiKey, str]:
    return ApiKey.objects.create_key(name="CRM Ventas", scope=ApiScope.WRITE)


@pytest.fixture
def reader(read_key) -> ApiClient:
    return ApiClient(read_key[1])


@pytest.fixture
def writer(write_key) -> ApiClient:
    return ApiClient(write_key[1])
