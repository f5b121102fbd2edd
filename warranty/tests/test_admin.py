"""Certificates in the admin: issue one, re-issue, revoke, download, bulk issue with its progress;
only admins may issue or revoke."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.idempotency import TOKEN_FIELD, form_token_new
from cases.tests.factories import staff_user
from contracts.tests.factories import CustomerFactory
from sma import roles
from warranty import services
from warranty.models import Certificate, CertificateBatch

from .certificate_factories import covered_installation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return staff_user(roles.ADMIN, username="admin-cert", first_name="Laura", last_name="Méndez Ruiz")


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def _post(client, url, **data):
    return client.post(url, {TOKEN_FIELD: form_token_new(), **data})


def test_an_admin_issues_one_certificate_and_a_double_submit_issues_it_once(admin, admin_user) -> None:
    installation = covered_installation()
    url = reverse("admin:warranty_certificate_add")
    page = admin.get(url)
    assert page.status_code == 200 and str(installation.product) in page.content.decode()
    token = form_token_new()
    first = admin.post(url, {TOKEN_FIELD: token, "installation": installation.pk})
    again = admin.post(url, {TOKEN_FIELD: token, "installation": installation.pk})
    certificate = Certificate.objects.get()
    assert first.status_code == again.status_code == 302
    assert (
        first["Location"]
        == again["Location"]
        == reverse("admin:warranty_certificate_change", args=[certificate.pk])
    )
    assert certificate.issued_by == admin_user
    detail = admin.get(first["Location"]).content.decode()
    assert (certificate.number in detail and "Reemitir" in detail) or "Re-issue" in detail
    pdf = admin.get(reverse("admin:warranty_certificate_pdf", args=[certificate.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert f"certificado-{certificate.number}.pdf" in pdf["Content-Disposition"]


def test_reissue_and_revoke_from_the_certificate_page(admin, admin_user) -> None:
    old = services.certificate_issue(installation=covered_installation(), actor=admin_user)
    reissue = reverse("admin:warranty_certificate_reissue", args=[old.pk])
    assert admin.get(reissue).status_code == 200
    response = _post(admin, reissue)
    new = Certificate.objects.get(status="current")
    assert response["Location"] == reverse("admin:warranty_certificate_change", args=[new.pk])
    assert new.replaces == old
    _post(admin, reissue)  # the old one again: refused, nothing issued
    assert Certificate.objects.count() == 2
    revoke = reverse("admin:warranty_certificate_revoke", args=[new.pk])
    assert _post(admin, revoke, reason="").status_code == 200  # a reason is required
    _post(admin, revoke, reason="Contrato anulado.")
    new.refresh_from_db()
    assert new.status == "revoked" and new.ended_by == admin_user
    history = admin.get(reverse("admin:warranty_certificate_change", args=[new.pk])).content.decode()
    assert "Contrato anulado." in history


def test_bulk_issue_from_the_admin_shows_its_progress(
    admin, admin_user, django_capture_on_commit_callbacks
) -> None:
    customer = CustomerFactory()
    for product in ("CTLog", "CTVox"):
        covered_installation(customer=customer, product=product)
    start = admin.get(reverse("admin:warranty_certificatebatch_add"))
    assert start.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(admin, reverse("admin:warranty_certificatebatch_add"), customer=customer.pk)
    batch = CertificateBatch.objects.get()
    assert response["Location"] == reverse("admin:warranty_certificatebatch_change", args=[batch.pk])
    page = admin.get(response["Location"]).content.decode()
    assert '<progress max="100" value="100">' in page and "2 / 2" in page
    assert Certificate.objects.filter(customer=customer).count() == 2


def test_engineers_see_no_issuing_and_no_revoking(client, admin_user) -> None:
    certificate = services.certificate_issue(installation=covered_installation(), actor=admin_user)
    client.force_login(staff_user(roles.ENGINEER, username="ing"))
    assert client.get(reverse("admin:warranty_certificate_add")).status_code == 403
    assert (
        _post(
            client, reverse("admin:warranty_certificate_revoke", args=[certificate.pk]), reason="x"
        ).status_code
        == 403
    )
    assert (
        _post(client, reverse("admin:warranty_certificate_reissue", args=[certificate.pk])).status_code == 403
    )
    assert _post(client, reverse("admin:warranty_certificatebatch_add")).status_code == 403
    certificate.refresh_from_db()
    assert certificate.status == "current" and Certificate.objects.count() == 1


def test_a_running_batch_counts_each_certificate_as_it_goes_and_its_page_reloads_itself(
    admin, admin_user, monkeypatch
) -> None:
    from warranty.services import certificates as certificate_services

    customer = CustomerFactory()
    for product in ("CTLog", "CTVox", "CTMail"):
        covered_installation(customer=customer, product=product)
    batch = CertificateBatch.objects.create(
        customer=customer, total=3, created_by=admin_user, created_at=timezone.now()
    )
    seen: list[tuple[str, int]] = []
    issue = certificate_services.certificate_issue

    def watched(**kwargs):
        row = CertificateBatch.objects.get(pk=batch.pk)
        seen.append((row.status, row.done))
        if row.done == 1:  # what the admin sees meanwhile
            page = admin.get(reverse("admin:warranty_certificatebatch_change", args=[batch.pk]))
            html = page.content.decode()
            assert '<progress max="100" value="33">' in html and "1 / 3" in html
            assert '<meta http-equiv="refresh" content="3">' in html
        return issue(**kwargs)

    monkeypatch.setattr(certificate_services, "certificate_issue", watched)
    services.certificate_batch_run(batch_id=batch.pk)
    assert seen == [("running", 0), ("running", 1), ("running", 2)]
    html = admin.get(reverse("admin:warranty_certificatebatch_change", args=[batch.pk])).content.decode()
    assert '<progress max="100" value="100">' in html and "3 / 3" in html
    assert 'http-equiv="refresh"' not in html
