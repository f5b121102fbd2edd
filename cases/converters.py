"""URL converters of the case desk."""

from __future__ import annotations

from django.urls import register_converter


class CaseNumberConverter:
    """A case number in a URL (SMA-2026-000123): letters, digits and hyphens, at most the column's 20
    characters. Anything else (a NUL byte, a slash-free oddity, an overlong string) matches no URL,
    so it is a 404 before any query sees it."""

    regex = "[A-Za-z0-9][A-Za-z0-9-]{0,19}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CaseNumberConverter, "case_number")
