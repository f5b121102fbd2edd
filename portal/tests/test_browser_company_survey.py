"""In a real browser, at a laptop's width and a phone's: a contact opens the company page, then
answers the satisfaction survey from the link in the e-mail the closure sent."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from cases import services as case_services
from cases.models import CloseReason, SolutionKind, SurveyResponse
from cases.tests.factories import customer_setup, engineer, registered_case
from contracts.tests.factories import (
    InstallationFactory,
    ProductFactory,
    TechnicalContactFactory,
    UserFactory,
)
from escalation.services.survey_mail import survey_invitations_collect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "s3cret-pass"  # UserFactory's default
SIZES = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
LINK = re.compile(r"https?://\S+/portal/encuesta/\S+/")


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/ingresar/")
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(re.compile(r"/portal/"))


def _closed_case_link(setup, number_of_cases: int) -> tuple[str, str]:
    eng = engineer(first_name="Laura", last_name="Gómez")
    case = registered_case(setup=setup, subject="La grabación se detiene en la troncal 3")
    case_services.case_propose_solution(
        case=case, actor=eng, solution_kind=SolutionKind.PROCEDURE, solution="Reinicie el servicio CTLog."
    )
    case_services.case_close(case=case, actor=eng, reason=CloseReason.ACCEPTED)
    survey_invitations_collect()  # the beat job; the task runs eagerly after commit
    messages = [m for m in mail.outbox if case.number in m.subject and "Encuesta" in m.subject]
    assert len(messages) == number_of_cases
    return case.number, urlsplit(LINK.findall(messages[-1].body)[0]).path


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_contact_sees_the_company_and_answers_the_survey(
    live_server, page: Page, screenshot_dir, size: str
) -> None:
    page.set_default_timeout(10000)
    page.set_viewport_size(SIZES[size])
    setup = customer_setup()
    customer = setup["customer"]
    customer.name = "Clínica de los Andes S.A.S."
    customer.save()
    contact = setup["requester"]
    contact.full_name, contact.position = "Ana Rodríguez", "Jefe de Infraestructura"
    contact.user = UserFactory(username="ana.rodriguez", first_name="Ana", last_name="Rodríguez")
    contact.save()
    TechnicalContactFactory(customer=customer, full_name="Julián Herrera", position="Administrador de red")
    InstallationFactory(customer=customer, product=ProductFactory(name="CTVox"), version="7.1", build="2291")
    other = customer_setup()
    other["customer"].name = "Banco del Sur"
    other["customer"].save()

    _sign_in(page, live_server.url, "ana.rodriguez")
    page.goto(f"{live_server.url}/portal/empresa/")
    expect(page.get_by_role("heading", name="Nuestra empresa")).to_be_visible()
    expect(page.get_by_test_id("contracts")).to_contain_text("Vigente")
    expect(page.get_by_test_id("plan-hours")).to_contain_text("Lunes a viernes: 07:30–17:30")
    expect(page.get_by_test_id("channels")).to_contain_text("911")
    expect(page.get_by_test_id("matrix")).to_contain_text("584")
    expect(page.get_by_test_id("contacts")).to_contain_text("Julián Herrera")
    expect(page.locator("body")).not_to_contain_text("Banco del Sur")
    page.screenshot(path=screenshot_dir / f"portal-company-{size}.png", full_page=True)

    number, link = _closed_case_link(setup, 1)
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", name="¿Cómo lo atendimos?")).to_be_visible()
    expect(page.locator("body")).to_contain_text(number)
    assert not SurveyResponse.objects.exists()  # opening the link stored nothing
    page.screenshot(path=screenshot_dir / f"portal-survey-{size}.png", full_page=True)

    for legend, value in (
        ("Tiempo de atención", "5"),
        ("Conocimiento técnico", "4"),
        ("Cortesía", "5"),
        ("Calidad de la solución", "4"),
    ):
        page.get_by_role("radiogroup", name=legend).get_by_text(value, exact=True).click()
    page.get_by_label("Comentario (opcional)").fill("Resolvieron rápido y explicaron bien.")
    page.screenshot(path=screenshot_dir / f"portal-survey-filled-{size}.png", full_page=True)
    page.get_by_role("button", name="Enviar mis respuestas").click()
    expect(page.locator("#survey-thanks")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"portal-survey-thanks-{size}.png", full_page=True)
    answer = SurveyResponse.objects.get()
    assert (answer.attention_time, answer.technical_knowledge, answer.courtesy, answer.solution_quality) == (
        5,
        4,
        5,
        4,
    )

    page.goto(f"{live_server.url}{link}")  # the link again: a clear page, nothing stored
    expect(page.locator("#survey-refused")).to_contain_text("ya fue respondida")
    page.screenshot(path=screenshot_dir / f"portal-survey-reused-{size}.png", full_page=True)
    assert SurveyResponse.objects.count() == 1
