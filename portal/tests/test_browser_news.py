"""In a real browser, at a laptop's width and a phone's: a contact subscribes to product news on
the portal (the authorisation text shown is the one stored), a mailing arrives, and the link at
its end unsubscribes with one button."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from cases.tests.factories import customer_setup
from contracts.models import NewsConsent, TechnicalContact
from contracts.services.news import news_consent_text
from contracts.tests.factories import UserFactory
from escalation.services import news

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "s3cret-pass"  # UserFactory's default
SIZES = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
LINK = re.compile(r"https?://\S+/portal/novedades/baja/\S+/")


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_contact_subscribes_then_unsubscribes_from_a_mailing(
    live_server, page: Page, screenshot_dir, size: str
) -> None:
    page.set_default_timeout(10000)
    page.set_viewport_size(SIZES[size])
    setup = customer_setup()
    contact = setup["requester"]
    contact.full_name = "Ana Rodríguez"
    contact.user = UserFactory(username="ana.rodriguez", first_name="Ana")
    contact.save()

    page.goto(f"{live_server.url}/ingresar/")
    page.get_by_label("Nombre de usuario").fill("ana.rodriguez")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(re.compile(r"/portal/"))
    if size == "390":  # the bar is folded on a phone
        page.locator(".navbar-toggler").click()
    page.get_by_role("link", name="Nuestra empresa").click()
    page.get_by_role("link", name="Suscribirme").click()
    expect(page.get_by_test_id("consent-text")).to_have_text(news_consent_text())
    page.screenshot(path=screenshot_dir / f"portal-news-optin-{size}.png", full_page=True)
    page.get_by_label("Leí y acepto esta autorización.").check()
    page.get_by_role("button", name="Suscribirme").click()
    expect(page.get_by_test_id("news-status")).to_contain_text("Recibe por correo nuestras novedades")
    page.screenshot(path=screenshot_dir / f"portal-news-subscribed-{size}.png", full_page=True)
    consent = NewsConsent.objects.get()
    assert consent.consent_text == news_consent_text() and consent.ip_address == "127.0.0.1"
    assert "Chrome" in consent.user_agent

    mailing = news.news_mailing_create(
        actor=None, subject="CTLog 8.5 ya está disponible", body_text="Novedades."
    )
    news.news_mailing_send(mailing=mailing, actor=None)
    link = urlsplit(LINK.findall(mail.outbox[-1].body)[0]).path
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("button", name="Darme de baja")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"portal-news-unsubscribe-{size}.png", full_page=True)
    assert TechnicalContact.objects.get(pk=contact.pk).receives_news  # opening the link changed nothing
    page.get_by_role("button", name="Darme de baja").click()
    expect(page.get_by_test_id("unsubscribed")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"portal-news-unsubscribed-{size}.png", full_page=True)
    assert not TechnicalContact.objects.get(pk=contact.pk).receives_news
