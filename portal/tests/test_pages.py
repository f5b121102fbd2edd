"""The portal's case list and case page: the company's cases, only the public side of them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .world import INTERNAL_FILE, INTERNAL_NOTE, PUBLIC_FILE

pytestmark = pytest.mark.django_db


def test_list_shows_the_company_cases_only(client, world) -> None:
    client.force_login(world.a2.user)
    body = client.get(reverse("portal:home")).content.decode()
    assert world.case_a.number in body and "Grabación detenida A" in body
    assert world.case_b.number not in body and "Correo de voz caído B" not in body


def test_detail_shows_public_side_with_engineer_first_name(client, world) -> None:
    client.force_login(world.a1.user)
    response = client.get(reverse("portal:case_detail", args=[world.case_a.number]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Por favor envíenos el log." in body and PUBLIC_FILE in body
    assert INTERNAL_NOTE not in body and INTERNAL_FILE not in body
    assert 'data-testid="engineer">Laura<' in body and "Gómez" not in body
    assert 'data-testid="attention-result">Primera atención el 25/11/2026 09:00, dentro del tiempo' in body


def test_waiting_case_has_a_live_business_time_countdown(client, world) -> None:
    client.force_login(world.a1.user)
    body = client.get(reverse("portal:case_detail", args=[world.case_a_waiting.number])).content.decode()
    # Gold P3 = 16 business hours, registered Wednesday 2 Dec 2026 10:00: due Friday 4 Dec 10:00.
    assert "data-sma-clock" in body and 'data-running="1"' in body
    assert "vence en 16 h tiempo hábil" in body or "vence en 15 h 59 m" in body
