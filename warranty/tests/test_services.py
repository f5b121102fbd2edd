"""Issuing, re-issuing and revoking certificates: numbers, what is kept as printed, the audit."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from contracts.models import Customer
from contracts.tests.clock import BOGOTA
from contracts.tests.factories import CustomerFactory, InstallationFactory, SupportContractFactory
from warranty import certificate_selectors as selectors
from warranty import services
from warranty.codes import code_grouped
from warranty.models import Certificate, CertificateBatch, CertificateEvent

from .certificate_factories import covered_installation

pytestmark = pytest.mark.django_db


def test_issuing_numbers_stores_and_audits_the_certificate(issuer) -> None:
    installation = covered_installation(number="CT-2026-0042")
    certificate = services.certificate_issue(installation=installation, actor=issuer)
    assert certificate.number == "CS-2026-00001"
    assert certificate.status == Certificate.Status.CURRENT
    assert (certificate.customer_name, certificate.customer_nit) == ("Banco Andino S.A.", "900123456-8")
    assert certificate.product_name == "CTLog" and certificate.product_version.startswith("5.2 (build 1045)")
    assert (
        certificate.plan_name == "Calltech Techsupport Gold 8x5"
        and certificate.contract_number == "CT-2026-0042"
    )
    assert (certificate.start_date, certificate.end_date) == (date(2025, 1, 1), date(2028, 12, 31))
    assert certificate.issuer_name == "Laura Méndez Ruiz" and certificate.issued_by == issuer
    # the PDF went through the storage API, under a name of our own (never a host path in the row)
    assert not certificate.pdf.name.startswith("/") and default_storage.exists(certificate.pdf.name)
    with certificate.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    event = CertificateEvent.objects.get(certificate=certificate)
    assert (event.action, event.actor) == ("issued", issuer)


def test_what_is_printed_stays_when_the_customer_changes(issuer) -> None:
    certificate = services.certificate_issue(installation=covered_installation(), actor=issuer)
    Customer.objects.filter(pk=certificate.customer_id).update(name="Otro Nombre S.A.")
    certificate.refresh_from_db()
    assert certificate.customer_name == "Banco Andino S.A."


def test_numbers_are_consecutive_per_year_and_a_rolled_back_issue_leaves_no_gap(issuer, clock) -> None:
    first = services.certificate_issue(installation=covered_installation(product="CTLog"), actor=issuer)
    other = covered_installation(product="CTVox")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.certificate_issue(installation=other, actor=issuer)
        raise RuntimeError("rolled back")
    second = services.certificate_issue(installation=other, actor=issuer)
    assert (first.number, second.number) == ("CS-2026-00001", "CS-2026-00002")
    clock.move_to(datetime(2027, 1, 4, 9, 0, tzinfo=BOGOTA))
    third = services.certificate_issue(installation=covered_installation(product="Denwa"), actor=issuer)
    assert third.number == "CS-2027-00001"


def test_reissuing_replaces_the_old_certificate_and_keeps_it(issuer) -> None:
    installation = covered_installation()
    old = services.certificate_issue(installation=installation, actor=issuer)
    new = services.certificate_reissue(certificate=old, actor=issuer)
    old.refresh_from_db()
    assert old.status == Certificate.Status.REPLACED and old.ended_by == issuer and old.ended_at
    assert new.replaces == old and new.status == Certificate.Status.CURRENT and new.code != old.code
    assert selectors.certificate_status(old) == selectors.REPLACED
    assert [e.action for e in old.events.all()] == ["issued", "replaced"]
    assert new.number in old.events.get(action="replaced").note
    with pytest.raises(services.CertificateError):
        services.certificate_reissue(certificate=old, actor=issuer)  # a replaced one is history
    assert Certificate.objects.filter(installation=installation).count() == 2


def test_revoking_needs_a_reason_and_a_current_certificate(issuer) -> None:
    certificate = services.certificate_issue(installation=covered_installation(), actor=issuer)
    with pytest.raises(services.CertificateError):
        services.certificate_revoke(certificate=certificate, actor=issuer, reason="  ")
    revoked = services.certificate_revoke(certificate=certificate, actor=issuer, reason="Contrato anulado.")
    assert revoked.status == Certificate.Status.REVOKED and revoked.revoke_reason == "Contrato anulado."
    assert selectors.certificate_status(revoked) == selectors.REVOKED
    event = revoked.events.get(action="revoked")
    assert (event.actor, event.note) == (issuer, "Contrato anulado.")
    with pytest.raises(services.CertificateError):
        services.certificate_revoke(certificate=revoked, actor=issuer, reason="otra vez")
    with pytest.raises(services.CertificateError):
        services.certificate_reissue(certificate=revoked, actor=issuer)


def test_an_installation_without_a_contract_in_force_gets_no_certificate(issuer) -> None:
    customer = CustomerFactory()
    installation = InstallationFactory(customer=customer)
    SupportContractFactory(
        customer=customer,
        installations=[installation],
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
    )
    with pytest.raises(services.CertificateError):
        services.certificate_issue(installation=installation, actor=issuer)
    assert not Certificate.objects.exists()


def test_a_certificate_past_its_end_date_verifies_as_expired(issuer) -> None:
    certificate = services.certificate_issue(installation=covered_installation(), actor=issuer)
    assert selectors.certificate_status(certificate, on=date(2028, 12, 31)) == selectors.VALID
    assert selectors.certificate_status(certificate, on=date(2029, 1, 1)) == selectors.EXPIRED


def test_bulk_issues_what_is_owed_once(issuer) -> None:
    customer = CustomerFactory(customer_number="4242")
    covered = [covered_installation(customer=customer, product=p) for p in ("CTLog", "CTVox")]
    elsewhere = covered_installation(product="Denwa")
    InstallationFactory(customer=customer)  # not covered by any contract
    result = services.certificates_issue_bulk(actor=issuer, customer=customer)
    assert sorted(c.installation_id for c in result.issued) == sorted(i.pk for i in covered)
    assert not result.failed
    again = services.certificates_issue_bulk(actor=issuer)  # only the other customer's is owed now
    assert [c.installation_id for c in again.issued] == [elsewhere.pk]
    assert not services.certificates_issue_bulk(actor=issuer).issued


def test_a_renewed_contract_owes_a_new_certificate_that_replaces_the_old(issuer, clock) -> None:
    installation = covered_installation(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    old = services.certificate_issue(installation=installation, actor=issuer)
    SupportContractFactory(
        customer=installation.customer,
        installations=[installation],
        start_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
    )
    clock.move_to(datetime(2027, 1, 4, 9, 0, tzinfo=BOGOTA))
    (new,) = services.certificates_issue_bulk(actor=issuer).issued
    old.refresh_from_db()
    assert new.replaces == old and old.status == Certificate.Status.REPLACED
    assert new.start_date == date(2027, 1, 1)


def test_a_batch_from_the_admin_runs_as_a_task_and_counts_its_progress(
    issuer, django_capture_on_commit_callbacks
) -> None:
    customer = CustomerFactory()
    for product in ("CTLog", "CTVox", "CTMail"):
        covered_installation(customer=customer, product=product)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = services.certificate_batch_start(actor=issuer, customer=customer)
    assert len(callbacks) == 1  # the task is queued once, after commit (eager in tests)
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.failed) == (
        CertificateBatch.Status.FINISHED,
        3,
        3,
        0,
    )
    assert batch.finished_at is not None
    assert Certificate.objects.filter(customer=customer, issued_by=issuer).count() == 3
    # a second delivery of the same task does nothing
    assert services.certificate_batch_run(batch_id=batch.pk).done == 3
    assert Certificate.objects.filter(customer=customer).count() == 3


def test_bulk_with_worker_processes_numbers_in_order_and_stores_every_pdf(issuer) -> None:
    customer = CustomerFactory()
    covered = [covered_installation(customer=customer, product=f"CT{n}") for n in range(5)]
    seen: list[str] = []
    result = services.certificates_issue_bulk(
        actor=issuer, jobs=2, on_progress=lambda certificate, error: seen.append(certificate.number)
    )
    assert not result.failed
    assert seen == [f"CS-2026-{n:05d}" for n in range(1, 6)]  # consecutive, reported in order
    assert sorted(c.installation_id for c in result.issued) == sorted(i.pk for i in covered)
    for certificate in Certificate.objects.all():
        with certificate.pdf.open("rb") as handle:
            text = PdfReader(handle).pages[0].extract_text()
        assert certificate.number in text and code_grouped(certificate.code) in text
    assert CertificateEvent.objects.filter(action="issued").count() == 5


def test_a_certificate_left_without_its_pdf_downloads_anyway_and_gets_it_at_the_next_bulk(
    issuer, admin_client
) -> None:
    customer = CustomerFactory()
    installation = covered_installation(customer=customer)
    certificate = services.certificate_issue(installation=installation, actor=issuer, render=False)
    assert not certificate.pdf  # as after a bulk issue stopped between the row and its file
    response = admin_client.get(reverse("admin:warranty_certificate_pdf", args=[certificate.pk]))
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body.startswith(b"%PDF-")
    assert certificate.number in PdfReader(io.BytesIO(body)).pages[0].extract_text()
    certificate.refresh_from_db()
    assert not certificate.pdf  # a download changes nothing
    assert not services.certificates_issue_bulk(actor=issuer, customer=customer).issued
    certificate.refresh_from_db()
    assert certificate.pdf and default_storage.exists(certificate.pdf.name)
    # storing it again changes nothing
    name = certificate.pdf.name
    assert services.certificate_pdf_store(certificate=certificate, data=b"%PDF-other").pdf.name == name
