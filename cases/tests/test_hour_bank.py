"""Hour banks: tiers 1 and 2 bought as a bank of hours; the time logged at those tiers draws
from it, the customer is told at 80 % and when it is used up (once each), and the balance is
shown on the desk's case page and the portal's company page."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases import services
from cases.errors import CaseError
from cases.hour_bank import hour_bank_of
from cases.models import ActivityKind, CaseActivity, HourBankNotice, HourBankUse
from contracts.tests.factories import UserFactory

from .factories import customer_setup, engineer, registered_case

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=BOGOTA)


@pytest.fixture
def eng():
    return engineer(first_name="Camilo", last_name="Suárez")


@pytest.fixture
def setup():
    return customer_setup(covers_tier_1=True, covers_tier_2=True, hour_bank_hours=10)


def log(case, eng, minutes: int, at: datetime, kind: str = ActivityKind.REMOTE_SESSION) -> CaseActivity:
    return services.case_log_activity(
        case=case, actor=eng, kind=kind, body="Sesión remota con el cliente.", minutes_spent=minutes, now=at
    )


def escalate(case, eng, tier: int, at: datetime) -> None:
    services.case_escalate_tier(
        case=case,
        actor=eng,
        tier=tier,
        analysis="Revisado el log; pasa al siguiente nivel.",
        evidence=[],
        now=at,
    )
    case.refresh_from_db()


def test_balance_after_activities_at_tiers_1_to_4(setup, eng) -> None:
    case = registered_case(setup=setup, actor=eng, now=NOW)
    log(case, eng, 90, NOW + timedelta(minutes=10))  # N1: drawn
    escalate(case, eng, 2, NOW + timedelta(hours=1))
    log(case, eng, 60, NOW + timedelta(hours=2), kind=ActivityKind.INTERNAL_NOTE)  # N2, internal: drawn too
    escalate(case, eng, 3, NOW + timedelta(hours=3))
    log(case, eng, 120, NOW + timedelta(hours=4))  # N3: not drawn (always covered)
    escalate(case, eng, 4, NOW + timedelta(hours=5))
    log(case, eng, 45, NOW + timedelta(hours=6))  # N4: not drawn
    bank = hour_bank_of(setup["contract"])
    assert bank is not None
    assert (bank.entitled_minutes, bank.used_minutes, bank.remaining_minutes) == (600, 150, 450)
    assert bank.percent_used == 25 and bank.state == "ok"
    assert sorted(HourBankUse.objects.values_list("tier", "minutes")) == [(1, 90), (2, 60)]
    assert not HourBankNotice.objects.exists()


def test_the_customer_is_told_at_80_percent_and_when_used_up_once_each(setup, eng) -> None:
    case = registered_case(setup=setup, actor=eng, now=NOW)
    log(case, eng, 470, NOW + timedelta(minutes=10))  # 78 %
    assert not CaseActivity.objects.filter(kind=ActivityKind.HOUR_BANK).exists()
    log(case, eng, 20, NOW + timedelta(minutes=20))  # 81 %: the warning
    warning = CaseActivity.objects.get(kind=ActivityKind.HOUR_BANK)
    assert warning.is_public and warning.customer_notice_due and warning.author is None
    assert "81 %" in warning.body and warning.data["threshold"] == 80
    log(case, eng, 30, NOW + timedelta(minutes=30))  # 86 %: no second warning
    assert CaseActivity.objects.filter(kind=ActivityKind.HOUR_BANK).count() == 1
    log(case, eng, 120, NOW + timedelta(minutes=40))  # 640 of 600: used up; the work is still logged
    exhausted = CaseActivity.objects.filter(kind=ActivityKind.HOUR_BANK).latest("id")
    assert exhausted.data["threshold"] == 100 and "agot" in exhausted.body
    log(case, eng, 15, NOW + timedelta(minutes=50))
    assert CaseActivity.objects.filter(kind=ActivityKind.HOUR_BANK).count() == 2
    assert sorted(HourBankNotice.objects.values_list("threshold", flat=True)) == [80, 100]
    bank = hour_bank_of(setup["contract"])
    assert bank is not None and bank.state == "exhausted" and bank.remaining_minutes == -55


def test_both_thresholds_passed_at_once_give_one_notice(eng) -> None:
    setup = customer_setup(covers_tier_1=True, hour_bank_hours=1)
    case = registered_case(setup=setup, actor=eng, now=NOW)
    log(case, eng, 90, NOW + timedelta(minutes=10))
    notices = CaseActivity.objects.filter(kind=ActivityKind.HOUR_BANK)
    assert notices.count() == 1 and notices.get().data["threshold"] == 100
    assert HourBankNotice.objects.filter(activity__isnull=True).get().threshold == 80


def test_a_contract_without_a_bank_draws_nothing(eng) -> None:
    setup = customer_setup(covers_tier_1=True)
    case = registered_case(setup=setup, actor=eng, now=NOW)
    activity = log(case, eng, 90, NOW + timedelta(minutes=10))
    assert activity.minutes_spent == 90
    assert hour_bank_of(setup["contract"]) is None and not HourBankUse.objects.exists()


@pytest.mark.parametrize("minutes", [-1, 16 * 60 + 1])
def test_time_spent_out_of_range_is_refused(setup, eng, minutes) -> None:
    case = registered_case(setup=setup, actor=eng, now=NOW)
    with pytest.raises(CaseError) as refused:
        log(case, eng, minutes, NOW + timedelta(minutes=10))
    assert refused.value.code == "bad_minutes"
    assert not CaseActivity.objects.filter(kind=ActivityKind.REMOTE_SESSION).exists()


def test_the_notice_is_e_mailed_to_the_customer_in_spanish(setup, eng) -> None:
    from escalation.models import CustomerEmail
    from escalation.services.customer_mail import customer_email_collect

    case = registered_case(setup=setup, actor=eng, now=NOW)
    customer_email_collect(now=NOW)  # the registration e-mail
    log(case, eng, 500, NOW + timedelta(minutes=10))
    customer_email_collect(now=NOW + timedelta(minutes=11))
    email = CustomerEmail.objects.get(event="hour_bank")
    assert email.to_email == setup["requester"].email
    assert "Bolsa de horas" in email.subject and case.number in email.subject
    assert "83 %" in email.body_text and "10 h" in email.body_text


def test_desk_and_portal_show_the_balance(client, setup, eng) -> None:
    case = registered_case(setup=setup, actor=eng, now=NOW)
    log(case, eng, 150, NOW + timedelta(minutes=10))
    client.force_login(eng)
    body = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert 'data-testid="hour-bank"' in body and "7,5 h" in body and "2,5 h usadas de 10 h (25 %)" in body
    assert 'data-testid="minutes-spent">150 min' in body
    contact = setup["requester"]
    contact.user = UserFactory(username="ana.banco")
    contact.save()
    client.force_login(contact.user)
    body = client.get(reverse("portal:company")).content.decode()
    assert 'data-testid="hour-bank"' in body and "2,5 h usadas de 10 h (25 %)" in body


def test_the_desk_form_logs_the_time(client, setup, eng) -> None:
    case = registered_case(setup=setup, actor=eng, now=NOW)
    client.force_login(eng)
    response = client.post(
        reverse("cases:action", args=[case.number, "activity"]),
        {
            "activity-kind": "phone_call",
            "activity-body": "Llamada de diagnóstico.",
            "activity-is_public": "on",
            "activity-minutes_spent": "35",
        },
    )
    assert response.status_code == 302
    assert HourBankUse.objects.get().minutes == 35
    response = client.post(
        reverse("cases:action", args=[case.number, "activity"]),
        {"activity-kind": "phone_call", "activity-body": "Otra.", "activity-minutes_spent": "-5"},
    )
    assert response.status_code == 400 and HourBankUse.objects.count() == 1


def test_the_hour_bank_report_lists_the_banks_for_staff_only(
    client, setup, eng, django_assert_max_num_queries
) -> None:
    case = registered_case(setup=setup, actor=eng, now=NOW)
    log(case, eng, 500, NOW + timedelta(minutes=10))
    customer_setup(covers_tier_1=True, hour_bank_hours=20)  # a second bank, untouched
    customer_setup(covers_tier_1=True)  # no bank: not listed
    client.force_login(eng)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("cases:hour_banks"))
    body = response.content.decode()
    assert response.status_code == 200 and body.count("<tr data-state=") == 2
    assert 'data-state="warning"' in body and setup["contract"].number in body
    contact = setup["requester"]
    contact.user = UserFactory(username="ana.bolsa")
    contact.save()
    client.force_login(contact.user)
    assert client.get(reverse("cases:hour_banks")).status_code in (403, 404)
