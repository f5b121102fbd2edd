"""Support certificates in the portal: a contact lists and downloads their company's certificates,
never another company's; the public verification stays open to them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from warranty import services
from warranty.codes import code_grouped

from .world import World

pytestmark = pytest.mark.django_db


def _client(contact) -> Client:
    client = Client()
    client.force_login(contact.user)
    return client


def test_a_contact_lists_and_downloads_only_their_company_certificates(world: World) -> None:
    # a real certificate (rendered PDF) replacing the world's placeholder for A's installation
    certificate = services.certificate_issue(
        installation=world.certificate_a.installation, actor=world.manager
    )
    other = world.certificate_b
    client = _client(world.a1)
    page = client.get(reverse("portal:certificates"))
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        certificate.number in html
        and code_grouped(certificate.code) in html
        and 'data-status="valid"' in html
    )
    assert other.number not in html and other.customer_name not in html
    download = client.get(reverse("portal:certificate", args=[certificate.number]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    with certificate.pdf.open("rb") as stored:
        assert b"".join(download.streaming_content) == stored.read()
    for url in (
        reverse("portal:certificate", args=[other.number]),
        reverse("portal:certificate_by_id", args=[other.pk]),
        reverse("portal:certificate", args=["CS-2026-99999"]),
    ):
        assert client.get(url).status_code == 404


def test_a_revoked_certificate_stays_in_the_company_history(world: World) -> None:
    old = world.certificate_a
    services.certificate_revoke(certificate=old, actor=world.manager, reason="Prueba.")
    html = _client(world.a2).get(reverse("portal:certificates")).content.decode()
    assert old.number in html and 'data-status="revoked"' in html


def test_contacts_may_use_the_public_verification(world: World) -> None:
    certificate = world.certificate_b
    client = _client(world.a1)
    assert client.get(reverse("verify")).status_code == 200
    answer = client.get(reverse("verify_code", args=[code_grouped(certificate.code)]))
    assert answer.status_code == 200 and certificate.number in answer.content.decode()
