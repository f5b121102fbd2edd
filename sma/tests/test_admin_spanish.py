"""Every label in the administration speaks Spanish: model fields, list columns, filters and forms."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from io import StringIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Field
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import capfirst

pytestmark = pytest.mark.django_db

OUR_APPS = ("contracts", "cases", "escalation", "warranty", "api")
# Words that are the same in both languages.
SAME_IN_SPANISH = {
    "ID",
    "NIT",
    "build",
    "PQR",
    "RMA",
    "Message-ID",
    "SHA-256",
    "error",
    "Log",
    "Calltech Software Assurance",
}


def _english(text: object) -> str:
    with translation.override("en"):
        return str(text)


def _labels():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        yield model, "model", model._meta.verbose_name
        yield model, "model (plural)", model._meta.verbose_name_plural
        for field in model._meta.get_fields():
            if not isinstance(field, Field):
                continue  # reverse relations
            if field.primary_key and field.auto_created:
                continue  # "ID"
            yield model, field.name, field.verbose_name


def test_every_model_and_field_label_is_translated() -> None:
    missing = []
    with translation.override("es-co"):
        for model, name, label in _labels():
            if not isinstance(label, Promise):
                missing.append(f"{model.__name__}.{name}: no gettext ({label!r})")
            elif str(label) == _english(label) and _english(label) not in SAME_IN_SPANISH:
                missing.append(f"{model.__name__}.{name}: untranslated ({label!r})")
    assert not missing, "\n".join(missing)


def _english_labels() -> set[str]:
    """Every field and model label as the English admin would show it."""
    english = set()
    for _model, _name, label in _labels():
        text = _english(label)
        if text not in SAME_IN_SPANISH:
            english.add(capfirst(text))
    return english


def _visible_texts(html: str) -> list[str]:
    html = re.sub(r"<(script|style|option|textarea)\b.*?</\1>", " ", html, flags=re.S | re.I)
    texts = [unescape(t).strip() for t in re.split(r"<[^>]+>", html)]
    return [t for t in texts if t]


def _complete_the_demo() -> None:
    """The demo has rows for most models; add the few it lacks, so every change page is seen."""
    from cases.models import Case, RefusedRequest
    from contracts.models import TechnicalContact
    from escalation.models import CustomerEmail, InboundEmail, OnCallShift

    now = timezone.now()
    from api.models import ApiKey

    ApiKey.objects.create_key(name="CRM")
    if not RefusedRequest.objects.exists():
        contact = TechnicalContact.objects.select_related("customer").order_by("pk").first()
        assert contact is not None
        RefusedRequest.objects.create(
            customer=contact.customer,
            requester=contact,
            requester_text=str(contact),
            channel="phone",
            reason=RefusedRequest.Reason.OUT_OF_SCOPE,
            message="Fuera del alcance.",
            refused_at=now,
        )
    if not OnCallShift.objects.exists():
        OnCallShift.objects.create(
            engineer=get_user_model().objects.create_user("turno", is_staff=True),
            starts_at=now,
            ends_at=now + timedelta(hours=12),
        )
    if not CustomerEmail.objects.exists():
        case = Case.objects.order_by("pk").first()
        assert case is not None
        CustomerEmail.objects.create(
            key=f"registered:{case.pk}",
            event=CustomerEmail.Event.REGISTERED,
            case=case,
            to_email="cliente@example.com",
            subject=f"[{case.number}] Caso registrado",
            body_text="Registramos su caso.",
            message_id="<1@sma.example>",
            created_at=now,
        )
    from warranty.models import RmaAlert
    from warranty.services import rma_deadline_sweep

    if not RmaAlert.objects.exists():
        rma_deadline_sweep(now=now + timedelta(days=30))  # the demo's RMA, long overdue
    if not InboundEmail.objects.exists():
        InboundEmail.objects.create(
            sha256="0" * 64, source="imap", raw=b"Subject: hola\r\n\r\nhola", received_at=now
        )
    _complete_the_contacts_requests(now)
    from warranty.models import CertificateBatch

    if not CertificateBatch.objects.exists():
        admin_user = get_user_model().objects.get(username="admin")
        CertificateBatch.objects.create(created_by=admin_user, created_at=now, total=3, done=1)


def _complete_the_contacts_requests(now) -> None:
    from cases.models import ActivityKind, Case, CaseActivity, SurveyOwed, SurveyResponse
    from cases.services.surveys import SurveyAnswers, survey_answer, survey_issue_token
    from contracts import services as contract_services
    from contracts.models import ContactChangeRequest, NewsConsent, TechnicalContact

    contact = TechnicalContact.objects.select_related("customer").order_by("pk").first()
    assert contact is not None
    if not SurveyResponse.objects.exists():
        survey = SurveyOwed.objects.select_related("case").order_by("pk").first()
        if survey is None:
            case = Case.objects.order_by("pk").first()
            assert case is not None
            closure = CaseActivity.objects.create(case=case, kind=ActivityKind.CLOSURE, created_at=now)
            survey = SurveyOwed.objects.create(case=case, closure=closure, contact=case.requester, created_at=now)
        survey_answer(
            case_number=survey.case.number,
            token=survey_issue_token(survey=survey, now=now),
            answers=SurveyAnswers(attention_time=5, technical_knowledge=4, courtesy=5, solution_quality=4),
            now=now,
        )
    if not ContactChangeRequest.objects.exists():
        contract_services.contact_change_request(actor=None, contact=contact, position="Director de TI")
    from escalation.models import NewsMailing
    from escalation.services.news import news_mailing_create

    if not NewsMailing.objects.exists():
        news_mailing_create(actor=None, subject="Novedades", body_text="CTLog 8.5.")
    if not NewsConsent.objects.exists():
        contract_services.news_consent_give(
            contact=contact, actor=None, consent_text="Autorizo…", source="portal", now=now
        )


def test_the_admin_pages_show_no_english_label(admin_client) -> None:
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    _complete_the_demo()
    english = _english_labels()
    assert {"Customer", "Contract", "Case", "Created at"} <= english  # the labels of the report
    found: dict[str, set[str]] = {}
    seen_change_pages = set()
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label not in OUR_APPS:
            continue
        urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
            seen_change_pages.add(opts.model_name)
        for url in urls:
            response = admin_client.get(url)
            if response.status_code == 403:  # read-only models have no add page
                continue
            assert response.status_code == 200, url
            for text in _visible_texts(response.content.decode()):
                label = text.removesuffix(":").removeprefix("Por ").strip()
                if capfirst(label) in english:
                    found.setdefault(label, set()).add(url)
    registered = {m._meta.model_name for m in admin.site._registry if m._meta.app_label in OUR_APPS}
    assert seen_change_pages == registered, registered - seen_change_pages
    assert not found, found
