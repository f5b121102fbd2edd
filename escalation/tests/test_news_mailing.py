"""Product-news mailings reach only the contacts who opted in, once each, with the one-click way
out in the text and in the List-Unsubscribe headers (RFC 2369 / RFC 8058)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from contracts import services as contract_services
from contracts.services.news import news_consent_text
from contracts.tests.factories import TechnicalContactFactory
from escalation.models import NewsDelivery, NewsMailing
from escalation.services import news

pytestmark = pytest.mark.django_db


def subscribed(**fields):
    contact = TechnicalContactFactory(**fields)
    contract_services.news_consent_give(
        contact=contact, actor=None, consent_text=news_consent_text(), source="portal"
    )
    return contact


def test_only_subscribed_contacts_receive_it_once_with_the_way_out(
    django_capture_on_commit_callbacks,
) -> None:
    ana = subscribed(full_name="Ana Rodríguez", email="ana@cliente.example")
    withdrawn = subscribed(email="ya-no@cliente.example")
    contract_services.news_consent_withdraw(contact=withdrawn, actor=None, source="portal")
    TechnicalContactFactory(email="nunca@cliente.example")  # never opted in
    mailing = news.news_mailing_create(
        actor=None, subject="CTLog 8.5 ya está disponible", body_text="Novedades."
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert news.news_mailing_send(mailing=mailing, actor=None) == 1
    with django_capture_on_commit_callbacks(execute=True):
        news.news_mailing_send(mailing=mailing, actor=None)  # sent again: nobody twice
    assert [m.to for m in mail.outbox] == [["Ana Rodríguez <ana@cliente.example>"]]
    message = mail.outbox[0]
    link = news.news_unsubscribe_link(contact=ana)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body and link in message.alternatives[0][0]
    assert "Ley 1581 de 2012" in message.body
    assert NewsDelivery.objects.get().sent_at is not None


def test_a_contact_who_unsubscribes_before_the_send_gets_nothing(django_capture_on_commit_callbacks) -> None:
    ana = subscribed()
    mailing = news.news_mailing_create(actor=None, subject="Novedades", body_text="Texto.")
    with django_capture_on_commit_callbacks(execute=False):  # queued, not sent yet
        news.news_mailing_send(mailing=mailing, actor=None)
    contract_services.news_consent_withdraw(contact=ana, actor=None, source="one_click")
    news.news_delivery_send(delivery_id=NewsDelivery.objects.get().pk)
    assert mail.outbox == []
    assert "unsubscribed" in NewsDelivery.objects.get().last_error


def test_the_command_is_a_dry_run_unless_for_real(tmp_path, django_capture_on_commit_callbacks) -> None:
    subscribed()
    body = tmp_path / "novedades.txt"
    body.write_text("CTVox 7.2 trae grabación en la nube.", encoding="utf-8")
    out = StringIO()
    call_command("send_product_news", "--subject", "CTVox 7.2", "--body-file", str(body), stdout=out)
    assert "1 subscribed" in out.getvalue() and not NewsMailing.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "send_product_news", "--subject", "CTVox 7.2", "--body-file", str(body), "--for-real", stdout=out
        )
    assert len(mail.outbox) == 1 and "grabación en la nube" in mail.outbox[0].body
