"""Every portal and staff URL (routes.ROUTES) × anonymous, two contacts of company A, a contact of
company B, an engineer and a manager: the expected status for each, and where a request is refused
the database is unchanged."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client

from cases.models import Case

from .routes import ROLES, ROUTES, Route
from .world import World

pytestmark = pytest.mark.django_db

_APPS = ("cases", "contracts", "escalation", "warranty", "knowledge", "portal", "auth", "axes")


def database_fingerprint() -> tuple:
    """Row counts of every table of ours, and every case's state and last change."""
    counts = tuple(
        (model._meta.label, model._default_manager.count())
        for label in _APPS
        if apps.is_installed(label) or label in ("auth", "axes")
        for model in apps.get_app_config(label).get_models()
        if not (label == "axes" and model._meta.model_name == "accesslog")
    )
    cases = tuple(
        Case.objects.order_by("pk").values_list("pk", "status", "updated_at", "priority", "assigned_to")
    )
    return counts, cases


def _client_for(role: str, world: World) -> Client:
    client = Client()
    user = {
        "anonymous": None,
        "a1": world.a1.user,
        "a2": world.a2.user,
        "b1": world.b1.user,
        "engineer": world.engineer,
        "manager": world.manager,
    }[role]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("route", ROUTES, ids=[r.label for r in ROUTES])
def test_authorisation_matrix(route: Route, world: World) -> None:
    wrong = []
    url = route.url(world)  # what the row needs is built before any fingerprint is taken
    for role in ROLES:
        expected = route.expected[role]
        if expected is None:
            continue
        client = _client_for(role, world)
        before = database_fingerprint()
        response = getattr(client, route.method)(url, route.data(world))
        if response.status_code != expected:
            wrong.append(f"{role}: {response.status_code} (expected {expected})")
        if expected in (302, 404, 405) and database_fingerprint() != before:
            wrong.append(f"{role}: the database changed on a refused {route.method.upper()}")
    assert not wrong, f"{route.label}: " + "; ".join(wrong)
