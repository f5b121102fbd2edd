"""Product news from the portal: opt in with the authorisation text shown and stored as shown,
with where it came from; opt out in one click, on the portal and from every mailing's link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contracts import services as contract_services
from contracts.models import NewsConsent, TechnicalContact
from contracts.services.news import news_consent_text

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120"


def test_opt_in_shows_and_stores_the_exact_text_with_its_origin(client, world) -> None:
    client.force_login(world.a1.user)
    url = reverse("portal:news")
    page = client.get(url).content.decode()
    text = news_consent_text()
    assert "Ley 1581 de 2012" in text and text.replace("'", "&#x27;") in page
    refused = client.post(url, {"action": "subscribe"})  # the box not ticked
    assert refused.status_code == 200 and not NewsConsent.objects.exists()
    response = client.post(
        url, {"action": "subscribe", "agree": "on"}, REMOTE_ADDR="190.24.7.9", HTTP_USER_AGENT=BROWSER
    )
    assert response.status_code == 302
    consent = NewsConsent.objects.get()
    assert (consent.contact, consent.actor, consent.action, consent.source) == (
        world.a1,
        world.a1.user,
        "given",
        "portal",
    )
    assert consent.consent_text == text
    assert (consent.ip_address, consent.user_agent) == ("190.24.7.9", BROWSER)
    assert TechnicalContact.objects.get(pk=world.a1.pk).receives_news
    assert not TechnicalContact.objects.get(pk=world.a2.pk).receives_news

    assert client.post(url, {"action": "unsubscribe"}).status_code == 302
    assert not TechnicalContact.objects.get(pk=world.a1.pk).receives_news
    assert list(NewsConsent.objects.order_by("id").values_list("action", flat=True)) == ["given", "withdrawn"]


def _subscribed(contact) -> None:
    contract_services.news_consent_give(
        contact=contact, actor=None, consent_text=news_consent_text(), source="portal"
    )


def test_the_mailing_link_shows_a_button_and_only_the_post_unsubscribes(client, world) -> None:
    _subscribed(world.a1)
    url = reverse(
        "portal:news_unsubscribe", args=[contract_services.news_unsubscribe_token(contact=world.a1)]
    )
    for _ in range(2):  # a mail scanner opening the link changes nothing
        page = client.get(url)
        assert page.status_code == 200 and "Dejar de enviar" in page.content.decode()
    assert TechnicalContact.objects.get(pk=world.a1.pk).receives_news
    response = client.post(url)
    assert response.status_code == 200 and "no recibirá más novedades" in response.content.decode()
    assert not TechnicalContact.objects.get(pk=world.a1.pk).receives_news
    assert NewsConsent.objects.filter(action="withdrawn").get().source == "email_link"


def test_the_mail_programs_one_click_post_unsubscribes(client, world) -> None:
    _subscribed(world.b1)
    url = reverse(
        "portal:news_unsubscribe", args=[contract_services.news_unsubscribe_token(contact=world.b1)]
    )
    response = client.post(url, {"List-Unsubscribe": "One-Click"})  # RFC 8058, no session, no CSRF
    assert response.status_code == 200
    assert NewsConsent.objects.filter(action="withdrawn").get().source == "one_click"
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200  # again: no change
    assert NewsConsent.objects.filter(action="withdrawn").count() == 1


def test_an_altered_unsubscribe_link_gets_a_clear_page(client, world) -> None:
    _subscribed(world.a1)
    token = contract_services.news_unsubscribe_token(contact=world.a1)
    url = reverse("portal:news_unsubscribe", args=[token[:-3] + "abc"])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert TechnicalContact.objects.get(pk=world.a1.pk).receives_news
