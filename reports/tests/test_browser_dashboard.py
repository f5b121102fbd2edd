"""In a real browser, on a desktop (1366 px) and a phone (390 px): the manager's dashboard over the
demo data (plus twelve weeks of answered and closed cases) reads at a glance — counters linked to
the case list, charts with their numbers, nothing pushed off the side of the screen."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cases.models import Case, CaseStatus
from contracts.models import Installation, SupportContract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Calltech.2026"  # the demo's


def _history() -> None:
    """Twelve weeks of past cases on the demo's contracts: mostly met, some late, a few never
    answered, with business durations recorded as the services do."""
    from django.contrib.auth import get_user_model

    now = timezone.now()
    engineers = list(get_user_model().objects.filter(username__in=["ingeniero", "ingeniera"]))
    contracts = list(SupportContract.objects.select_related("customer", "plan").order_by("pk"))
    rows = []
    for i in range(150):
        contract = contracts[(i * 7) % len(contracts)]
        installation = Installation.objects.filter(customer=contract.customer).first()
        requester = contract.customer.technical_contacts.first()
        if installation is None or requester is None:
            continue
        registered = now - timedelta(hours=8 + i * 13.3)
        priority = ("P1", "P2", "P3", "P3", "P4")[i % 5]
        hours = {"P1": 2, "P2": 6, "P3": 16, "P4": 32}[priority]
        late = i % 9 == 0
        answered = i % 23 != 5
        first = registered + timedelta(hours=hours * (1.3 if late else 0.2 + (i % 7) / 10))
        closed = registered + timedelta(hours=hours * 3 + i % 40) if i > 6 else None
        rows.append(
            Case(
                number=f"SMA-2026-9{i:05d}",
                customer=contract.customer,
                contract=contract,
                plan=contract.plan,
                installation=installation,
                product=installation.product,
                requester=requester,
                channel="phone",
                priority=priority,
                status=CaseStatus.CLOSED if closed else CaseStatus.IN_PROGRESS,
                subject=f"Caso histórico {i}",
                description="Histórico para el tablero",
                product_version="8.4",
                assigned_to=engineers[i % len(engineers)],
                registered_at=registered,
                attention_due_at=registered + timedelta(hours=hours),
                first_response_at=first if answered else None,
                attention_met=(not late) if answered else None,
                first_response_business_seconds=int((first - registered).total_seconds() * 0.6)
                if answered
                else None,
                closed_at=closed,
                resolution_business_seconds=int((closed - registered).total_seconds() * 0.4)
                if closed
                else None,
                reopen_count=1 if i % 17 == 0 else 0,
            )
        )
    Case.objects.bulk_create(rows)


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/ingresar/")
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{base_url}/")


@pytest.mark.parametrize("width", [1366, 390])
def test_the_dashboard_reads_at_a_glance(live_server, browser: Browser, screenshot_dir, width) -> None:
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    _history()
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 400 else 844})
    page = context.new_page()
    page.set_default_timeout(10000)
    try:
        _sign_in(page, live_server.url, "gerente")
        if width > 400:
            page.get_by_role("link", name="Tablero de ANS").first.click()
        else:
            page.goto(f"{live_server.url}/tablero/")
        expect(page.get_by_role("heading", name="Tablero de ANS")).to_be_visible()
        page.get_by_label("Periodo", exact=True).select_option("quarter")
        page.get_by_role("button", name="Aplicar").click()
        page.wait_for_url(re.compile(r"period=quarter"))
        expect(page.get_by_role("heading", name="Últimos 3 meses")).to_be_visible()
        expect(page.get_by_test_id("compliance")).to_have_text(re.compile(r"^\d+(,\d)? %$"))
        expect(page.locator("svg.sma-chart").first).to_be_visible()
        for testid in ("now-open", "now-unanswered", "now-at_risk", "now-breached", "compliance"):
            box = page.get_by_test_id(testid).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (testid, box)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, scroll_width
        page.screenshot(path=str(screenshot_dir / f"dashboard-{width}.png"), full_page=True)

        breached = int(page.get_by_test_id("now-breached").locator(".sma-stat-value").inner_text())
        page.get_by_test_id("now-breached").click()
        page.wait_for_url(re.compile(r"/casos/\?status=open&sla=breached"))
        expect(page.locator(".sma-case-table tbody tr")).to_have_count(breached)
    finally:
        context.close()
