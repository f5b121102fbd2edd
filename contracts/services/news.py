"""The product-news mailing list: opt-in only, each consent and withdrawal recorded with who, when,
the exact text agreed to and from where (Ley 1581 de 2012), and a one-click way out in every
mailing. The contact's ``news_consent_at`` / ``news_withdrawn_at`` say where they stand now;
``NewsConsent`` keeps the history."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import NewsConsent, TechnicalContact, TechnicalContactChange

NEWS_CONSENT_VERSION = "2026-12"
_UNSUBSCRIBE_SALT = "sma.news.unsubscribe"


def news_consent_text() -> str:
    """The authorisation a contact agrees to, in the language it is shown in; stored verbatim."""
    return _(
        "I authorise Calltech S.A. to process my name and e-mail address to send me news about its "
        "products (new versions, updates and events) by e-mail, under its personal data policy and "
        "Colombia's Law 1581 of 2012. I may consult, update or withdraw this authorisation at any "
        "time from the customer portal or with the link included in every mailing."
    )


def _record(
    *,
    contact: TechnicalContact,
    actor: User | None,
    action: str,
    source: str,
    now: datetime,
    consent_text: str = "",
    text_version: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
) -> NewsConsent:
    user = actor if actor is not None and actor.is_authenticated else None
    TechnicalContactChange.objects.create(
        contact=contact,
        action=(
            TechnicalContactChange.Action.NEWS_CONSENT
            if action == NewsConsent.Action.GIVEN
            else TechnicalContactChange.Action.NEWS_WITHDRAWN
        ),
        changed_by=user,
        changed_at=now,
        changes={"source": source},
    )
    return NewsConsent.objects.create(
        contact=contact,
        action=action,
        at=now,
        actor=user,
        consent_text=consent_text,
        text_version=text_version,
        source=source,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:400],
    )


@transaction.atomic
def news_consent_give(
    *,
    contact: TechnicalContact,
    actor: User | None,
    consent_text: str,
    source: str,
    text_version: str = NEWS_CONSENT_VERSION,
    ip_address: str | None = None,
    user_agent: str = "",
    now: datetime | None = None,
) -> NewsConsent | None:
    """Opt in with the text the contact agreed to. None when already subscribed (nothing new)."""
    now = now or timezone.now()
    if not consent_text.strip():
        raise ValidationError(_("Consent is recorded with the text agreed to."), code="no_text")
    contact = TechnicalContact.objects.select_for_update().get(pk=contact.pk)
    if contact.receives_news:
        return None
    contact.news_consent_at, contact.news_withdrawn_at = now, None
    contact.save(update_fields=["news_consent_at", "news_withdrawn_at", "updated_at"])
    return _record(
        contact=contact,
        actor=actor,
        action=NewsConsent.Action.GIVEN,
        source=source,
        now=now,
        consent_text=consent_text.strip(),
        text_version=text_version,
        ip_address=ip_address,
        user_agent=user_agent,
    )


@transaction.atomic
def news_consent_withdraw(
    *,
    contact: TechnicalContact,
    actor: User | None,
    source: str,
    ip_address: str | None = None,
    user_agent: str = "",
    now: datetime | None = None,
) -> NewsConsent | None:
    """Opt out. None when not subscribed (a second click changes nothing)."""
    now = now or timezone.now()
    contact = TechnicalContact.objects.select_for_update().get(pk=contact.pk)
    if not contact.receives_news:
        return None
    contact.news_withdrawn_at = now
    contact.save(update_fields=["news_withdrawn_at", "updated_at"])
    return _record(
        contact=contact,
        actor=actor,
        action=NewsConsent.Action.WITHDRAWN,
        source=source,
        now=now,
        ip_address=ip_address,
        user_agent=user_agent,
    )


def news_unsubscribe_token(*, contact: TechnicalContact) -> str:
    """The signed value in a mailing's unsubscribe link: names the contact, forged by nobody."""
    # No timestamp in it (unlike signing.dumps): the same link every time, never expiring.
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign_object({"c": contact.pk})


def news_contact_for_token(token: str) -> TechnicalContact | None:
    """The contact an unsubscribe link names, or None for an altered or foreign one."""
    try:
        data = signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    pk = data.get("c") if isinstance(data, dict) else None
    if not isinstance(pk, int):
        return None
    return TechnicalContact.objects.select_related("customer").filter(pk=pk).first()
