"""A refused PQR action says why on the page, also when its form is not on the page (the user may not
take that action, or the PQR was resolved meanwhile); the reason appears once."""

from __future__ import annotations

import html
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.tests.factories import customer_setup, engineer, manager, registered_case
from escalation.models import Pqr
from escalation.services import pqr as pqr_services

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=BOGOTA)
FORBIDDEN = "Solo los gerentes de soporte y los niveles de escalamiento pueden"
SEE_BELOW = "vea los errores abajo"


@pytest.fixture
def pqr() -> Pqr:
    setup = customer_setup(start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))
    case = registered_case(setup=setup, priority="P1", now=NOW)
    return pqr_services.pqr_raise(
        actor=None,
        case=case,
        contact=case.requester,
        kind=Pqr.Kind.COMPLAINT,
        description="Nadie nos ha llamado.",
        now=NOW + timedelta(days=2),
    )


def _act(client, pqr: Pqr, action: str, **data: str):
    return client.post(
        reverse("escalation:pqr_action", args=[pqr.pk, action]), {f"{action}-{k}": v for k, v in data.items()}
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(("action", "data"), [("acknowledge", {"note": "Lo tomo."}), ("resolve", {"resolution": "Listo."})])
def test_an_engineer_refused_sees_the_reason(client, pqr, action, data) -> None:
    client.force_login(engineer())
    response = _act(client, pqr, action, **data)
    assert response.status_code == 400
    body = _text(response)
    assert body.count(FORBIDDEN) == 1 and SEE_BELOW not in body
    pqr.refresh_from_db()
    assert pqr.status == Pqr.Status.OPEN and not pqr.steps.filter(acknowledged_at__isnull=False).exists()


@pytest.mark.parametrize(("action", "data"), [("acknowledge", {"note": "Lo tomo."}), ("resolve", {"resolution": "Otra."})])
def test_acting_on_a_pqr_resolved_meanwhile_says_so(client, pqr, action, data) -> None:
    client.force_login(manager())
    assert _act(client, pqr, "resolve", resolution="Visita en sitio hoy.").status_code == 302
    response = _act(client, pqr, action, **data)
    assert response.status_code == 400
    body = _text(response)
    assert body.count(f"{pqr.code} ya está resuelta.") == 1 and SEE_BELOW not in body


def test_a_second_acknowledgement_says_why_once(client, pqr) -> None:
    client.force_login(manager())
    assert _act(client, pqr, "acknowledge", note="Lo tomo.").status_code == 302
    response = _act(client, pqr, "acknowledge", note="Otra vez.")
    assert response.status_code == 400
    body = _text(response)
    assert body.count(f"El nivel N1 ya acusó recibo de {pqr.code}.") == 1
    assert "Otra vez." in body  # what was typed is kept in the form


def test_a_missing_answer_is_shown_next_to_the_field(client, pqr) -> None:
    client.force_login(manager())
    response = _act(client, pqr, "resolve", resolution="")
    assert response.status_code == 400
    body = _text(response)
    assert SEE_BELOW in body and "Este campo es obligatorio." in body


def test_input_errors_of_a_form_not_on_the_page_are_said_at_the_top(client, pqr) -> None:
    client.force_login(engineer())  # no resolve form for engineers
    response = _act(client, pqr, "resolve", resolution="")
    assert response.status_code == 400
    body = _text(response)
    assert SEE_BELOW not in body and "Este campo es obligatorio." in body


def test_raising_a_second_pqr_says_why(client, pqr) -> None:
    client.force_login(engineer())
    response = client.post(
        reverse("escalation:case_pqr_raise", args=[pqr.case.number]),
        {"raise-contact": pqr.contact_id, "raise-kind": "claim", "raise-description": "Otra queja."},
    )
    assert response.status_code == 400
    body = _text(response)
    assert body.count(f"El caso {pqr.case.number} ya tiene una PQR abierta") == 1 and SEE_BELOW not in body
    assert Pqr.objects.count() == 1
