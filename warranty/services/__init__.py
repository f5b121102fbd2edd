"""State changes of the warranty app. Every one is atomic, keyword-only, takes an explicit actor
(or is the beat's own work) and leaves an audit row."""

from .assets import asset_register, asset_update, warranty_refusal
from .certificates import (
    BulkResult,
    CertificateError,
    certificate_batch_run,
    certificate_batch_start,
    certificate_issue,
    certificate_pdf_store,
    certificate_reissue,
    certificate_revoke,
    certificates_issue_bulk,
    certificates_store_missing_pdfs,
    issuer_name,
)
from .maintenance import maintenance_cancel, maintenance_quota, maintenance_request
from .rma import rma_advance, rma_open
from .updates import software_update_apply
from .watch import rma_deadline_sweep

__all__ = [
    "BulkResult",
    "CertificateError",
    "asset_register",
    "asset_update",
    "certificate_batch_run",
    "certificate_batch_start",
    "certificate_issue",
    "certificate_pdf_store",
    "certificate_reissue",
    "certificate_revoke",
    "certificates_issue_bulk",
    "certificates_store_missing_pdfs",
    "issuer_name",
    "maintenance_cancel",
    "maintenance_quota",
    "maintenance_request",
    "rma_advance",
    "rma_deadline_sweep",
    "rma_open",
    "software_update_apply",
    "warranty_refusal",
]
