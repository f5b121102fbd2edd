"""Sending a product-news mailing to the contacts who opted in, and only to them.

``news_mailing_send`` writes one delivery row per contact subscribed at that moment (unique per
mailing and contact, so sending twice mails nobody twice) and queues them after commit. Each
e-mail is checked again when it goes out (a contact who unsubscribed meanwhile gets nothing) and
carries the one-click way out: a link at the end of the text and the List-Unsubscribe headers
(RFC 2369 / RFC 8058) that mail programs show as an "unsubscribe" button."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contracts.models import TechnicalContact
from contracts.services import news_unsubscribe_token

from ..models import NewsDelivery, NewsMailing
from .customer_mail import _address
from .outbox import due_for_retry, enqueue, send_once

logger = logging.getLogger(__name__)


def news_unsubscribe_link(*, contact: TechnicalContact) -> str:
    path = reverse("portal:news_unsubscribe", kwargs={"token": news_unsubscribe_token(contact=contact)})
    return settings.SMA_SITE_URL.rstrip("/") + path


def news_recipients() -> list[TechnicalContact]:
    """Active contacts with an address who opted in and did not withdraw."""
    return list(
        TechnicalContact.objects.filter(
            is_active=True, news_consent_at__isnull=False, news_withdrawn_at__isnull=True
        )
        .exclude(email="")
        .order_by("pk")
    )


@transaction.atomic
def news_mailing_create(
    *, actor: User | None, subject: str, body_text: str, now: datetime | None = None
) -> NewsMailing:
    if not subject.strip() or not body_text.strip():
        raise ValidationError(_("A mailing needs a subject and a message."), code="empty")
    return NewsMailing.objects.create(
        subject=subject.strip()[:200],
        body_text=body_text.strip(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        created_at=now or timezone.now(),
    )


@transaction.atomic
def news_mailing_send(*, mailing: NewsMailing, actor: User | None, now: datetime | None = None) -> int:
    """Owe the mailing to every subscribed contact (once each); returns how many new deliveries."""
    now = now or timezone.now()
    mailing = NewsMailing.objects.select_for_update().get(pk=mailing.pk)
    recipients = news_recipients()
    created = NewsDelivery.objects.bulk_create(
        [NewsDelivery(mailing=mailing, contact=c, to_email=c.email, created_at=now) for c in recipients],
        ignore_conflicts=True,
    )
    if mailing.sent_at is None:
        mailing.sent_at = now
        mailing.sent_by = actor if actor is not None and actor.is_authenticated else None
        mailing.save(update_fields=["sent_at", "sent_by"])
    ids = list(
        NewsDelivery.objects.filter(mailing=mailing, sent_at__isnull=True, attempts=0).values_list(
            "pk", flat=True
        )
    )
    transaction.on_commit(lambda: enqueue_news_deliveries(ids))
    logger.info("news mailing %s owed to %d contacts", mailing.pk, len(created))
    return len(ids)


def news_deliveries_collect(*, now: datetime | None = None, batch: int = 200) -> list[int]:
    """Queue again the deliveries that should have gone out by now (beat)."""
    now = now or timezone.now()
    ids = due_for_retry(NewsDelivery.objects.all(), now=now, batch=batch)
    if ids:
        transaction.on_commit(lambda: enqueue_news_deliveries(ids))
    return ids


def enqueue_news_deliveries(ids: list[int]) -> None:
    from ..tasks import send_news_delivery

    enqueue(send_news_delivery, ids)


def _send(delivery: NewsDelivery) -> str:
    delivery = NewsDelivery.objects.select_related("mailing", "contact").get(pk=delivery.pk)
    contact = delivery.contact
    if not contact.receives_news or not contact.is_active:
        return "unsubscribed before sending; not sent"
    link = news_unsubscribe_link(contact=contact)
    context = {
        "mailing": delivery.mailing,
        "contact": contact,
        "unsubscribe_link": link,
        "support_address": settings.SMA_SUPPORT_ADDRESS,
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("escalation/email/news.txt", context)
        html = render_to_string("escalation/email/news.html", context)
    message = EmailMultiAlternatives(
        subject=delivery.mailing.subject,
        body=text.strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[_address(contact.full_name, delivery.to_email)],
        reply_to=[settings.SMA_SUPPORT_ADDRESS],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Precedence": "bulk",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return ""


def news_delivery_send(*, delivery_id: int, now: datetime | None = None) -> NewsDelivery | None:
    return send_once(NewsDelivery, delivery_id, send=_send, now=now)
