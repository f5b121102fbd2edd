"""The product-news mailing list from the portal (opt in with the consent text shown and stored;
opt out in one click) and from the link in every mailing (no login: the signed link names the
contact). Opening a link only shows a button; the POST withdraws, also straight from the mail
program (List-Unsubscribe-Post, RFC 8058)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cases.idempotency import idempotent
from contracts import services as contract_services
from contracts.actors import request_actor
from contracts.models import NewsConsent
from contracts.services.news import NEWS_CONSENT_VERSION, news_consent_text

from .access import contact_required


class NewsConsentForm(forms.Form):
    agree = forms.BooleanField(label=gettext_lazy("I have read and accept this authorisation."))


def _ip(request: HttpRequest) -> str | None:
    """Where the request came from, as the server saw it."""
    return request.META.get("REMOTE_ADDR") or None


def _browser(request: HttpRequest) -> str:
    return str(request.META.get("HTTP_USER_AGENT", ""))[:400]


@contact_required
@require_http_methods(["GET", "POST"])
@idempotent
def news(request: HttpRequest) -> HttpResponse:
    """Subscribe with the authorisation text shown (and stored as shown), or unsubscribe."""
    contact = request.contact  # type: ignore[attr-defined]
    text = news_consent_text()
    form = NewsConsentForm(request.POST if request.POST.get("action") == "subscribe" else None)
    if request.method == "POST":
        if request.POST.get("action") == "unsubscribe":
            contract_services.news_consent_withdraw(
                contact=contact,
                actor=request_actor(request),
                source=NewsConsent.Source.PORTAL,
                ip_address=_ip(request),
                user_agent=_browser(request),
            )
            messages.success(request, _("You will not receive product news any more."))
            return redirect("portal:news")
        if form.is_valid():
            contract_services.news_consent_give(
                contact=contact,
                actor=request_actor(request),
                consent_text=text,
                text_version=NEWS_CONSENT_VERSION,
                source=NewsConsent.Source.PORTAL,
                ip_address=_ip(request),
                user_agent=_browser(request),
            )
            messages.success(request, _("Done: you will receive our product news by e-mail."))
            return redirect("portal:news")
    contact.refresh_from_db()
    return render(
        request,
        "portal/news.html",
        {
            "contact": contact,
            "form": form,
            "consent_text": text,
            "last_consent": contact.news_consents.filter(action=NewsConsent.Action.GIVEN).first(),
        },
    )


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # the signed link authenticates; mail programs POST here without a session (RFC 8058)
@require_http_methods(["GET", "POST"])
def news_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """From a mailing: opening the link shows one button (scanners open links and must change
    nothing); the button — or the mail program's one-click POST — unsubscribes."""
    contact = contract_services.news_contact_for_token(token)
    if contact is None:
        return _private(render(request, "portal/news_unsubscribe.html", {"invalid": True}, status=404))
    done = False
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        contract_services.news_consent_withdraw(
            contact=contact,
            actor=None,
            source=NewsConsent.Source.ONE_CLICK if one_click else NewsConsent.Source.EMAIL_LINK,
            ip_address=_ip(request),
            user_agent=_browser(request),
        )
        done = True
    contact.refresh_from_db()
    return _private(
        render(
            request,
            "portal/news_unsubscribe.html",
            {"contact": contact, "done": done or not contact.receives_news},
        )
    )
