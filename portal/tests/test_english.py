"""The portal in English: a contact who chose English reads every page of theirs in English —
headings, navigation, the case's status and countdown — with dates still in America/Bogota."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .world import World

pytestmark = pytest.mark.django_db

# Words of the Spanish interface that must not remain once English is chosen.
SPANISH = ("Nuestros casos", "Nueva solicitud", "Salir", "Tiempo de atención", "Nuestra empresa", "Garantías")


def _pages(w: World) -> list[str]:
    return [
        reverse("portal:home"),
        reverse("portal:case_detail", args=[w.case_a.number]),
        reverse("portal:case_detail", args=[w.case_a_waiting.number]),
        reverse("portal:case_new"),
        reverse("portal:company"),
        reverse("portal:contact_change"),
        reverse("portal:news"),
        reverse("portal:warranty"),
        reverse("portal:certificates"),
    ]


def test_every_portal_page_reads_in_english_when_chosen(client, world) -> None:
    client.force_login(world.a1.user)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("portal:home")})
    assert response.status_code == 302
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert 'lang="en"' in body, url
        leftovers = [word for word in SPANISH if re.search(rf">\s*{re.escape(word)}\s*<", body)]
        assert not leftovers, (url, leftovers)


def test_the_case_page_in_english(client, world) -> None:
    client.force_login(world.a1.user)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("portal:case_detail", args=[world.case_a_waiting.number])).content.decode()
    assert "Attention time" in body and "Our cases" in body
    assert re.search(r"due in \d+ h", body), "the countdown speaks English"
    body = client.get(reverse("portal:case_detail", args=[world.case_a.number])).content.decode()
    assert "within the attention time" in body
    # Back to Spanish: the same page in Spanish.
    client.cookies["django_language"] = "es-co"
    body = client.get(reverse("portal:case_detail", args=[world.case_a.number])).content.decode()
    assert 'lang="es-co"' in body and "dentro del tiempo" in body
