"""The satisfaction survey e-mail, once per closure.

``SurveyOwed`` (written by the cases app with the closure) is its own outbox row: this job queues
its sending after commit and ``send_once`` sends it at most once. The link's token is made in
the transaction that marks the row sent — only its hash is stored, and a failed send rolls it
back — so the e-mail body is rendered at sending and kept nowhere (unlike CustomerEmail rows,
which keep their text for the admin: a stored link would be a stored password)."""

from __future__ import annotations

import logging
from datetime import datetime
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import SurveyOwed
from cases.services.surveys import survey_issue_token

from ..models import MailHistoryCutoff
from .customer_mail import _address, _domain, case_thread_id
from .outbox import MAX_ATTEMPTS, RESEND_AFTER, enqueue, send_once

logger = logging.getLogger(__name__)

BATCH = 200


def survey_link(*, case_number: str, token: str) -> str:
    path = reverse("portal:survey", kwargs={"number": case_number, "token": token})
    return settings.SMA_SITE_URL.rstrip("/") + path


def survey_invitations_collect(*, now: datetime | None = None, batch: int = BATCH) -> list[int]:
    """Queue the survey e-mails owed (every minute, beat): new ones at once, failed ones again
    after 2, 4, 8… minutes, up to MAX_ATTEMPTS. Closures before the e-mail start are history and
    get no survey. Returns the ids queued."""
    now = now or timezone.now()
    cutoff = MailHistoryCutoff.objects.filter(key="default").values_list("starts_at", flat=True).first()
    with transaction.atomic():
        unsent = SurveyOwed.objects.select_for_update(skip_locked=True).filter(
            sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS
        )
        if cutoff is not None:
            unsent = unsent.filter(created_at__gt=cutoff)
        rows = unsent.filter(Q(queued_at__isnull=True) | Q(queued_at__lte=now - RESEND_AFTER)).order_by(
            "created_at"
        )[: batch * 4]
        due = [
            row.pk
            for row in rows.only("pk", "queued_at", "attempts")
            if row.queued_at is None or now - row.queued_at >= RESEND_AFTER * 2**row.attempts
        ][:batch]
        if due:
            SurveyOwed.objects.filter(pk__in=due).update(queued_at=now)
            transaction.on_commit(lambda: enqueue_survey_invitations(due))
    return due


def enqueue_survey_invitations(ids: list[int]) -> None:
    from ..tasks import send_survey_invitation

    enqueue(send_survey_invitation, ids)


def survey_invitation_send(*, survey_id: int, now: datetime | None = None) -> SurveyOwed | None:
    """Send one survey e-mail unless it already went out; raises on failure (retried)."""
    now = now or timezone.now()

    def send(survey: SurveyOwed) -> str:
        survey = SurveyOwed.objects.select_related("case__customer", "case__product", "contact").get(
            pk=survey.pk
        )
        contact, case = survey.contact, survey.case
        if not contact.email:
            raise ValueError(f"{contact} has no e-mail address")
        token = survey_issue_token(survey=survey, now=now)
        context = {
            "case": case,
            "contact": contact,
            "link": survey_link(case_number=case.number, token=token),
            "expires_at": survey.expires_at,
            "support_address": settings.SMA_SUPPORT_ADDRESS,
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("escalation/email/survey_invitation_subject.txt", context)
            text = render_to_string("escalation/email/survey_invitation.txt", context)
            html = render_to_string("escalation/email/survey_invitation.html", context)
        thread = case_thread_id(case)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split())[:250],
            body=text.strip() + "\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[_address(contact.full_name, contact.email)],
            reply_to=[settings.SMA_SUPPORT_ADDRESS],
            headers={
                "Message-ID": make_msgid(idstring=f"sma.encuesta.{survey.pk}", domain=_domain()),
                "In-Reply-To": thread,
                "References": thread,
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(html, "text/html")
        message.send()
        return ""

    return send_once(SurveyOwed, survey_id, send=send, now=now)
