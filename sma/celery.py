"""The Celery application, configured from Django settings (``CELERY_*``)."""

import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sma.settings.local")

app = Celery("sma")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


_sla_scopes: dict[str, object] = {}


@task_prerun.connect
def _sla_scope_begin(task_id: str, **kwargs: object) -> None:
    """Each task reads the SLA tables' revision once (see contracts.sla.revision_scope)."""
    from contracts import sla

    _sla_scopes[task_id] = sla.scope_begin()


@task_postrun.connect
def _sla_scope_end(task_id: str, **kwargs: object) -> None:
    from contracts import sla

    token = _sla_scopes.pop(task_id, None)
    if token is not None:
        try:
            sla.scope_end(token)  # type: ignore[arg-type]
        except (ValueError, RuntimeError):
            pass  # a token from another context (eager tasks nested in a request): nothing to reset


# The web request's id on the worker's log lines (see sma.request_id).
def _connect_request_id() -> None:
    from sma import request_id

    before_task_publish.connect(request_id.task_publish_add_id, weak=False)
    task_prerun.connect(request_id.task_start_take_id, weak=False)
    task_postrun.connect(request_id.task_end_drop_id, weak=False)


_connect_request_id()
