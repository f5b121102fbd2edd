"""Errors speak Spanish in the site's layout; a refused request is one line in the log."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest
from django.test import Client

from cases.tests.factories import engineer
from contracts.tests.factories import TechnicalContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return response.content.decode()


def test_unknown_address_is_a_spanish_404_in_the_layout(client) -> None:
    client.force_login(engineer(first_name="Camila"))
    response = client.get("/no-existe/ni/aqui/")
    body = _body(response)
    assert response.status_code == 404
    assert "Página no encontrada" in body and "Ir al inicio" in body
    assert "/no-existe/ni/aqui/" in body  # the address that was asked for
    assert "Not Found" not in body and "The requested resource" not in body
    # The site's layout: navigation with the user's menu, footer, Spanish document.
    assert 'lang="es-co"' in body and "sma-navbar" in body and "sma-footer" in body
    assert "Camila" in body and "Cerrar sesión" in body
    assert "Abrir la lista de casos" in body  # an engineer may see the case list


def test_an_unknown_case_number_is_the_same_404(client) -> None:
    client.force_login(engineer())
    response = client.get("/casos/SMA-2026-999999/")
    assert response.status_code == 404
    assert "Página no encontrada" in _body(response)


def test_the_404_escapes_the_address(client) -> None:
    client.force_login(engineer())
    body = _body(client.get("/<script>alert(1)</script>/"))
    assert "<script>alert(1)</script>" not in body


def test_a_customer_contact_on_the_case_desk_gets_a_spanish_404_in_the_portal_layout(client) -> None:
    # Contacts never learn what the staff pages are: the desk does not exist for them (404), and
    # the page keeps the portal's navigation.
    contact = TechnicalContactFactory(user=UserFactory(is_staff=False, first_name="Julián"))
    client.force_login(contact.user)
    response = client.get("/casos/")
    body = _body(response)
    assert response.status_code == 404
    assert "Página no encontrada" in body
    assert "404 Not Found" not in body and "<h1>404" not in body
    assert 'lang="es-co"' in body and "sma-navbar" in body and "sma-footer" in body
    assert "Julián" in body and "Nuestros casos" in body  # still signed in, in the portal's layout
    assert "Abrir la lista de casos" not in body


@pytest.fixture
def console_log() -> Iterator[io.StringIO]:
    """What the configured console handler prints (the log operators read)."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def test_a_403_is_logged_as_one_line(client, console_log, caplog) -> None:
    # A signed-in account with no staff role (and nobody's contact, who would get a 404).
    client.force_login(UserFactory(is_staff=False))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/casos/").status_code == 403
    printed = [line for line in console_log.getvalue().splitlines() if line.strip()]
    assert len(printed) == 1, printed
    # With the request's id (sma.request_id), answered to the client too.
    assert re.search(
        r"WARNING django\.request \[[0-9a-f]{32}\] Forbidden \(Permission denied\): /casos/", printed[0]
    )
    assert "Traceback" not in console_log.getvalue()
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.status_code == 403


def test_a_404_is_logged_as_one_line(client, console_log) -> None:
    client.force_login(engineer())
    client.get("/casos/SMA-2026-999999/")
    printed = [line for line in console_log.getvalue().splitlines() if line.strip()]
    assert len(printed) == 1 and "Not Found: /casos/SMA-2026-999999/" in printed[0]


@pytest.mark.urls("sma.tests.error_urls")
def test_a_server_error_is_a_spanish_500_page_that_needs_no_database(
    django_assert_num_queries, console_log
) -> None:
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):  # anonymous: the page itself reads nothing
        response = client.get("/fallo/")
    body = _body(response)
    assert response.status_code == 500
    assert "Algo falló de nuestro lado" in body and "Ir al inicio" in body
    assert "Server Error" not in body
    assert 'lang="es-co"' in body and "sma-navbar" in body and "sma-footer" in body
    assert "SMA · Mesa de Ayuda Calltech" in body  # the product's name, without context processors
    # A fault keeps its traceback in the log.
    assert "Traceback" in console_log.getvalue() and "a fault in a view" in console_log.getvalue()


@pytest.mark.urls("sma.tests.error_urls")
def test_the_500_page_for_a_signed_in_engineer(client) -> None:
    client.raise_request_exception = False
    client.force_login(engineer())
    response = client.get("/fallo/")
    assert response.status_code == 500 and "Algo falló de nuestro lado" in _body(response)


def test_a_bad_request_is_a_spanish_400_page(client, console_log) -> None:
    # A host outside ALLOWED_HOSTS is Django's SuspiciousOperation → 400.
    response = client.get("/", HTTP_HOST="intruso.example")
    body = _body(response)
    assert response.status_code == 400
    assert "No pudimos entender la solicitud" in body and "sma-footer" in body
    assert "Traceback" not in console_log.getvalue()


def test_a_csrf_failure_is_a_spanish_page(client) -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(engineer())
    response = csrf_client.post("/salir/")
    body = _body(response)
    assert response.status_code == 403
    assert "El formulario no pudo enviarse" in body and "sma-footer" in body
    assert "Prohibido" not in body and "CSRF verification failed" not in body
