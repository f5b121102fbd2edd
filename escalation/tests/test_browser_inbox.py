"""In a real browser: a case breaches; the support manager sees it in the navbar's bell without
opening the "breached" queue, opens the inbox and the case, marks the notice read and the count
drops. At a laptop's width and a phone's."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cases.tests.factories import engineer, manager, registered_case
from escalation import services
from escalation.models import InboxItem, Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "s3cret-pass"  # UserFactory's default


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    expect(page).to_have_url(re.compile(r"/ingresar/"))
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{base_url}/")


def _inside_the_viewport(page: Page, testid: str) -> None:
    box = page.get_by_test_id(testid).first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


@pytest.mark.parametrize("width", [1366, 390])
def test_a_manager_learns_of_a_breach_in_the_inbox(
    live_server, browser: Browser, screenshot_dir, width
) -> None:
    boss = manager(first_name="Christian", last_name="Romero")
    follower = engineer(first_name="Camilo", last_name="Suárez")
    case = registered_case(
        priority="P1",
        assigned_to=follower,
        subject="Grabación detenida en todas las troncales",
        now=timezone.now() - timedelta(days=2),
    )
    other = registered_case(
        priority="P2", subject="Consulta de grabaciones lenta", now=timezone.now() - timedelta(days=3)
    )
    services.deadline_sweep(now=timezone.now())
    assert InboxItem.objects.filter(user=boss).count() == 2  # one breach per case

    context = browser.new_context(
        viewport={"width": width, "height": 900 if width > 400 else 844}, locale="es-CO"
    )
    page = context.new_page()
    _sign_in(page, live_server.url, boss.username)
    bell = page.get_by_test_id("inbox-bell")
    expect(bell).to_be_visible()  # outside the collapsed menu on a phone too
    expect(page.get_by_test_id("inbox-unread")).to_have_text("2")
    _inside_the_viewport(page, "inbox-bell")
    page.screenshot(path=screenshot_dir / f"inbox-bell-{width}.png")

    bell.click()
    expect(page.get_by_role("heading", name="Avisos")).to_be_visible()
    items = page.get_by_test_id("inbox-item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Tiempo de atención vencido")
    _inside_the_viewport(page, "inbox-item-read")
    page.screenshot(path=screenshot_dir / f"inbox-list-{width}.png", full_page=True)

    # The manager opens the breach of the newest-breached case: it leads to the case.
    breach = Notification.objects.get(case=case, kind=Notification.Kind.BREACH)
    row = items.filter(has_text=breach.subject)
    row.get_by_test_id("inbox-item-link").click()
    expect(page).to_have_url(re.compile(rf"/casos/{case.number}/"))
    page.go_back()

    # Marks it read: the count drops to one; the other breach stays unread.
    items.filter(has_text=breach.subject).get_by_test_id("inbox-item-read").click()
    expect(page.get_by_test_id("inbox-unread")).to_have_text("1")
    expect(items.filter(has_text=breach.subject)).to_contain_text("leído el")
    assert InboxItem.objects.get(user=boss, notification=breach).read_at is not None
    page.get_by_role("link", name="No leídos").click()
    expect(page.get_by_test_id("inbox-item")).to_have_count(1)
    expect(page.get_by_test_id("inbox-item")).to_contain_text(other.number)
    page.screenshot(path=screenshot_dir / f"inbox-after-read-{width}.png", full_page=True)

    page.get_by_test_id("inbox-read-all").click()
    expect(page.get_by_test_id("inbox-unread")).to_have_count(0)
    expect(page.get_by_test_id("inbox-empty")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"inbox-all-read-{width}.png", full_page=True)
    context.close()
