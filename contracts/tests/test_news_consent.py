"""Product-news list: opt-in only, each consent stored with who, when, the exact text and from
where (Ley 1581 de 2012); withdrawn in one step, also through a signed link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contracts import services
from contracts.models import NewsConsent

from .clock import TEST_NOW
from .factories import TechnicalContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_consent_is_opt_in_and_recorded_with_text_time_and_origin() -> None:
    user = UserFactory()
    contact = TechnicalContactFactory(user=user)
    assert not contact.receives_news
    text = services.news.news_consent_text()
    consent = services.news_consent_give(
        contact=contact,
        actor=user,
        consent_text=text,
        source=NewsConsent.Source.PORTAL,
        ip_address="190.24.1.7",
        user_agent="Mozilla/5.0 (X11; Linux x86_64)",
        now=TEST_NOW,
    )
    contact.refresh_from_db()
    assert contact.receives_news and contact.news_consent_at == TEST_NOW
    assert (consent.action, consent.actor, consent.at) == ("given", user, TEST_NOW)
    assert consent.consent_text == text and "1581" in text
    assert consent.text_version == services.news.NEWS_CONSENT_VERSION
    assert (consent.ip_address, consent.user_agent) == ("190.24.1.7", "Mozilla/5.0 (X11; Linux x86_64)")
    # Asking again records nothing new.
    again = services.news_consent_give(
        contact=contact, actor=user, consent_text=text, source=NewsConsent.Source.PORTAL
    )
    assert again is None and NewsConsent.objects.count() == 1

    later = TEST_NOW + timedelta(days=3)
    withdrawal = services.news_consent_withdraw(
        contact=contact, actor=None, source=NewsConsent.Source.ONE_CLICK, now=later
    )
    contact.refresh_from_db()
    assert not contact.receives_news and contact.news_withdrawn_at == later
    assert withdrawal.action == "withdrawn" and withdrawal.actor is None
    assert services.news_consent_withdraw(contact=contact, actor=None, source="one_click") is None
    assert [c.action for c in contact.changes.order_by("id")] == ["news_consent", "news_withdrawn"]


def test_consent_without_its_text_is_refused_by_the_service_and_the_database() -> None:
    contact = TechnicalContactFactory()
    with pytest.raises(ValidationError):
        services.news_consent_give(contact=contact, actor=None, consent_text="  ", source="portal")
    with pytest.raises(IntegrityError), transaction.atomic():
        NewsConsent.objects.create(contact=contact, action="given", at=TEST_NOW, source="portal")
    contact.refresh_from_db()
    assert not contact.receives_news


def test_the_unsubscribe_link_names_its_contact_and_cannot_be_altered() -> None:
    contact, other = TechnicalContactFactory(), TechnicalContactFactory()
    token = services.news_unsubscribe_token(contact=contact)
    assert services.news_contact_for_token(token) == contact
    assert services.news_unsubscribe_token(contact=contact) == token  # the same link in every mailing
    assert services.news_contact_for_token(services.news_unsubscribe_token(contact=other)) == other
    forged = token.replace(token.split(":")[0], services.news_unsubscribe_token(contact=other).split(":")[0])
    assert services.news_contact_for_token(forged) is None
    assert services.news_contact_for_token(token[:-2]) is None
    assert services.news_contact_for_token("") is None
