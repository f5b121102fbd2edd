"""PQR pages in correct Spanish: "la PQR" is feminine, and contacts no longer designated are marked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cases.tests.factories import manager, registered_case
from contracts.tests.factories import TechnicalContactFactory
from escalation.forms import PqrRaiseForm
from escalation.models import Pqr

pytestmark = pytest.mark.django_db


def _tabs(body: str) -> list[str]:
    nav = body.split('class="nav nav-pills small"', 1)[1].split("</nav>", 1)[0]
    return [label.strip() for label in re.findall(r"<a [^>]*>([^<]+)</a>", nav)]


def test_queue_tabs_agree_with_las_pqr(client) -> None:
    client.force_login(manager())
    url = reverse("escalation:pqr_queue")
    body = client.get(url).content.decode()
    assert _tabs(body) == ["Abiertas", "Resueltas", "Todas"]
    assert 'aria-current="page">Abiertas' in body
    assert "PQR abiertas; primero las que más llevan esperando." in body
    resolved = client.get(url, {"status": "resolved"}).content.decode()
    assert 'aria-current="page">Resueltas' in resolved
    assert "PQR resueltas; primero las más recientes." in resolved
    assert "Todas las PQR" in client.get(url, {"status": "all"}).content.decode()


def test_one_pqrs_status_is_feminine() -> None:
    assert str(Pqr.Status.OPEN.label) == "Abierta"
    assert str(Pqr.Status.RESOLVED.label) == "Resuelta"


def test_the_pqr_form_marks_an_inactive_contact() -> None:
    case = registered_case()
    gone = TechnicalContactFactory(
        customer=case.customer, full_name="Óscar Retirado", position="", is_active=False
    )
    labels = dict(PqrRaiseForm(case=case).fields["contact"].choices)
    assert labels[gone.pk] == "Óscar Retirado (contacto inactivo)"
    assert "inactivo" not in labels[case.requester_id]
