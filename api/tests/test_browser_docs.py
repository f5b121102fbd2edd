"""In a real browser: the API documentation renders from vendored files under its strict CSP."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_with_no_cdn(live_server, page, screenshot_dir) -> None:
    outside: list[str] = []
    refused: list[str] = []
    page.on("request", lambda r: r.url.startswith(live_server.url) or outside.append(r.url))
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    response = page.goto(f"{live_server.url}/api/docs/")
    assert response is not None and "default-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("SMA API").first.wait_for()
    page.get_by_text("/api/v1/cases/", exact=True).first.wait_for()
    page.get_by_text("List cases, newest first").first.click()
    page.get_by_text("The desk's filters, newest first").first.wait_for()
    page.screenshot(path=screenshot_dir / "api_docs.png", full_page=False)
    assert page.get_by_role("button", name="Authorize").is_visible()
    assert outside == [] and refused == []
