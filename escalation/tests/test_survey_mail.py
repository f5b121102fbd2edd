"""The survey e-mail's sending: once per closure, an SMTP failure stores no token and is retried,
closures from before the e-mail start get none."""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from cases import services as case_services
from cases.models import CloseReason, SolutionKind, SurveyOwed
from cases.tests.factories import engineer, registered_case
from contracts.tests.clock import TEST_NOW
from escalation.services.outbox import RESEND_AFTER, mail_history_until
from escalation.services.survey_mail import survey_invitations_collect

pytestmark = pytest.mark.django_db


def closed_case(now=TEST_NOW):
    eng = engineer()
    case = registered_case(now=now - timedelta(days=1))
    case_services.case_propose_solution(
        case=case, actor=eng, solution_kind=SolutionKind.WORKAROUND, solution="Use el puerto 5061.", now=now
    )
    case_services.case_close(case=case, actor=eng, reason=CloseReason.ACCEPTED, now=now)
    return case


def surveys_sent():
    return [m for m in mail.outbox if "Encuesta de satisfacción" in m.subject]


def test_an_smtp_failure_keeps_no_token_and_is_retried_until_sent_once(
    monkeypatch, django_capture_on_commit_callbacks
) -> None:
    closed_case()
    real_send = EmailMultiAlternatives.send

    def smtp_down(self, fail_silently=False):
        raise SMTPException("421 service not available")

    monkeypatch.setattr(EmailMultiAlternatives, "send", smtp_down)
    with django_capture_on_commit_callbacks(execute=True):
        survey_invitations_collect(now=TEST_NOW)
    survey = SurveyOwed.objects.get()
    assert survey.sent_at is None and survey.attempts >= 1 and "421" in survey.last_error
    assert survey.token_hash is None  # the link of the failed e-mail never works
    with django_capture_on_commit_callbacks(execute=True):  # too early for a retry
        assert survey_invitations_collect(now=TEST_NOW + timedelta(seconds=30)) == []
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    later = TEST_NOW + RESEND_AFTER * 2**survey.attempts
    with django_capture_on_commit_callbacks(execute=True):
        assert survey_invitations_collect(now=later) == [survey.pk]
    survey.refresh_from_db()
    assert survey.sent_at is not None and survey.token_hash and len(surveys_sent()) == 1


def test_closures_before_the_mail_start_get_no_survey(django_capture_on_commit_callbacks) -> None:
    closed_case(now=TEST_NOW - timedelta(days=3))
    mail_history_until(at=TEST_NOW - timedelta(days=2), reason="Datos históricos")
    recent = closed_case()
    with django_capture_on_commit_callbacks(execute=True):
        queued = survey_invitations_collect(now=TEST_NOW)
    assert queued == [SurveyOwed.objects.get(case=recent).pk]
    assert len(surveys_sent()) == 1 and recent.number in surveys_sent()[0].subject
