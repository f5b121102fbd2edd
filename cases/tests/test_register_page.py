"""The registration page in the product's voice: the requester picker marks contacts no longer
designated, and a refusal is said once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Case, RefusedRequest
from contracts.tests.factories import TechnicalContactFactory

from .factories import customer_setup, engineer

pytestmark = pytest.mark.django_db
REGISTER = reverse("cases:register")


@pytest.fixture
def client_eng(client):
    client.force_login(engineer())
    return client


@pytest.fixture
def setup():
    setup = customer_setup()
    setup["inactive"] = TechnicalContactFactory(
        customer=setup["customer"], full_name="Rosa Inactiva", position="Jefe de Sistemas", is_active=False
    )
    return setup


def _options(html: str) -> dict[str, str]:
    select = html.split('id="id_requester"', 1)[1].split("</select>", 1)[0]
    options = {}
    for chunk in select.split("<option")[1:]:
        value = chunk.split('value="', 1)[1].split('"', 1)[0]
        options[value] = chunk.split(">", 1)[1].split("</option", 1)[0].strip()
    return options


def test_the_requester_picker_marks_an_inactive_contact(client_eng, setup) -> None:
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):  # the full page and the htmx partial
        body = client_eng.get(REGISTER, {"customer": setup["customer"].pk}, **headers).content.decode()
        options = _options(body)
        active, inactive = setup["requester"], setup["inactive"]
        assert options[str(inactive.pk)] == "Rosa Inactiva · Jefe de Sistemas (contacto inactivo)"
        assert options[str(active.pk)] == f"{active.full_name} · {active.position}"
        assert list(options)[-1] == str(inactive.pk)  # designated contacts first
        assert "Los contactos marcados como inactivos ya no están designados por el cliente." in body


def test_no_inactive_note_when_every_contact_is_active(client_eng) -> None:
    setup = customer_setup()
    body = client_eng.get(REGISTER, {"customer": setup["customer"].pk}).content.decode()
    assert "inactivo" not in body


def _post(setup, **overrides):
    data = {
        "customer": setup["customer"].pk,
        "requester": setup["requester"].pk,
        "installation": setup["installation"].pk,
        "channel": "phone",
        "kind": "incident",
        "scope": "product",
        "priority": "P2",
        "tier": "1",
        "subject": "Sin grabación",
        "description": "No se graban las llamadas desde las 8:00.",
    }
    data.update(overrides)
    return data


def test_a_request_from_an_inactive_contact_is_refused_once_on_the_page(client_eng, setup) -> None:
    response = client_eng.post(REGISTER, _post(setup, requester=setup["inactive"].pk))
    body = response.content.decode()
    assert response.status_code == 400 and not Case.objects.exists()
    assert RefusedRequest.objects.get().reason == "not_designated"
    assert body.count("Solicitud rechazada y registrada") == 1
    assert body.count("no es un contacto técnico designado") == 1
    # What was typed stays in the form, to correct the requester and send again.
    assert "No se graban las llamadas desde las 8:00." in body
    # Nothing left behind for the next page either.
    assert "rechazada" not in client_eng.get(reverse("cases:list")).content.decode()


def test_a_customer_name_ending_in_a_period_takes_no_second_one(client_eng, setup) -> None:
    setup["customer"].name = "Distribuidora Montaña S.A.S."
    setup["customer"].save()
    body = client_eng.post(REGISTER, _post(setup, requester=setup["inactive"].pk)).content.decode()
    assert "de Distribuidora Montaña S.A.S. Solo los contactos" in body
    assert "S.A.S.." not in body
    assert RefusedRequest.objects.get().message.count("S.A.S..") == 0
