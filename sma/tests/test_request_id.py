"""The request id: answered in X-Request-ID (the proxy's when sane), on every log line of the
request, and carried into the tasks it queues; JSON log lines when asked."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

import pytest
from django.urls import reverse

from sma import request_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineer_user():
    from cases.tests.factories import engineer

    return engineer()


def test_each_response_has_an_id_and_a_sane_one_from_the_proxy_is_kept(client) -> None:
    first = client.get(reverse("login"))["X-Request-ID"]
    second = client.get(reverse("login"))["X-Request-ID"]
    assert len(first) == 32 and first != second
    assert client.get(reverse("login"), HTTP_X_REQUEST_ID="lb-7f3a9c01")["X-Request-ID"] == "lb-7f3a9c01"
    forged = client.get(reverse("login"), HTTP_X_REQUEST_ID="<script>\nx")["X-Request-ID"]
    assert forged != "<script>\nx" and len(forged) == 32


def test_log_lines_of_a_request_carry_its_id(client, engineer_user) -> None:
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    handler = Keep()
    handler.addFilter(request_id.RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.force_login(engineer_user)
        response = client.get("/casos/SMA-2026-999999/", HTTP_X_REQUEST_ID="req-12345678")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    assert seen and all(record.request_id == "req-12345678" for record in seen)  # type: ignore[attr-defined]
    assert request_id.current.get() == ""  # cleared once the response finished


def test_the_id_travels_into_a_queued_task_and_back_out() -> None:
    token = request_id.current.set("req-abcdef12")
    headers: dict = {}
    request_id.task_publish_add_id(headers=headers)
    request_id.current.reset(token)
    assert headers == {"sma_request_id": "req-abcdef12"}
    # The worker: the task's request carries the header.
    task = SimpleNamespace(request=SimpleNamespace(sma_request_id="req-abcdef12", is_eager=False))
    request_id.task_start_take_id(task_id="t1", task=task)
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "enviado", None, None)
    request_id.RequestIdFilter().filter(record)
    assert record.request_id == "req-abcdef12"
    request_id.task_end_drop_id(task_id="t1")
    assert request_id.current.get() == ""
    # A task queued by the beat (no request): its own id.
    bare = SimpleNamespace(request=SimpleNamespace(is_eager=False))
    request_id.task_start_take_id(task_id="t2", task=bare)
    assert request_id.current.get() == "task-t2"
    request_id.task_end_drop_id(task_id="t2")


def test_json_log_lines() -> None:
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )
    record = logging.LogRecord("cases", logging.INFO, __file__, 1, "Caso %s registrado", ("SMA-1",), None)
    record.request_id = "req-1"
    line = json.loads(formatter.format(record))
    assert (
        line["level"] == "INFO" and line["logger"] == "cases" and line["message"] == "Caso SMA-1 registrado"
    )
    assert line["request_id"] == "req-1" and "time" in line
