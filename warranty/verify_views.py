"""Public verification of support certificates: anyone with a code learns whether the certificate
is valid, expired, replaced or revoked, with only its number, company, product, plan and dates.
An unknown and a malformed code get the same page; look-ups are limited per address."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import certificate_selectors as selectors
from .codes import code_normalise
from .document import long_date
from .ratelimit import lookup_allowed

STATUS_FOUND = 200
STATUS_UNKNOWN = 404


class VerifyForm(forms.Form):
    codigo = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_("The code printed on the certificate, e.g. 7K2M-9QXD-4T8V-1BCA-ZR5W."),
        widget=forms.TextInput(
            attrs={"class": "form-control font-monospace", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


def _page(request: HttpRequest, template: str, status: int, **context: Any) -> HttpResponse:
    # The page never repeats the address it was asked at (it holds the typed code): the language
    # switcher goes back to the empty form.
    context = {"form": VerifyForm(), "language_next": reverse("verify"), **context}
    return render(request, template, context, status=status)


def _answer(request: HttpRequest, typed: str) -> HttpResponse:
    if not lookup_allowed(request):
        return _page(request, "warranty/verify_limited.html", 429)
    certificate = selectors.certificate_by_code(code=code_normalise(typed))
    if certificate is None:
        return _page(request, "warranty/verify.html", STATUS_UNKNOWN, result=selectors.UNKNOWN)
    dates = {
        "start": long_date(certificate.start_date),
        "end": long_date(certificate.end_date),
        "issued": long_date(timezone.localtime(certificate.issued_at).date()),
        "ended": long_date(timezone.localtime(certificate.ended_at).date()) if certificate.ended_at else "",
    }
    status = selectors.certificate_status(certificate, on=timezone.localdate())
    return _page(
        request, "warranty/verify.html", STATUS_FOUND, result=status, certificate=certificate, dates=dates
    )


@never_cache
@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    """The form; with ``?codigo=`` the answer (the typed code is never shown back)."""
    if "codigo" in request.GET:
        return _answer(request, request.GET.get("codigo", ""))
    return render(request, "warranty/verify.html", {"form": VerifyForm()})


@never_cache
@require_GET
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """The address printed on the certificate and in its QR code."""
    return _answer(request, code)
