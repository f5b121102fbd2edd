"""Per-request reads of the SLA tables' revision (see :mod:`contracts.sla`)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import sla


class SlaRevisionMiddleware:
    """Every SLA computation of one request uses the revision read first in it (one query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with sla.revision_scope():
            return self.get_response(request)
