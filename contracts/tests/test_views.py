"""The attention-deadline simulator: staff see the policy at work; customers are kept out."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import AttentionPolicy

from .factories import UserFactory, gold_plan, platinum_plan

pytestmark = pytest.mark.django_db
URL = reverse("contracts:sla_simulator")


def test_simulator_shows_the_documents_example(admin_client) -> None:
    response = admin_client.get(
        URL, {"plan": gold_plan().pk, "priority": "P1", "registered_at": "2026-11-24T17:00"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "miércoles 25 de noviembre de 2026, 09:00" in body.lower()
    assert "Oficina 8x5" in body


def test_simulator_reflects_a_policy_edit(admin_client) -> None:
    AttentionPolicy.objects.filter(plan=gold_plan(), priority="P1").update(hours=Decimal("4"))
    AttentionPolicy.objects.get(plan=gold_plan(), priority="P1").save()
    response = admin_client.get(
        URL, {"plan": gold_plan().pk, "priority": "P1", "registered_at": "2026-11-24T17:00"}
    )
    assert "25 de noviembre de 2026, 11:00" in response.content.decode().lower()


def test_simulator_bad_input_is_a_clear_error(admin_client) -> None:
    response = admin_client.get(URL, {"plan": gold_plan().pk, "priority": "P9", "registered_at": "ayer"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Escoja una opción válida" in body and "Ingrese una fecha/hora válida" in body


def test_simulator_is_for_staff_only(client) -> None:
    customer_user = UserFactory()
    client.force_login(customer_user)
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


def test_simulator_shows_each_error_next_to_its_field(admin_client) -> None:
    response = admin_client.get(URL, {"plan": "", "priority": "P9", "registered_at": "ayer"})
    body = response.content.decode()
    # Shown, not hidden: Bootstrap hides a bare .invalid-feedback that follows no .is-invalid input.
    assert body.count('class="invalid-feedback d-block"') == 3
    assert "Este campo es obligatorio" in body
    assert "Corrija los campos marcados" in body
    assert body.count('aria-invalid="true"') == 3
    assert 'data-testid="deadline"' not in body


def test_simulator_platinum_p3_on_a_saturday_waits_for_monday(admin_client) -> None:
    response = admin_client.get(
        URL, {"plan": platinum_plan().pk, "priority": "P3", "registered_at": "2026-11-28T10:00"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "dentro del horario" not in body.lower()
    assert "El reloj empieza" in body
    clock = body.split('data-testid="clock-starts">', 1)[1].split("</dd>", 1)[0]
    assert "lunes 30 de noviembre de 2026, 07:30" in clock.lower()
    assert "no cuenta" in clock
    # 16 business hours from Monday 07:30 on the office calendar: Tuesday 13:30.
    assert "martes 1 de diciembre de 2026, 13:30" in body.lower()


def test_simulator_platinum_p1_on_a_saturday_starts_at_once(admin_client) -> None:
    response = admin_client.get(
        URL, {"plan": platinum_plan().pk, "priority": "P1", "registered_at": "2026-11-28T10:00"}
    )
    clock = response.content.decode().split('data-testid="clock-starts">', 1)[1].split("</dd>", 1)[0]
    assert "Al registrarse" in clock and "24x7" in clock
