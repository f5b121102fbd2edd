"""The customer's entitlement (the IVR's answer, at its old address too) and the OpenAPI schema."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.urls import reverse
from openapi_spec_validator import validate

from cases.tests.factories import customer_setup, engineer
from contracts.tests.factories import platinum_plan
from escalation.models import OnCallShift

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
IVR_TOKEN = "k3Yt7bQ2wZ9xN4vR8mL1pS6dF0gH5jCe-ivr"


def test_entitlement_is_the_ivr_answer_at_both_addresses(reader, client, settings, clock) -> None:
    clock.move_to(datetime(2026, 11, 25, 2, 0, tzinfo=BOGOTA))
    duty = engineer(first_name="Nocturno", last_name="Turno")
    OnCallShift.objects.create(
        engineer=duty,
        starts_at=datetime(2026, 11, 24, 17, 30, tzinfo=BOGOTA),
        ends_at=datetime(2026, 11, 25, 7, 30, tzinfo=BOGOTA),
        phone="+573001112233",
    )
    setup = customer_setup(plan=platinum_plan())
    number = setup["customer"].customer_number

    api = reader.get(reverse("api:entitlement", args=[number]))
    assert api.status_code == 200
    settings.SMA_IVR_TOKEN = IVR_TOKEN
    ivr = client.get(
        reverse("escalation:ivr_lookup"), {"numero": number}, HTTP_AUTHORIZATION=f"Bearer {IVR_TOKEN}"
    )
    assert ivr.status_code == 200
    assert (
        api.json()
        == ivr.json()
        == {
            "found": True,
            "customer": setup["customer"].name,
            "contract_in_force": True,
            "plan": "PLATINUM_24X7",
            "plan_name": setup["contract"].plan.name,
            "within_plan_hours": True,
            "office_hours": False,
            "on_duty": {
                "name": "Nocturno Turno",
                "phone": "+573001112233",
                "until": "2026-11-25T07:30:00-05:00",
            },
        }
    )


def test_entitlement_of_an_unknown_customer_is_404_and_needs_a_key(reader) -> None:
    assert reader.get(reverse("api:entitlement", args=["99999999"])).status_code == 404
    assert reader.get(reverse("api:entitlement", args=["abc"])).json()["error"] == "not_found"
    from .conftest import ApiClient

    assert ApiClient().get(reverse("api:entitlement", args=["1001"])).status_code == 401


def test_the_openapi_schema_validates(client) -> None:
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/cases/",
        "/api/v1/cases/{number}/",
        "/api/v1/cases/{number}/activities/",
        "/api/v1/customers/{number}/entitlement/",
    }
    assert schema["components"]["securitySchemes"]["ApiKey"]["name"] == "Authorization"
    listing = schema["paths"]["/api/v1/cases/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "status",
        "priority",
        "plan",
        "customer",
        "assignee",
        "q",
        "cursor",
        "limit",
    }
    assert {"401", "403", "429"} <= set(listing["responses"])


def test_the_documentation_is_served_from_vendored_files(client) -> None:
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html and "//cdn" not in html and "https://" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
