"""Helpers of the double-submit tests: the POST forms a page renders, and the check that each
carries a one-time token to a view that honours it."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django.urls import resolve, reverse

from cases.idempotency import TOKEN_FIELD

ALREADY_SENT = "Esta solicitud ya se había enviado; se guardó una sola vez."


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self._current = {"action": values.get("action") or "", "inputs": set()}
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None:
            self._current["inputs"].add(values.get("name"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


# Forms that change no case data: signing out and the language preference.
EXEMPT = {reverse("logout"), reverse("set_language")}


def post_forms(html: str, page_url: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    forms = [f for f in parser.forms if (f["action"] or page_url) not in EXEMPT]
    for form in forms:
        form["action"] = form["action"] or page_url
    return forms


def assert_forms_are_idempotent(html: str, page_url: str) -> list[str]:
    """The addresses of the page's POST forms, each checked to carry a token to a view that keeps it."""
    forms = post_forms(html, page_url)
    for form in forms:
        assert TOKEN_FIELD in form["inputs"], form["action"]
        assert getattr(resolve(form["action"]).func, "idempotent", False), form["action"]
    return [form["action"] for form in forms]
