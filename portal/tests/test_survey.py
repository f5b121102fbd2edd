"""The satisfaction survey from the e-mailed link: the link from the sent mail opens the form
without signing in, a GET stores nothing, the answer is stored once, and a reused, expired,
altered link or another case's number gets a clear page and stores nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from cases import services as case_services
from cases.models import CloseReason, SolutionKind, SurveyOwed, SurveyResponse
from contracts.tests.clock import TEST_NOW
from escalation.services.survey_mail import survey_invitations_collect

from .world import INTERNAL_NOTE

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/portal/encuesta/\S+/")
ANSWERS = {"attention_time": "5", "technical_knowledge": "4", "courtesy": "5", "solution_quality": "3"}


def close(case, engineer) -> None:
    case_services.case_propose_solution(
        case=case, actor=engineer, solution_kind=SolutionKind.PROCEDURE, solution="Reinicie CTLog."
    )
    case_services.case_close(case=case, actor=engineer, reason=CloseReason.ACCEPTED)


def mailed_link(capture, case) -> str:
    with capture(execute=True):
        survey_invitations_collect()
    messages = [m for m in mail.outbox if case.number in m.subject and "encuesta" in m.subject.lower()]
    assert len(messages) == 1
    found = LINK.findall(messages[0].body)
    assert found, messages[0].body
    return urlsplit(found[0]).path


@pytest.fixture
def link(world, django_capture_on_commit_callbacks) -> str:
    close(world.case_a, world.engineer)
    return mailed_link(django_capture_on_commit_callbacks, world.case_a)


def test_the_link_opens_the_form_without_signing_in_and_a_get_stores_nothing(client, world, link) -> None:
    survey = SurveyOwed.objects.get(case=world.case_a)
    before = SurveyOwed.objects.filter(pk=survey.pk).values().get()
    for _ in range(3):  # the mail scanner, the preview, the contact
        page = client.get(link)
        assert page.status_code == 200
        assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]
    body = page.content.decode()
    assert world.case_a.number in body and "Tiempo de atención" in body and "Cortesía" in body
    assert INTERNAL_NOTE not in body
    assert not SurveyResponse.objects.exists()
    assert SurveyOwed.objects.filter(pk=survey.pk).values().get() == before


def test_the_answer_is_stored_once_and_the_link_then_says_so(client, world, link) -> None:
    response = client.post(link, {**ANSWERS, "comment": "Muy amables"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:survey_thanks")
    answer = SurveyResponse.objects.get()
    assert (answer.case, answer.contact) == (world.case_a, world.case_a.requester)
    assert (answer.attention_time, answer.technical_knowledge, answer.courtesy, answer.solution_quality) == (
        5,
        4,
        5,
        3,
    )
    assert answer.comment == "Muy amables"
    assert "Gracias" in client.get(reverse("portal:survey_thanks")).content.decode()
    again = client.post(link, {**ANSWERS, "courtesy": "1"})
    assert again.status_code == 200 and "ya fue respondida" in again.content.decode()
    assert "ya fue respondida" in client.get(link).content.decode()
    assert SurveyResponse.objects.get().courtesy == 5


def test_another_cases_number_with_this_token_gets_a_clear_page(
    client, world, link, django_capture_on_commit_callbacks
) -> None:
    other = world.case_a_waiting
    close(other, world.engineer)
    mailed_link(django_capture_on_commit_callbacks, other)
    forged = link.replace(world.case_a.number, other.number)
    for method in (client.get, client.post):
        page = method(forged, ANSWERS) if method == client.post else method(forged)
        assert page.status_code == 404 and "no es válido" in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_altered_token_gets_a_clear_page(client, link) -> None:
    token = link.rstrip("/").rsplit("/", 1)[1]
    altered = link.replace(token, token[:-1] + ("x" if token[-1] != "x" else "y"))
    page = client.post(altered, ANSWERS)
    assert page.status_code == 404 and "no es válido" in page.content.decode()
    assert client.get(link.replace(token, token[:20])).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_the_link_expires_30_days_after_the_mail(client, link, clock) -> None:
    sent = SurveyOwed.objects.get().sent_at
    clock.move_to(sent + timedelta(days=30, seconds=1))
    page = client.get(link)
    assert page.status_code == 410 and "venció" in page.content.decode()
    assert client.post(link, ANSWERS).status_code == 410
    assert not SurveyResponse.objects.exists()


def test_a_rating_missing_or_out_of_range_shows_the_form_again(client, link) -> None:
    page = client.post(link, {**ANSWERS, "courtesy": "6"})
    assert page.status_code == 200 and "Califique cada aspecto de 1 a 5" in page.content.decode()
    page = client.post(link, {k: v for k, v in ANSWERS.items() if k != "attention_time"})
    assert page.status_code == 200
    assert not SurveyResponse.objects.exists()


def test_a_contact_signed_in_elsewhere_answers_with_the_token_alone(client, world, link) -> None:
    client.force_login(world.b1.user)  # another company's contact: the token decides, not the session
    assert client.post(link, ANSWERS).status_code == 302
    assert SurveyResponse.objects.get().contact == world.case_a.requester


def test_the_survey_mail_is_sent_once_per_closure_in_spanish(
    world, django_capture_on_commit_callbacks
) -> None:
    close(world.case_a, world.engineer)
    with django_capture_on_commit_callbacks(execute=True):
        survey_invitations_collect()
    with django_capture_on_commit_callbacks(execute=True):
        survey_invitations_collect(now=TEST_NOW + timedelta(hours=1))
    surveys = [m for m in mail.outbox if "encuesta" in m.subject.lower()]
    assert len(surveys) == 1
    message = surveys[0]
    assert message.subject == f"[{world.case_a.number}] ¿Cómo lo atendimos? Encuesta de satisfacción"
    assert message.to == [f"{world.case_a.requester.full_name} <{world.case_a.requester.email}>"]
    assert "vence el 1 de enero de 2027" in message.body and INTERNAL_NOTE not in message.body
    html = message.alternatives[0][0]
    assert "Responder la encuesta" in html and INTERNAL_NOTE not in html
    assert SurveyOwed.objects.get().sent_at is not None
