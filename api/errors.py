"""Every error of the API is JSON: ``{"error": <code>, "detail": <message>}`` (plus ``"fields"``
with each field's messages when the input was invalid), in Spanish unless the request asked for
English (``Accept-Language: en``)."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cases.errors import CaseError


def case_error_response(error: CaseError) -> Response:
    """A rule of the cases app refused it (registration, activity): its own message and code."""
    return Response(
        {"error": str(error.code or "refused"), "detail": error.messages[0]},
        status=status.HTTP_400_BAD_REQUEST,
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, CaseError):
        return case_error_response(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "error": "invalid",
            "detail": _first_message(exc.detail),
            "fields": exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail},
        }
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "error": codes if isinstance(codes, str) else "error",
            "detail": str(exc.detail),
        }
    return response


def _first_message(detail: Any) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
        return ""
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else ""
    return str(detail)
