"""The requester copies colleagues (designated contacts of the same company) on a case's e-mails
from the portal; an outside address is refused with a clear message; nobody else may change it."""

from __future__ import annotations

import pytest

from cases.models import CaseCopy

from .test_actions import detail, post

pytestmark = pytest.mark.django_db


def test_the_requester_copies_a_colleague_and_removes_them(client, world) -> None:
    client.force_login(world.a1.user)
    response = post(client, world.case_a, "copiar", {"copy-email": world.a2.email})
    assert response.status_code == 302
    assert list(CaseCopy.objects.values_list("contact", flat=True)) == [world.a2.pk]
    page = client.get(detail(world.case_a)).content.decode()
    assert world.a2.full_name in page and 'data-testid="act-copiar"' in page
    removal = post(client, world.case_a, "quitar-copia", {"uncopy-contact": world.a2.pk})
    assert removal.status_code == 302
    assert not CaseCopy.objects.exists()


def test_an_outside_address_is_refused_with_a_clear_message(client, world) -> None:
    client.force_login(world.a1.user)
    for address in ("alguien@gmail.example", world.b1.email):
        response = post(client, world.case_a, "copiar", {"copy-email": address})
        assert response.status_code == 400
        assert f"{address} no es un contacto técnico designado" in response.content.decode()
    assert not CaseCopy.objects.exists()


def test_a_colleague_who_did_not_request_the_case_cannot_change_copies(client, world) -> None:
    client.force_login(world.a2.user)
    page = client.get(detail(world.case_a)).content.decode()
    assert 'data-testid="act-copiar"' not in page
    from django.urls import reverse

    response = client.post(
        reverse("portal:case_action", args=[world.case_a.number, "copiar"]), {"copy-email": world.a2.email}
    )
    assert response.status_code == 400
    assert "Solo quien solicitó el caso" in response.content.decode()
    assert not CaseCopy.objects.exists()
