"""The reports' PDFs (WeasyPrint, A4, fonts embedded), as the certificates are printed: one
stylesheet parsed once per process, the logo as a vector, always in Spanish and in Bogotá time
(they are the customer's documents)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from warranty.document import MONTHS, long_date

LOGO = "img/calltech-logo.svg"
STYLESHEET = "reports/pdf/report.css"
_IMAGE_CACHE: dict[str, Any] = {}


@cache
def _style() -> tuple[Any, Any]:
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


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy import: only where a PDF is made

    with translation.override("es-co"), timezone.override(settings.TIME_ZONE):
        html = render_to_string(template, {"logo_uri": _logo_uri(), **context})
    stylesheet, fonts = _style()
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts, cache=_IMAGE_CACHE)


def local_datetime(instant: datetime | None) -> str:
    """ "2 de diciembre de 2026, 14:05" in Bogotá time ("" for None)."""
    if instant is None:
        return ""
    local = timezone.localtime(instant, timezone.get_default_timezone())
    return f"{long_date(local.date())}, {local:%H:%M}"


def month_name(month: datetime | Any) -> str:
    """ "noviembre de 2026" for a month's first day."""
    return f"{MONTHS[month.month - 1]} de {month.year}"


def business_hours_text(value: timedelta | float | None) -> str:
    """Business time as a person reads it: "3 h 05 min hábiles", "45 min hábiles"."""
    if value is None:
        return ""
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    minutes = int(max(0, seconds) // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        text = f"{hours} h {minutes:02d} min"
    elif hours:
        text = f"{hours} h"
    else:
        text = f"{minutes} min"
    return f"{text} hábiles"
