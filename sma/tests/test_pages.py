"""Login, home and language: Spanish by default, English on request."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_in_spanish_even_for_an_english_browser(client) -> None:
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="es-co"' in body
    assert "Ingresar" in body and "Contraseña" in body


def test_english_is_available_by_choice(client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    body = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in body and "Sign in" in body


def test_home_requires_login(client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_login_then_home(client, django_user_model) -> None:
    django_user_model.objects.create_user("ingeniero", password="s3cret-pass", first_name="Camilo")
    response = client.post(reverse("login"), {"username": "ingeniero", "password": "s3cret-pass"})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert "Camilo" in body and "Cerrar sesión" in body


def test_wrong_password_is_a_clear_error_not_a_500(client) -> None:
    response = client.post(reverse("login"), {"username": "nadie", "password": "x"})
    assert response.status_code == 200
    assert "Por favor, introduzca un nombre de usuario y clave correctos" in response.content.decode()


def test_static_assets_are_vendored_not_from_a_cdn(client) -> None:
    body = client.get(reverse("login")).content.decode()
    assert "bootstrap" in body
    assert "cdn" not in body.lower() and "googleapis" not in body
