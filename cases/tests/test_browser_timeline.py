"""In a real browser: a case with a long timeline shows its newest activities and reaches the older
ones through "Ver anteriores" (screenshots of both pages)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cases.tests.factories import engineer, registered_case
from cases.tests.test_timeline import REGISTERED, _grow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_older_activities_are_one_click_away(live_server, page: Page, screenshot_dir) -> None:
    eng = engineer(username="timeline", first_name="Camilo", last_name="Suárez")
    case = registered_case(priority="P2", assigned_to=eng, now=REGISTERED)
    _grow(case, 70, author=eng)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/")
    page.get_by_label("Nombre de usuario").fill("timeline")
    page.get_by_label("Contraseña").fill("s3cret-pass")
    page.get_by_role("button", name="Ingresar").click()
    page.goto(f"{live_server.url}/casos/{case.number}/")
    expect(page.get_by_test_id("timeline-total")).to_contain_text("71 actividades")
    expect(page.locator(".sma-timeline-item")).to_have_count(50)
    expect(page.get_by_text("nota 0070")).to_be_visible()
    page.get_by_test_id("timeline-older").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "case-timeline-newest.png"))
    page.get_by_test_id("timeline-older").click()
    expect(page).to_have_url(re.compile(r"\?timeline=2#timeline$"))
    expect(page.locator(".sma-timeline-item")).to_have_count(21)  # the registration and notes 1–20
    expect(page.get_by_text("registro-0014.log")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "case-timeline-older.png"), full_page=True)
    page.get_by_test_id("timeline-newer").click()
    expect(page.get_by_text("nota 0070")).to_be_visible()
