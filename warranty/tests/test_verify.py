"""Public verification: each status answered with only the certificate's public data; an unknown,
a tampered and a malformed code answered alike; look-ups limited per address."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from django.test import Client

from contracts.tests.clock import BOGOTA
from contracts.tests.factories import TechnicalContactFactory
from warranty import services
from warranty.codes import ALPHABET, code_grouped

from .certificate_factories import covered_installation

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str, address: str = "203.0.113.7"):
    return client.get(url, REMOTE_ADDR=address)


def _body(response) -> str:
    """The page without what changes from one rendering to the next (the CSRF token in htmx headers)."""
    html = response.content.decode()
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.fixture
def certificates(issuer):
    """One certificate of each kind: valid, replaced (and its replacement), revoked, expired."""
    valid = services.certificate_issue(installation=covered_installation(product="CTLog"), actor=issuer)
    replaced = services.certificate_issue(installation=covered_installation(product="CTVox"), actor=issuer)
    services.certificate_reissue(certificate=replaced, actor=issuer)
    revoked = services.certificate_issue(installation=covered_installation(product="CTMail"), actor=issuer)
    services.certificate_revoke(certificate=revoked, actor=issuer, reason="Contrato anulado por el cliente.")
    expiring = services.certificate_issue(
        installation=covered_installation(
            product="Denwa", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31)
        ),
        actor=issuer,
    )
    TechnicalContactFactory(customer=valid.customer, full_name="Ana Rodríguez", email="ana@banco.example")
    return {"valid": valid, "replaced": replaced, "revoked": revoked, "expired": expiring}


@pytest.mark.parametrize("kind", ["valid", "replaced", "revoked"])
def test_each_status_is_answered_with_only_the_public_data(client, certificates, kind) -> None:
    certificate = certificates[kind]
    response = _get(client, f"/verificar/{code_grouped(certificate.code)}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-status="{kind}"' in html
    for shown in (
        certificate.number,
        certificate.customer_name,
        certificate.product_name,
        certificate.plan_name,
    ):
        assert shown in html
    assert "1 de enero de 2025" in html and "31 de diciembre de 2028" in html
    # never the contacts, the NIT, the contract, the issuer, the revocation reason or a download
    for hidden in (
        "Ana Rodríguez",
        "ana@banco.example",
        certificate.customer_nit,
        certificate.contract_number,
        certificate.issuer_name,
        "Contrato anulado",
        ".pdf",
        "/admin/",
    ):
        assert hidden not in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_a_certificate_past_its_end_verifies_as_expired(client, certificates, clock) -> None:
    clock.move_to(datetime(2027, 1, 5, 9, 0, tzinfo=BOGOTA))
    response = _get(client, f"/verificar/{code_grouped(certificates['expired'].code)}/")
    assert response.status_code == 200 and 'data-status="expired"' in response.content.decode()


def test_the_code_is_read_in_any_case_with_or_without_dashes_and_from_the_form(client, certificates) -> None:
    code = certificates["valid"].code
    for typed in (code.lower(), code, code_grouped(code).lower()):
        assert 'data-status="valid"' in _get(client, f"/verificar/{typed}/").content.decode()
    response = _get(client, f"/verificar/?codigo={code_grouped(code).lower().replace('-', '+')}")
    assert response.status_code == 200 and 'data-status="valid"' in response.content.decode()
    form = _get(client, "/verificar/")
    assert form.status_code == 200 and 'name="codigo"' in form.content.decode()


def test_tampered_unknown_and_malformed_codes_get_the_same_answer(client, certificates) -> None:
    code = certificates["valid"].code
    last = ALPHABET[(ALPHABET.index(code[-1]) + 1) % 32]
    tampered = code_grouped(code[:-1] + last)
    unknown = code_grouped("0" * 20)
    answers = [
        _get(client, f"/verificar/{typed}/")
        for typed in (tampered, unknown, "nonsense", "ABCD-EFGH", "%00", "U" * 20)
    ]
    answers.append(_get(client, "/verificar/?codigo=x"))
    statuses = {r.status_code for r in answers}
    assert statuses == {404}
    bodies = {_body(r) for r in answers}
    assert len(bodies) == 1  # byte for byte the same page: the typed code is never echoed
    assert "data-status" not in bodies.pop()
    assert tampered not in _body(answers[0]) and tampered.lower() not in _body(answers[0])


def test_lookups_are_limited_per_address_with_a_spanish_429(client, certificates, settings) -> None:
    settings.SMA_VERIFY_LIMIT = 3
    url = f"/verificar/{code_grouped(certificates['valid'].code)}/"
    assert [_get(client, url, "198.51.100.1").status_code for _ in range(3)] == [200, 200, 200]
    refused = _get(client, url, "198.51.100.1")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Demasiadas verificaciones" in html and certificates["valid"].number not in html
    assert _get(client, "/verificar/?codigo=x", "198.51.100.1").status_code == 429  # the form counts too
    assert _get(client, url, "198.51.100.2").status_code == 200  # another address is not affected
    assert _get(client, "/verificar/", "198.51.100.1").status_code == 200  # the empty form is always there
