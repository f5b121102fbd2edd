"""Support certificates: issued, re-issued (the old one is replaced and kept) and revoked only here,
each change audited in a CertificateEvent with who and when."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Customer, Installation

from .. import certificate_selectors as selectors
from ..codes import code_new
from ..document import conditions, product_version
from ..models import Certificate, CertificateBatch, CertificateEvent
from ..numbering import allocate_certificate_number
from ..pdf import certificate_pdf_of, pdf_renderer, printed_of


class CertificateError(ValidationError):
    """A certificate change the rules refuse (the message says why)."""


def issuer_name(actor: User) -> str:
    return (actor.get_full_name() or actor.username)[:150]


def _event(
    *, certificate: Certificate, action: str, actor: User | None, at: datetime, note: str = ""
) -> None:
    CertificateEvent.objects.create(certificate=certificate, action=action, actor=actor, at=at, note=note)


@transaction.atomic
def certificate_issue(
    *, installation: Installation, actor: User, now: datetime | None = None, render: bool = True
) -> Certificate:
    """Issue the installation's certificate under the contract in force that covers it. A current
    certificate of the installation is replaced (it then verifies as replaced) and kept. The PDF is
    rendered from what the certificate keeps as printed; ``render=False`` leaves that to the caller
    (a bulk issue renders in worker processes and stores it with ``certificate_pdf_store``)."""
    now = now or timezone.now()
    installation = (
        Installation.objects.select_for_update().select_related("customer", "product").get(pk=installation.pk)
    )
    contract = selectors.contract_covering(installation=installation, on=timezone.localdate(now))
    if contract is None:
        raise CertificateError(
            _("%(installation)s: no support contract in force covers it.") % {"installation": installation}
        )
    previous = Certificate.objects.filter(
        installation=installation, status=Certificate.Status.CURRENT
    ).first()
    if previous is not None:
        previous.status = Certificate.Status.REPLACED
        previous.ended_at, previous.ended_by = now, actor
        previous.save(update_fields=["status", "ended_at", "ended_by"])
    customer = installation.customer
    number = allocate_certificate_number(issued_at=now)
    code = code_new()
    fields = {
        "customer_name": customer.name,
        "customer_nit": customer.nit,
        "product_name": installation.product.name,
        "product_version": product_version(installation),
        "plan_name": contract.plan.name,
        "contract_number": contract.number,
        "start_date": contract.start_date,
        "end_date": contract.end_date,
    }
    printed_conditions = conditions(contract)
    certificate = Certificate(
        number=number,
        installation=installation,
        contract=contract,
        customer=customer,
        code=code,
        conditions=printed_conditions,
        issued_at=now,
        issued_by=actor,
        issuer_name=issuer_name(actor),
        replaces=previous,
        **fields,
    )
    if render:
        certificate.pdf.save(f"{number}.pdf", ContentFile(certificate_pdf_of(certificate)), save=False)
    certificate.save()
    _event(certificate=certificate, action=CertificateEvent.Action.ISSUED, actor=actor, at=now)
    if previous is not None:
        _event(
            certificate=previous,
            action=CertificateEvent.Action.REPLACED,
            actor=actor,
            at=now,
            note=_("Replaced by %(number)s.") % {"number": number},
        )
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, actor: User, now: datetime | None = None) -> Certificate:
    """A new certificate for the same installation, replacing this one (which must be current)."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status != Certificate.Status.CURRENT:
        raise CertificateError(
            _("%(number)s is no longer current: only a current certificate can be re-issued.")
            % {"number": locked.number}
        )
    return certificate_issue(installation=locked.installation, actor=actor, now=now)


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, actor: User, reason: str, now: datetime | None = None
) -> Certificate:
    """Revoke a current certificate: it then verifies as revoked. The reason is kept."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("Say why the certificate is revoked."))
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status != Certificate.Status.CURRENT:
        raise CertificateError(
            _("%(number)s is no longer current: it cannot be revoked.") % {"number": locked.number}
        )
    locked.status = Certificate.Status.REVOKED
    locked.ended_at, locked.ended_by, locked.revoke_reason = now, actor, reason
    locked.save(update_fields=["status", "ended_at", "ended_by", "revoke_reason"])
    _event(certificate=locked, action=CertificateEvent.Action.REVOKED, actor=actor, at=now, note=reason)
    return locked


# --- Bulk issue -----------------------------------------------------------------------------------


@dataclass
class BulkResult:
    issued: list[Certificate] = field(default_factory=list)
    failed: list[tuple[Installation, str]] = field(default_factory=list)


def certificate_pdf_store(*, certificate: Certificate, data: bytes | None = None) -> Certificate:
    """Store the PDF of a certificate that has none (rendered from its row unless given): the file
    first, then the row points at it, only if it still has none (a second store changes nothing)."""
    if data is None:
        data = certificate_pdf_of(certificate)
    name = certificate.pdf.storage.save(
        certificate.pdf.field.generate_filename(certificate, f"{certificate.number}.pdf"), ContentFile(data)
    )
    if Certificate.objects.filter(pk=certificate.pk, pdf="").update(pdf=name):
        certificate.pdf.name = name
    else:
        certificate.pdf.storage.delete(name)
        certificate.refresh_from_db(fields=["pdf"])
    return certificate


def certificates_issue_bulk(
    *,
    actor: User,
    customer: Customer | None = None,
    now: datetime | None = None,
    on_progress: Callable[[Certificate | None, str], None] | None = None,
    jobs: int = 1,
) -> BulkResult:
    """Issue the certificates still owed (see ``selectors.installations_to_certify``), each in its
    own transaction: a refusal or a failure of one leaves the others issued. ``on_progress`` is
    called after each (the certificate, or None and the error).

    With ``jobs`` > 1 the PDFs are rendered in that many worker processes while the certificates
    are numbered here one after the other (numbers stay consecutive, without gaps): each
    certificate is committed first and its PDF stored as soon as a worker gives it back. A
    certificate left without its PDF (the run stopped in between) is still downloadable (rendered
    from its row) and gets its file at the next bulk issue."""
    now = now or timezone.now()
    result = BulkResult()
    certificates_store_missing_pdfs(customer=customer)
    pending = list(selectors.installations_to_certify(on=timezone.localdate(now), customer=customer))
    if jobs <= 1:
        for installation in pending:
            try:
                certificate = certificate_issue(installation=installation, actor=actor, now=now)
            except CertificateError as error:
                _refused(result, installation, error.messages[0], on_progress)
                continue
            _issued(result, certificate, on_progress)
        return result

    queue: list[tuple[Certificate, Future[bytes]]] = []

    def store(certificate: Certificate, future: Future[bytes]) -> None:
        try:
            certificate_pdf_store(certificate=certificate, data=future.result())
        except Exception as error:  # the row stays: its PDF is rendered on download
            message = _("%(number)s was issued but its PDF could not be rendered: %(error)s") % {
                "number": certificate.number,
                "error": error,
            }
            _refused(result, certificate.installation, message, on_progress)
            return
        _issued(result, certificate, on_progress)

    with pdf_renderer(jobs) as renderer:
        for installation in pending:
            try:
                certificate = certificate_issue(installation=installation, actor=actor, now=now, render=False)
            except CertificateError as error:
                _refused(result, installation, error.messages[0], on_progress)
                continue
            queue.append((certificate, renderer.submit(printed_of(certificate))))
            while queue and queue[0][1].done():
                store(*queue.pop(0))
        while queue:
            store(*queue.pop(0))
    return result


def certificates_store_missing_pdfs(*, customer: Customer | None = None) -> int:
    """Store the PDF of every certificate left without one (a bulk issue stopped before storing
    it); how many."""
    missing = Certificate.objects.filter(pdf="")
    if customer is not None:
        missing = missing.filter(customer=customer)
    count = 0
    for certificate in missing.order_by("pk"):
        certificate_pdf_store(certificate=certificate)
        count += 1
    return count


Progress = Callable[[Certificate | None, str], None]


def _issued(result: BulkResult, certificate: Certificate, on_progress: Progress | None) -> None:
    result.issued.append(certificate)
    if on_progress:
        on_progress(certificate, "")


def _refused(
    result: BulkResult,
    installation: Installation,
    message: str,
    on_progress: Progress | None,
) -> None:
    result.failed.append((installation, message))
    if on_progress:
        on_progress(None, message)


@transaction.atomic
def certificate_batch_start(
    *, actor: User, customer: Customer | None = None, now: datetime | None = None
) -> CertificateBatch:
    """Record a bulk issue and queue its task after commit; the task counts its progress on the row."""
    from .. import tasks

    now = now or timezone.now()
    total = selectors.installations_to_certify(on=timezone.localdate(now), customer=customer).count()
    batch = CertificateBatch.objects.create(customer=customer, total=total, created_by=actor, created_at=now)
    transaction.on_commit(lambda: tasks.run_certificate_batch.delay(batch.pk))
    return batch


def certificate_batch_run(*, batch_id: int, now: datetime | None = None) -> CertificateBatch:
    """Run a queued bulk issue once (a second delivery of the task finds it taken and does nothing)."""
    with transaction.atomic():
        batch = (
            CertificateBatch.objects.select_for_update(of=("self",))
            .select_related("customer", "created_by")
            .get(pk=batch_id)
        )
        if batch.status != CertificateBatch.Status.QUEUED:
            return batch
        batch.status = CertificateBatch.Status.RUNNING
        batch.save(update_fields=["status"])

    def progress(certificate: Certificate | None, error: str) -> None:
        if certificate is not None:
            CertificateBatch.objects.filter(pk=batch_id).update(done=F("done") + 1)
        else:
            CertificateBatch.objects.filter(pk=batch_id).update(failed=F("failed") + 1)
            batch.errors += error + "\n"
            CertificateBatch.objects.filter(pk=batch_id).update(errors=batch.errors)

    try:
        certificates_issue_bulk(
            actor=batch.created_by, customer=batch.customer, now=now, on_progress=progress
        )
    except Exception as error:
        CertificateBatch.objects.filter(pk=batch_id).update(
            status=CertificateBatch.Status.FAILED,
            finished_at=timezone.now(),
            errors=batch.errors + str(error),
        )
        raise
    CertificateBatch.objects.filter(pk=batch_id).update(
        status=CertificateBatch.Status.FINISHED, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch
