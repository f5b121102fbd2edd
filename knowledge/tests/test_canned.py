"""Canned replies: placeholders filled, unknown ones refused, kept by managers in the admin."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from knowledge import canned
from knowledge.models import CannedReply

VALUES = {
    "contacto": "Ana Rodríguez",
    "caso": "SMA-2026-000123",
    "vence": "03/12/2026 10:00",
    "ingeniero": "Laura",
}


def test_placeholders_are_filled_and_other_braces_left_alone() -> None:
    body = "Hola {contacto}: el caso {caso} vence el {vence}. {ingeniero}. Error {0x42} y {otro"
    assert canned.fill(body, VALUES) == (
        "Hola Ana Rodríguez: el caso SMA-2026-000123 vence el 03/12/2026 10:00. Laura. Error {0x42} y {otro"
    )
    assert canned.fill("Vence: {vence}", {}) == "Vence: "


def test_an_unknown_placeholder_is_refused_in_spanish() -> None:
    with pytest.raises(ValidationError) as error:
        canned.validate_placeholders("Hola {contato}, caso {caso}")
    assert "{contato}" in error.value.messages[0] and "{contacto}" in error.value.messages[0]
    canned.validate_placeholders("Hola {contacto}, caso {caso}, {vence}, {ingeniero}")


@pytest.mark.django_db
def test_managers_keep_canned_replies_in_the_admin_and_engineers_only_read_them(mgr, eng, client) -> None:
    client.force_login(mgr)
    add = reverse("admin:knowledge_cannedreply_add")
    refused = client.post(add, {"title": "Saludo", "body": "Hola {contato}", "is_active": "on"})
    assert refused.status_code == 200 and "Marcadores desconocidos" in refused.content.decode()
    saved = client.post(add, {"title": "Saludo", "body": "Hola {contacto}", "is_active": "on"})
    assert saved.status_code == 302 and CannedReply.objects.get().body == "Hola {contacto}"
    client.force_login(eng)
    assert client.get(reverse("admin:knowledge_cannedreply_changelist")).status_code == 200
    assert client.get(add).status_code == 403
