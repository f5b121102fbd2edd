"""The certificate as a PDF (WeasyPrint): A4, the fonts embedded (DejaVu, subset), the logo and the
QR code as vectors."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .codes import code_grouped
from .document import long_date

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
