"""What a contact does on a case in the portal: comment with files, accept or reject the proposed
solution, ask to reopen, escalate a PQR and follow its steps. Each is a POST with a one-time token,
on the timeline, told to the engineer; another company's contact gets 404 and nothing changes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import services as case_services
from cases.idempotency import TOKEN_FIELD
from cases.models import ActivityKind, CaseActivity, CaseStatus, CloseReason, SolutionKind, SurveyOwed
from cases.tests.double_submit import ALREADY_SENT, assert_forms_are_idempotent
from escalation.models import Notification, Pqr

from .test_matrix import database_fingerprint
from .world import REGISTERED

pytestmark = pytest.mark.django_db

SLUGS = ("comentar", "aceptar", "rechazar", "reabrir", "pqr", "pqr-escalar", "copiar", "quitar-copia")


def detail(case) -> str:
    return reverse("portal:case_detail", args=[case.number])


def action(case, slug: str) -> str:
    return reverse("portal:case_action", args=[case.number, slug])


def token_for(html: str, slug: str) -> str:
    form = html.split(f'data-testid="act-{slug}"', 1)[1].split("</form>", 1)[0]
    found = re.search(rf'name="{TOKEN_FIELD}" value="([^"]+)"', form)
    assert found, f"no token in the {slug} form"
    return found.group(1)


def post(client, case, slug: str, data: dict, token: str | None = None, **kwargs):
    token = token or token_for(client.get(detail(case)).content.decode(), slug)
    return client.post(action(case, slug), {**data, TOKEN_FIELD: token}, **kwargs)


@pytest.fixture
def a1(client, world):
    client.force_login(world.a1.user)
    return client


@pytest.fixture
def proposed(world):
    case_services.case_propose_solution(
        case=world.case_a,
        actor=world.engineer,
        solution_kind=SolutionKind.PROCEDURE,
        solution="Reinicie el servicio CTLogRec y vuelva a probar.",
        now=REGISTERED + timedelta(hours=1),
    )
    world.case_a.refresh_from_db()
    return world.case_a


def test_every_form_of_the_case_page_is_idempotent(a1, proposed) -> None:
    html = a1.get(detail(proposed)).content.decode()
    sent_to = assert_forms_are_idempotent(html, detail(proposed))
    assert {action(proposed, s) for s in ("comentar", "aceptar", "rechazar")} <= set(sent_to)


def test_a_comment_is_inert_on_the_page_made_once_and_told_to_the_engineer(a1, world) -> None:
    case = world.case_a
    body = 'Mire <script>alert("x")</script> y [el log](javascript:alert(1)) <img src=x onerror=alert(2)>'
    token = token_for(a1.get(detail(case)).content.decode(), "comentar")
    log = SimpleUploadedFile("grabador.log", b"ERROR 0x80040154\n")
    first = post(a1, case, "comentar", {"comment-body": body, "comment-attachments": log}, token)
    again = post(a1, case, "comentar", {"comment-body": body}, token, follow=True)
    assert first.status_code == 302 and first["Location"].endswith("#historial")
    comments = CaseActivity.objects.filter(case=case, kind=ActivityKind.CUSTOMER_MESSAGE)
    assert comments.count() == 1 and comments.get().author == world.a1.user
    assert ALREADY_SENT in again.content.decode()
    assert Notification.objects.filter(activity=comments.get()).count() == 1
    html = a1.get(detail(case)).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html and "<img src=x" not in html
    assert "[el log](javascript:alert(1))" in html  # shown as the text it is
    assert "grabador.log" in html
    case.refresh_from_db()
    assert case.first_response_at == REGISTERED  # the engineer's e-mail, not the comment


def test_a_comment_with_an_svg_or_oversized_file_is_refused_and_keeps_nothing(a1, world, settings) -> None:
    settings.SMA_MAX_ATTACHMENT_BYTES = 1024
    case = world.case_a
    before = CaseActivity.objects.filter(case=case).count()
    svg = SimpleUploadedFile("dibujo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    response = post(a1, case, "comentar", {"comment-body": "mire", "comment-attachments": svg})
    assert response.status_code == 400 and "dibujo.svg" in response.content.decode()
    big = SimpleUploadedFile("grande.log", b"x" * 4096)
    response = post(a1, case, "comentar", {"comment-body": "mire", "comment-attachments": big})
    assert response.status_code == 400 and "grande.log es demasiado grande" in response.content.decode()
    assert CaseActivity.objects.filter(case=case).count() == before


def test_accepting_closes_the_case_and_owes_a_survey(a1, world, proposed) -> None:
    response = post(a1, proposed, "aceptar", {"accept-note": "Funcionó, gracias."})
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == CaseStatus.CLOSED and proposed.close_reason == CloseReason.ACCEPTED
    survey = SurveyOwed.objects.get(case=proposed)
    assert survey.closure.author == world.a1.user
    assert Notification.objects.filter(activity=survey.closure).exists()
    html = a1.get(detail(proposed)).content.decode()
    assert "Gracias: la solución quedó aceptada y el caso cerrado." in html
    assert "Funcionó, gracias." in html and 'data-testid="act-reabrir"' in html
    assert 'data-testid="act-comentar"' not in html and 'data-testid="act-aceptar"' not in html


def test_rejecting_resumes_work_and_offers_the_pqr_whose_steps_the_contact_follows(
    a1, world, proposed
) -> None:
    html = a1.get(detail(proposed)).content.decode()
    assert 'data-testid="pqr-refusal"' not in html  # a proposed solution is an answer: PQR allowed
    response = post(a1, proposed, "rechazar", {"reject-reason": "  "})
    assert response.status_code == 400
    response = post(a1, proposed, "rechazar", {"reject-reason": "Después de reiniciar sigue sin grabar."})
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == CaseStatus.IN_PROGRESS and not proposed.solution
    page = a1.get(detail(proposed)).content.decode()
    assert "Solución rechazada por el cliente" in page and "Después de reiniciar sigue sin grabar." in page
    assert 'data-testid="pqr-offer"' in page
    response = post(
        a1, proposed, "pqr", {"pqr-kind": "complaint", "pqr-description": "Llevamos dos días sin grabar."}
    )
    assert response.status_code == 302
    pqr = Pqr.objects.get(case=proposed)
    assert pqr.contact == world.a1 and pqr.recorded_by == world.a1.user and pqr.level.number == 1
    page = a1.get(detail(proposed)).content.decode()
    steps = page.split('data-testid="pqr-steps"', 1)[1].split("</ol>", 1)[0]
    assert "N1 · " in steps and pqr.code in page
    # Not satisfied: the contact climbs it one level.
    response = post(a1, proposed, "pqr-escalar", {"pqr_climb-note": "Nadie nos ha respondido."})
    assert response.status_code == 302
    pqr.refresh_from_db()
    assert pqr.level.number == 2
    steps = a1.get(detail(proposed)).content.decode().split('data-testid="pqr-steps"', 1)[1].split("</ol>")[0]
    assert "N1 · " in steps and "N2 · " in steps and "Nadie nos ha respondido." in steps


def test_no_pqr_while_the_case_is_within_its_attention_time(a1, world) -> None:
    case = world.case_a_waiting  # registered now, P3: 16 business hours ahead, no answer yet
    html = a1.get(detail(case)).content.decode()
    assert 'data-testid="pqr-refusal"' in html and 'data-testid="act-pqr"' not in html
    token = token_for(a1.get(detail(world.case_a)).content.decode(), "comentar")  # any fresh token
    response = a1.post(
        action(case, "pqr"), {"pqr-kind": "claim", "pqr-description": "Ya!", TOKEN_FIELD: token}
    )
    assert response.status_code == 400 and "dentro de su tiempo de atención" in response.content.decode()
    assert not Pqr.objects.filter(case=case).exists()


def test_a_contact_reopens_a_closed_case(a1, world) -> None:
    case = world.case_a
    case_services.case_close(case=case, actor=world.engineer, reason=CloseReason.INACTIVITY)
    response = post(a1, case, "reabrir", {"reopen-reason": "El grabador volvió a detenerse."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REOPENED
    reopening = CaseActivity.objects.get(case=case, kind=ActivityKind.REOPENING)
    assert "El grabador volvió a detenerse." in reopening.body and reopening.author == world.a1.user
    assert Notification.objects.filter(activity=reopening).exists()


def test_nothing_to_accept_when_no_solution_is_proposed(a1, world) -> None:
    token = token_for(a1.get(detail(world.case_a)).content.decode(), "comentar")
    response = a1.post(action(world.case_a, "aceptar"), {TOKEN_FIELD: token})
    assert response.status_code == 400
    assert "no tiene una solución propuesta que espere su respuesta" in response.content.decode()
    world.case_a.refresh_from_db()
    assert world.case_a.status != CaseStatus.CLOSED


@pytest.mark.parametrize("slug", SLUGS)
def test_another_company_contact_gets_404_and_nothing_changes(client, world, proposed, slug) -> None:
    client.force_login(world.b1.user)
    before = database_fingerprint()
    data = {
        "comment-body": "intrusión",
        "accept-note": "",
        "reject-reason": "intrusión",
        "reopen-reason": "intrusión",
        "pqr-kind": "claim",
        "pqr-description": "intrusión",
        "pqr_climb-note": "intrusión",
        "copy-email": world.a2.email,
        "uncopy-contact": world.a2.pk,
        TOKEN_FIELD: "A" * 32,
    }
    assert client.post(action(proposed, slug), data).status_code == 404
    assert (
        client.post(reverse("portal:case_action", args=[proposed.number, "desconocida"]), data).status_code
        == 404
    )
    assert database_fingerprint() == before
