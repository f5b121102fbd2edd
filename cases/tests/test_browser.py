"""In a real browser: an engineer registers a case for a Gold customer and works it to closure.

The second test walks the same registration with JavaScript switched off (no htmx): the
"Mostrar contactos y productos" button reloads the form with the customer's contacts and products.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases import services
from cases.models import ActivityKind, Case, CaseStatus, CloseReason, SurveyOwed
from cases.tests.factories import customer_setup, engineer, registered_case
from contracts.tests.factories import platinum_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "s3cret-pass"  # UserFactory's default
NUMBER = re.compile(r"SMA-\d{4}-\d{6}")


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    expect(page).to_have_url(re.compile(r"/ingresar/"))
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(f"{base_url}/")


def _background_cases(actor) -> None:
    """A queue worth looking at: several priorities and states, one deadline already missed."""
    now = timezone.now()
    registered_case(actor=actor, priority="P2", assigned_to=actor)
    registered_case(actor=actor, priority="P3", subject="Consulta sobre licencias de la consola de grabación")
    registered_case(actor=actor, priority="", channel="email")  # by e-mail: awaiting priority
    registered_case(
        actor=actor,
        priority="P1",
        subject="Caída total del enrutador de llamadas",
        now=now - timedelta(days=10),  # Gold P1 is 2 business hours: long overdue
    )
    attended = registered_case(
        actor=actor,
        priority="P4",
        setup=customer_setup(plan=platinum_plan()),
        subject="Información de parches",
    )
    services.case_log_activity(case=attended, actor=actor, kind="phone_call", body="Se envió el boletín.")
    waiting = registered_case(actor=actor, priority="P2", subject="Cortes intermitentes en la troncal SIP")
    services.case_log_activity(case=waiting, actor=actor, kind="email", body="Se pidieron los logs.")
    services.case_change_status(case=waiting, actor=actor, status=CaseStatus.WAITING_CUSTOMER)


def test_engineer_registers_and_closes_a_case(live_server, page: Page, screenshot_dir) -> None:
    page.set_default_timeout(8000)
    user = engineer(username="ingeniero", first_name="Camilo", last_name="Suárez")
    gold = customer_setup()
    other = customer_setup()  # its contact and installation must not be offered for the Gold customer
    _background_cases(user)

    _sign_in(page, live_server.url, "ingeniero")
    page.locator(".sma-navbar").get_by_role("link", name="Casos", exact=True).click()
    page.wait_for_url(f"{live_server.url}/casos/")
    expect(page.get_by_role("heading", name="Casos de soporte")).to_be_visible()
    rows = page.locator(".sma-case-table tbody tr")
    expect(rows).to_have_count(6)
    expect(page.get_by_text(re.compile(r"^vencido hace"))).to_have_count(1)
    page.screenshot(path=screenshot_dir / "cases-list.png", full_page=True)

    page.get_by_role("link", name="Registrar un caso").click()
    page.wait_for_url(f"{live_server.url}/casos/nuevo/")
    requester = page.locator("#id_requester")
    installation = page.locator("#id_installation")
    expect(requester.locator("option")).to_have_count(1)  # only "—" before a customer is chosen

    page.locator("#id_customer").select_option(str(gold["customer"].pk))
    # htmx swaps in the customer's contacts and installations, and only theirs
    expect(requester.locator("option", has_text=gold["requester"].full_name)).to_have_count(1)
    expect(requester.locator("option", has_text=other["requester"].full_name)).to_have_count(0)
    expect(installation.locator("option")).to_have_count(2)
    expect(installation.locator("option", has_text=other["installation"].product.name)).to_have_count(0)

    requester.select_option(str(gold["requester"].pk))
    installation.select_option(str(gold["installation"].pk))
    page.get_by_label("Canal").select_option("phone")
    page.get_by_label("Prioridad").select_option("P1")
    page.get_by_label("Asunto").fill("No hay audio en las grabaciones")
    page.get_by_label("Descripción").fill("Desde esta mañana las grabaciones se guardan sin audio.")
    page.screenshot(path=screenshot_dir / "case-register.png", full_page=True)
    page.get_by_role("button", name="Registrar el caso").click()

    page.wait_for_url(re.compile(r"/casos/SMA-\d{4}-\d{6}/$"))
    number = NUMBER.search(page.url).group(0)
    assert number.startswith(f"SMA-{timezone.localdate().year}-")
    expect(page.locator(".sma-messages").filter(has_text=number)).to_be_visible()
    expect(page.get_by_role("heading", name="No hay audio en las grabaciones")).to_be_visible()
    expect(page.locator(".sma-eyebrow").filter(has_text=number)).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Nuevo")
    expect(page.get_by_test_id("deadline")).to_have_text(re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}"))
    expect(page.get_by_test_id("first-response")).to_have_text("—")
    expect(page.locator("#h-sla ~ p .sma-countdown")).to_have_text(re.compile(r"^vence en "))
    page.screenshot(path=screenshot_dir / "case-detail-new.png", full_page=True)

    page.get_by_text("Registrar una interacción", exact=True).click()
    activity = page.locator("details#activity")
    activity.get_by_label("Actividad").select_option("phone_call")
    activity.get_by_label("Qué se hizo o se dijo").fill(
        "Se llamó al contacto; se reinició el servicio de audio."
    )
    expect(activity.get_by_label("Visible para el cliente")).to_be_checked()
    activity.get_by_role("button", name="Guardar").click()
    expect(page.locator(".sma-messages").filter(has_text="Actividad registrada.")).to_be_visible()
    expect(page.get_by_test_id("first-response")).to_have_text(re.compile(r"\d{2}/\d{2} \d{2}:\d{2}"))
    expect(page.locator("#h-sla ~ p .sma-countdown")).to_have_text("atendido a tiempo")
    expect(page.get_by_test_id("status")).to_have_text("En curso")
    expect(page.locator(".sma-timeline-item", has_text="se reinició el servicio de audio")).to_be_visible()
    page.screenshot(path=screenshot_dir / "case-detail-attended.png", full_page=True)

    page.get_by_text("Proponer una solución", exact=True).click()
    solution = page.locator("details#solution")
    solution.get_by_label("Tipo de solución").select_option("procedure")
    solution.get_by_label(re.compile(r"^Solución")).fill(
        "Reiniciar el servicio de audio y actualizar el códec."
    )
    solution.get_by_role("button", name="Guardar").click()
    expect(page.locator(".sma-messages").filter(has_text="Solución propuesta al cliente.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Solución propuesta")

    page.get_by_text("Cerrar el caso", exact=True).click()
    close = page.locator("details#close")
    close.get_by_label("Motivo").select_option(CloseReason.ACCEPTED)
    close.get_by_label("Nota").fill("El contacto confirmó por teléfono que el audio volvió.")
    close.get_by_role("button", name="Guardar").click()
    expect(page.locator(".sma-messages").filter(has_text="Caso cerrado.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Cerrado")
    expect(page.get_by_text("Solución aceptada por el cliente")).to_be_visible()
    expect(page.get_by_text("Reabrir el caso", exact=True)).to_be_visible()
    page.screenshot(path=screenshot_dir / "case-detail-closed.png", full_page=True)

    case = Case.objects.get(number=number)
    assert case.customer == gold["customer"]
    assert case.requester == gold["requester"]
    assert case.installation == gold["installation"]
    assert case.plan.code == "GOLD_8X5"
    assert (case.channel, case.priority) == ("phone", "P1")
    assert case.registered_by == user
    assert case.status == CaseStatus.CLOSED
    assert case.close_reason == CloseReason.ACCEPTED
    assert case.solution_kind == "procedure"
    assert case.first_response_at is not None and case.attention_met is True
    assert case.registered_at <= case.first_response_at <= case.closed_at
    kinds = list(case.activities.order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds[0] == ActivityKind.REGISTRATION and kinds[-1] == ActivityKind.CLOSURE
    assert ActivityKind.PHONE_CALL in kinds and ActivityKind.SOLUTION_PROPOSED in kinds
    call = case.activities.get(kind=ActivityKind.PHONE_CALL)
    assert call.is_public and call.author == user
    assert SurveyOwed.objects.filter(case=case, contact=gold["requester"]).count() == 1


def test_registration_without_javascript(live_server, browser, screenshot_dir) -> None:
    engineer(username="ingeniera", first_name="Luisa", last_name="Mora")
    gold = customer_setup()
    other = customer_setup()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(8000)
        _sign_in(page, live_server.url, "ingeniera")
        page.goto(f"{live_server.url}/casos/nuevo/")
        requester = page.locator("#id_requester")
        expect(requester.locator("option")).to_have_count(1)

        page.get_by_label("Asunto").fill("La consola no inicia")  # typed before the round trip, kept
        page.locator("#id_customer").select_option(str(gold["customer"].pk))
        with page.expect_navigation():
            page.get_by_role("button", name="Mostrar contactos y productos").click()
        assert page.url.endswith("/casos/nuevo/")  # posted: nothing typed, no token, in the URL
        expect(page.locator("#id_customer")).to_have_value(str(gold["customer"].pk))
        expect(page.get_by_label("Asunto")).to_have_value("La consola no inicia")
        expect(requester.locator("option", has_text=gold["requester"].full_name)).to_have_count(1)
        expect(requester.locator("option", has_text=other["requester"].full_name)).to_have_count(0)
        page.screenshot(path=screenshot_dir / "case-register-nojs.png", full_page=True)

        requester.select_option(str(gold["requester"].pk))
        page.locator("#id_installation").select_option(str(gold["installation"].pk))
        page.get_by_label("Prioridad").select_option("P2")
        page.get_by_label("Descripción").fill("Error 0x80040154 al abrir la consola.")
        page.get_by_role("button", name="Registrar el caso").click()

        page.wait_for_url(re.compile(r"/casos/SMA-\d{4}-\d{6}/$"))
        number = NUMBER.search(page.url).group(0)
        expect(page.get_by_test_id("status")).to_have_text("Nuevo")
        expect(page.get_by_test_id("deadline")).not_to_be_empty()
        page.screenshot(path=screenshot_dir / "case-detail-nojs.png", full_page=True)
    finally:
        context.close()

    case = Case.objects.get(number=number)
    assert (case.customer, case.requester, case.installation) == (
        gold["customer"],
        gold["requester"],
        gold["installation"],
    )
    assert case.priority == "P2" and case.subject == "La consola no inicia"
