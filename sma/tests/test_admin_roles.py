"""Every admin page of the desk's own models opens for every staff role: each changelist and each
object's page (read-only for those who may only view) answers 200, 302 or 403, never a 500."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from cases.models import ActivityKind, CaseActivity, RefusedRequest, SurveyOwed
from cases.services.surveys import SurveyAnswers, survey_answer, survey_issue_token
from cases.tests.factories import customer_setup, engineer, manager, registered_case, staff_user
from contracts import services as contract_services
from escalation.models import OnCallShift, Pqr
from escalation.services import pqr as pqr_services
from escalation.services.inbound import inbound_store
from escalation.services.news import news_mailing_create
from escalation.services.outbox import mail_history_until
from sma import roles

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=BOGOTA)
APPS = ("contracts", "cases", "escalation")
RAW_EMAIL = b"From: Ana <ana@cliente.example>\r\nTo: support@calltechsa.com\r\nSubject: Hola\r\n\r\nHola.\r\n"


@pytest.fixture
def one_of_everything() -> None:
    """At least one row of every model the admin lists for the desk's apps."""
    setup = customer_setup(start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))
    case = registered_case(setup=setup, priority="P1", now=NOW)  # also mails the customer
    pqr_services.pqr_raise(  # a PQR with its step and the notification to N1
        actor=None,
        case=case,
        contact=case.requester,
        kind=Pqr.Kind.COMPLAINT,
        description="Nadie nos ha llamado.",
        now=NOW + timedelta(days=2),
    )
    RefusedRequest.objects.create(
        customer=setup["customer"],
        channel="phone",
        reason=RefusedRequest.Reason.NO_CONTRACT,
        message="Sin contrato.",
        refused_at=NOW,
    )
    closure = CaseActivity.objects.create(
        case=case, kind=ActivityKind.CLOSURE, body="Cierre.", is_public=False, created_at=NOW
    )
    survey = SurveyOwed.objects.create(case=case, closure=closure, contact=case.requester, created_at=NOW)
    survey_answer(
        case_number=case.number,
        token=survey_issue_token(survey=survey, now=NOW),
        answers=SurveyAnswers(attention_time=4, technical_knowledge=5, courtesy=5, solution_quality=4),
        now=NOW,
    )
    contract_services.contact_change_request(actor=None, contact=case.requester, position="Gerente de TI")
    contract_services.news_consent_give(
        contact=case.requester, actor=None, consent_text="Autorizo…", source="portal", now=NOW
    )
    news_mailing_create(actor=None, subject="Novedades", body_text="CTLog 8.5.", now=NOW)
    OnCallShift.objects.create(engineer=engineer(), starts_at=NOW, ends_at=NOW + timedelta(hours=12))
    inbound_store(raw=RAW_EMAIL, source="test", now=NOW)
    mail_history_until(at=NOW - timedelta(days=30), reason="Datos de prueba", now=NOW)


def _admin_role_user():
    return staff_user(roles.ADMIN)


@pytest.mark.parametrize("make_user", [engineer, manager, _admin_role_user], ids=["engineer", "manager", "admin"])
def test_every_admin_page_of_the_desk_opens_for_every_role(client, make_user, one_of_everything) -> None:
    client.force_login(make_user())
    seen: list[str] = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS:
            continue
        opts = model._meta
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code in (200, 302, 403), (opts.label, changelist.status_code)
        obj = model_admin.get_queryset(changelist.wsgi_request).first()
        assert obj is not None, f"no {opts.label} to open"
        page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        assert page.status_code in (200, 302, 403), (opts.label, page.status_code)
        add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code in (200, 302, 403), (opts.label, add.status_code)
        seen.append(opts.label)
    assert {"contracts.SupportContract", "cases.Case", "escalation.Pqr"} <= set(seen)


def test_a_view_only_user_reads_a_contract_in_the_admin(client, one_of_everything) -> None:
    from contracts.models import SupportContract

    contract = SupportContract.objects.get()
    client.force_login(engineer())
    page = client.get(reverse("admin:contracts_supportcontract_change", args=[contract.pk]))
    assert page.status_code == 200
    assert contract.number in page.content.decode()
    assert not Group.objects.get(name=roles.ENGINEER).permissions.filter(codename="change_supportcontract")
