"""A request id on every log line: the web request's (taken from the proxy's ``X-Request-ID`` when
it is a sane token, else made here), answered back in the response's ``X-Request-ID``, and carried
into the Celery tasks the request queues (a message header), so one customer's click can be
followed from the web process to the worker that sent its e-mail."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
TASK_HEADER = "sma_request_id"
_SANE = re.compile(r"[A-Za-z0-9._-]{8,64}")

current: ContextVar[str] = ContextVar("sma_request_id", default="")


def new_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        request_id = given if _SANE.fullmatch(given) else new_id()
        # Kept until the response is finished (``request_finished``, below): Django logs a 404 or a
        # 500 after the middleware has returned, and that line must carry the id too.
        current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _request_finished(**kwargs: Any) -> None:
    current.set("")


request_finished.connect(_request_finished, dispatch_uid="sma.request_id.finished")


class RequestIdFilter(logging.Filter):
    """Puts the current request's (or task's) id on each record as ``request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current.get()
        return True


# --- Celery: the id travels in the task message's headers -----------------------------------

_task_tokens: dict[str, Any] = {}


def task_publish_add_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    """before_task_publish: the queuing request's id goes with the message."""
    request_id = current.get()
    if headers is not None and request_id:
        headers[TASK_HEADER] = request_id


def task_start_take_id(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
    """task_prerun: the worker logs under the id the message brought (or the task's own id)."""
    request = getattr(task, "request", None)
    given = getattr(request, TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    if getattr(request, "is_eager", False) and current.get():
        return  # run inline inside the request: already under its id
    _task_tokens[task_id] = current.set(given if isinstance(given, str) and given else f"task-{task_id}")


def task_end_drop_id(task_id: str = "", **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        try:
            current.reset(token)
        except ValueError:
            current.set("")
