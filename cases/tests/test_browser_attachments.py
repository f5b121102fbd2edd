"""In a real browser: files attached from the case page are on the timeline and download; a batch
with a refused file saves nothing and says which file and why."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from cases.models import ActivityKind, CaseAttachment
from cases.tests.factories import customer_setup, engineer, registered_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "s3cret-pass"  # UserFactory's default
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("America/Bogota"))


def test_engineer_attaches_files_and_finds_them_on_the_timeline(
    live_server, page: Page, screenshot_dir, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    page.set_default_timeout(8000)
    engineer(username="ingeniero", first_name="Camilo", last_name="Suárez")
    setup = customer_setup(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    case = registered_case(setup=setup, now=NOW)

    page.goto(f"{live_server.url}/ingresar/")
    page.get_by_label("Nombre de usuario").fill("ingeniero")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.goto(f"{live_server.url}/casos/{case.number}/")

    page.get_by_text("Adjuntar archivos", exact=True).click()
    attach = page.locator("details#attach")
    good = {"name": "ctlog.log", "mimeType": "text/plain", "buffer": b"ERROR 42 en troncal 3\n"}
    bad = {"name": "reporte.html", "mimeType": "text/html", "buffer": b"<!DOCTYPE html><html></html>"}
    attach.locator("input[type=file]").set_input_files([good, bad])
    attach.get_by_role("button", name="Guardar").click()
    error = page.locator(".sma-messages").filter(has_text="Nada se guardó")
    expect(error).to_be_visible()
    expect(error).to_contain_text("reporte.html")
    page.screenshot(path=screenshot_dir / "case-attach-refused.png", full_page=True)
    assert not CaseAttachment.objects.exists()

    attach = page.locator("details#attach")
    expect(attach).to_have_attribute("open", "")  # the refused form stays open, ready to try again
    attach.locator("input[type=file]").set_input_files([good])
    attach.get_by_label("Qué contienen los archivos").fill("Log del servicio de grabación")
    attach.get_by_role("button", name="Guardar").click()
    expect(page.locator(".sma-messages").filter(has_text="Archivos adjuntados")).to_be_visible()
    item = page.locator(".sma-timeline-item.sma-activity-attachment")
    expect(item).to_contain_text("Archivos adjuntados")
    expect(item).to_contain_text("Log del servicio de grabación")
    link = item.get_by_role("link", name="ctlog.log")
    expect(link).to_be_visible()
    item.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "case-attach-timeline.png", full_page=True)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "ctlog.log"
    assert open(download.value.path(), "rb").read() == good["buffer"]
    assert case.activities.filter(kind=ActivityKind.ATTACHMENT).count() == 1
    assert re.fullmatch(r"cases/\d+/[0-9a-f]{32}", CaseAttachment.objects.get().file.name)
