"""The certificate as a PDF (WeasyPrint): A4, the fonts embedded (DejaVu, subset), the logo and the
QR code as vectors."""

from __future__ import annotations

import io
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .codes import code_grouped
from .document import duration_text, long_date

if TYPE_CHECKING:
    from .models import Certificate

LOGO = "img/calltech-logo.svg"
STYLESHEET = "warranty/certificate_pdf.css"
# WeasyPrint's image cache, kept across documents: the logo is parsed once per process.
_IMAGE_CACHE: dict[str, Any] = {}


def verification_url(code: str) -> str:
    """The public address that verifies this code (printed and in the QR code)."""
    return settings.SMA_SITE_URL.rstrip("/") + reverse("verify_code", args=[code_grouped(code)])


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


@cache
def _style() -> tuple[Any, Any]:
    """The certificate's stylesheet and fonts, parsed once per process (not once per document)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    path = Path(settings.BASE_DIR) / "templates" / STYLESHEET
    return CSS(string=path.read_text(encoding="utf-8"), font_config=fonts), fonts


@cache
def _logo_uri() -> str:
    found = finders.find(LOGO)
    if not found:
        raise FileNotFoundError(LOGO)
    return Path(str(found)).resolve().as_uri()


def certificate_html(context: dict[str, Any]) -> str:
    with translation.override("es-co"):
        return render_to_string("warranty/certificate_pdf.html", context)


def certificate_pdf(
    *,
    number: str,
    code: str,
    fields: dict[str, Any],
    conditions: list[list[str]],
    issued_at: datetime,
    issuer_name: str,
) -> bytes:
    from weasyprint import HTML  # heavy import: only where a PDF is made

    url = verification_url(code)
    context = {
        "number": number,
        "code_grouped": code_grouped(code),
        "verification_url": url,
        # One pixel per module, drawn uninterpolated: as sharp as a vector, much cheaper to lay out.
        "qr_uri": qr_code(url).png_data_uri(scale=1, border=0),
        "logo_uri": _logo_uri(),
        "conditions": conditions,
        "issued_on_text": long_date(timezone.localtime(issued_at).date()),
        "start_date_text": long_date(fields["start_date"]),
        "end_date_text": long_date(fields["end_date"]),
        "issuer_name": issuer_name,
        **fields,
    }
    stylesheet, fonts = _style()
    html = HTML(string=certificate_html(context), base_url=str(settings.BASE_DIR))
    return html.write_pdf(stylesheets=[stylesheet], font_config=fonts, cache=_IMAGE_CACHE)


# --- A certificate's PDF from what it keeps as printed -----------------------------------------------


def printed_of(certificate: Certificate) -> dict[str, Any]:
    """The arguments of ``certificate_pdf`` for an issued certificate: everything it printed is kept
    on its row, so the same document can be rendered again from it (and elsewhere, in a worker)."""
    fields = {
        "customer_name": certificate.customer_name,
        "customer_nit": certificate.customer_nit,
        "product_name": certificate.product_name,
        "product_version": certificate.product_version,
        "plan_name": certificate.plan_name,
        "contract_number": certificate.contract_number,
        "start_date": certificate.start_date,
        "end_date": certificate.end_date,
        "duration": duration_text(certificate.start_date, certificate.end_date),
    }
    return {
        "number": certificate.number,
        "code": certificate.code,
        "fields": fields,
        "conditions": certificate.conditions,
        "issued_at": certificate.issued_at,
        "issuer_name": certificate.issuer_name,
    }


def certificate_pdf_of(certificate: Certificate) -> bytes:
    return certificate_pdf(**printed_of(certificate))


def certificate_pdf_open(certificate: Certificate) -> IO[bytes]:
    """The certificate's stored PDF; one whose file is missing (a bulk issue stopped between storing
    the certificate and its PDF, a file lost from the storage) is rendered again from its row, the
    same document, without storing anything (a download never changes state)."""
    if certificate.pdf:
        try:
            return certificate.pdf.open("rb")
        except FileNotFoundError:
            pass
    return io.BytesIO(certificate_pdf_of(certificate))


def _render(printed: dict[str, Any]) -> bytes:
    return certificate_pdf(**printed)


class Renderer(Protocol):
    def submit(self, printed: dict[str, Any]) -> Future[bytes]: ...


class _InProcess:
    def submit(self, printed: dict[str, Any]) -> Future[bytes]:
        future: Future[bytes] = Future()
        try:
            future.set_result(_render(printed))
        except Exception as error:
            future.set_exception(error)
        return future


class _Workers:
    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool

    def submit(self, printed: dict[str, Any]) -> Future[bytes]:
        return self.pool.submit(_render, printed)


@contextmanager
def pdf_renderer(jobs: int = 1) -> Iterator[Renderer]:
    """Renders certificates' PDFs: here, or in ``jobs`` forked worker processes (PDF layout is pure
    CPU work in Python: the workers use the machine's other cores). The workers only render (no
    database, no storage): they get what is printed and give back the PDF's bytes. The stylesheet and
    fonts are parsed before forking, so the workers inherit them."""
    if jobs <= 1:
        yield _InProcess()
        return
    _style()
    _logo_uri()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        yield _Workers(pool)
