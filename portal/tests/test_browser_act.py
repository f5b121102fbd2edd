"""In a real browser, on a desktop and on a phone: a contact submits a request with a log file, sees
its number and live countdown on the case page, comments, accepts the solution an engineer
proposed (the case closes), and answers the satisfaction survey from the link in the e-mail."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from cases import services as case_services
from cases.models import Case, CaseStatus, CloseReason, SolutionKind, SurveyOwed, SurveyResponse
from escalation.services.survey_mail import survey_invitations_collect

from .world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _in_view(page: Page, locator) -> None:
    """Visible and inside the viewport's width (not behind a sideways scroll)."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (box, width)


@pytest.mark.parametrize("width", [1366, 390])
def test_contact_requests_comments_and_accepts_the_solution(
    live_server, browser: Browser, screenshot_dir, settings, tmp_path, width
) -> None:
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    context = browser.new_context(viewport={"width": width, "height": 844 if width == 390 else 900})
    page = context.new_page()
    page.set_default_timeout(8000)
    shot = f"portal_act_{width}"
    try:
        page.goto(f"{live_server.url}/ingresar/")
        page.get_by_label("Nombre de usuario").fill(world.a1.user.username)
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Ingresar").click()
        expect(page).to_have_url(re.compile(r"/portal/$"))
        if width == 390:
            page.get_by_role("button", name=re.compile("navegación", re.I)).click()
        page.get_by_role("link", name="Nueva solicitud").click()

        # The request, with a log file.
        form = page.get_by_test_id("request-form")
        form.get_by_label("Producto").select_option(index=1)
        form.get_by_label("Prioridad sugerida").select_option("P2")
        form.get_by_label("Asunto").fill("El grabador no registra las llamadas entrantes")
        form.get_by_label("Descripción").fill(
            "Desde las 8:00 aparece ERROR 0x80040154 al iniciar el servicio."
        )
        form.locator("input[type=file]").set_input_files(
            [{"name": "grabador.log", "mimeType": "text/plain", "buffer": b"08:01 ERROR 0x80040154\n"}]
        )
        page.screenshot(path=screenshot_dir / f"{shot}_1_request.png", full_page=True)
        form.get_by_role("button", name="Enviar la solicitud").click()

        case = Case.objects.get(subject="El grabador no registra las llamadas entrantes")
        assert case.channel == "portal" and case.requester_id == world.a1.pk
        message = page.locator(".sma-messages").filter(has_text=case.number)
        expect(message).to_be_visible()
        _in_view(page, page.get_by_test_id("case-number"))
        expect(page.get_by_test_id("case-number")).to_have_text(case.number)
        clock = page.get_by_test_id("clock")
        _in_view(page, clock)
        expect(clock).to_contain_text(re.compile(r"vence en \d+ h"))
        expect(page.get_by_test_id("timeline")).to_contain_text("grabador.log")
        page.screenshot(path=screenshot_dir / f"{shot}_2_registered.png", full_page=True)

        # A comment.
        comment = page.get_by_test_id("act-comentar")
        comment.get_by_label("Comentario").fill("Adjunto también la traza. <script>alert(1)</script>")
        comment.get_by_role("button", name="Enviar").click()
        expect(
            page.locator(".sma-messages").filter(has_text="Su comentario quedó en el caso")
        ).to_be_visible()
        expect(page.get_by_test_id("timeline")).to_contain_text("<script>alert(1)</script>")

        # An engineer proposes a solution; the contact accepts it.
        case_services.case_propose_solution(
            case=case,
            actor=world.engineer,
            solution_kind=SolutionKind.PROCEDURE,
            solution="Registre de nuevo el componente con regsvr32 y reinicie el servicio.",
        )
        page.reload()
        answer = page.get_by_test_id("answer-solution")
        _in_view(page, answer.get_by_role("button", name="Aceptar la solución y cerrar el caso"))
        expect(page.get_by_test_id("solution")).to_contain_text("regsvr32")
        page.screenshot(path=screenshot_dir / f"{shot}_3_solution.png", full_page=True)
        answer.get_by_role("button", name="Aceptar la solución y cerrar el caso").click()
        expect(page.locator(".sma-messages").filter(has_text="la solución quedó aceptada")).to_be_visible()
        expect(page.get_by_test_id("status")).to_have_text("Cerrado")
        page.screenshot(path=screenshot_dir / f"{shot}_4_closed.png", full_page=True)
        case.refresh_from_db()
        assert case.status == CaseStatus.CLOSED and case.close_reason == CloseReason.ACCEPTED
        assert SurveyOwed.objects.filter(case=case).count() == 1
        # No PQR is offered on a solution accepted in time.
        expect(page.get_by_test_id("act-pqr")).to_have_count(0)
        expect(page.get_by_test_id("pqr-refusal")).to_contain_text("reabrir")

        # The survey, from the link in the e-mail the closure sent (the beat job queues it).
        survey_invitations_collect()
        sent = [m for m in mail.outbox if case.number in m.subject and "Encuesta" in m.subject]
        assert len(sent) == 1 and sent[0].to == [f"{world.a1.full_name} <{world.a1.email}>"]
        link = urlsplit(re.findall(r"https?://\S+/portal/encuesta/\S+/", sent[0].body)[0]).path
        page.goto(f"{live_server.url}{link}")
        expect(page.get_by_role("heading", name="¿Cómo lo atendimos?")).to_be_visible()
        assert not SurveyResponse.objects.exists()  # opening the link stores nothing
        for legend, value in (
            ("Tiempo de atención", "5"),
            ("Conocimiento técnico", "4"),
            ("Cortesía", "5"),
            ("Calidad de la solución", "3"),
        ):
            group = page.get_by_role("radiogroup", name=legend)
            _in_view(page, group)
            group.get_by_text(value, exact=True).click()
        page.get_by_label("Comentario (opcional)").fill("Rápidos y claros.")
        _in_view(page, page.get_by_role("button", name="Enviar mis respuestas"))
        page.screenshot(path=screenshot_dir / f"{shot}_5_survey.png", full_page=True)
        page.get_by_role("button", name="Enviar mis respuestas").click()
        expect(page.locator("#survey-thanks")).to_be_visible()
        page.screenshot(path=screenshot_dir / f"{shot}_6_thanks.png", full_page=True)
        answer = SurveyResponse.objects.get()
        assert answer.case_id == case.pk and answer.contact_id == world.a1.pk
        assert (
            answer.attention_time,
            answer.technical_knowledge,
            answer.courtesy,
            answer.solution_quality,
        ) == (
            5,
            4,
            5,
            3,
        )
    finally:
        context.close()
