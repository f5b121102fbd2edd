"""The Content-Security-Policy: on every page, scripts and styles only from our static files. The
templates hold no inline script, style element or style attribute (e-mails and the certificate's
PDF, which no browser renders under the policy, excepted); a download keeps its own stricter policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
NOT_FOR_BROWSERS = ("escalation/email/", "_pdf.html", "/pdf/")


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_pages_carry_the_policy(client) -> None:
    response = client.get(reverse("login"))
    policy = _policy(response)
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'" and policy["base-uri"] == "base-uri 'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_no_template_has_inline_script_or_style() -> None:
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if any(part in name for part in NOT_FOR_BROWSERS):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"<style[\s>]", text) or re.search(r"\sstyle\s*=", text):
            offenders.append(f"{name}: style")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offenders.append(f"{name}: inline script")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{name}: event handler attribute")
    assert not offenders, offenders
