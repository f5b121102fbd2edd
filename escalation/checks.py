"""System checks of the escalation app (``manage.py check``; run before the server starts)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from . import ivr


@register()
def ivr_token_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    problem = ivr.token_problem(settings.SMA_IVR_TOKEN or "")
    if problem is None:
        return []
    return [
        Error(
            problem,
            hint='Use a random value, e.g. python -c "import secrets; print(secrets.token_urlsafe(32))".',
            id="escalation.E001",
        )
    ]
