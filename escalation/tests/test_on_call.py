"""24x7 customers outside office hours: the on-duty engineer is called; the IVR lookup endpoint."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.tests.factories import customer_setup, engineer, registered_case
from contracts.tests.factories import platinum_plan
from escalation import services
from escalation.models import Notification, OnCallShift

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
URL = reverse("escalation:ivr_lookup")
TOKEN = "k3Yt7bQ2wZ9xN4vR8mL1pS6dF0gH5jCe-ivr"  # 38 characters


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


@pytest.fixture
def night_shift():
    duty = engineer(first_name="Nocturno", last_name="Turno", email="turno@calltechsa.example")
    return OnCallShift.objects.create(
        engineer=duty,
        starts_at=bog(2026, 11, 24, 17, 30),
        ends_at=bog(2026, 11, 25, 7, 30),
        phone="+573001112233",
    )


def test_a_platinum_p1_at_two_am_calls_the_engineer_on_duty(night_shift) -> None:
    case = registered_case(
        setup=customer_setup(plan=platinum_plan()), priority="P1", now=bog(2026, 11, 25, 2, 0)
    )
    services.deadline_sweep(now=bog(2026, 11, 25, 2, 0, 30))
    call = Notification.objects.get(case=case, kind="on_call")
    assert call.recipients[0]["email"] == "turno@calltechsa.example"
    assert call.recipients[0]["phone"] == "+57 300 1112233"
    assert case.activities.filter(kind="notification", body__contains="Nocturno").exists()
    services.deadline_sweep(now=bog(2026, 11, 25, 3, 0))
    assert Notification.objects.filter(case=case, kind="on_call").count() == 1


def test_office_hours_and_gold_and_p3_do_not_call_the_night_shift(night_shift) -> None:
    platinum = customer_setup(plan=platinum_plan())
    registered_case(setup=platinum, priority="P1", now=bog(2026, 11, 24, 10, 0))  # office hours
    registered_case(setup=platinum, priority="P3", now=bog(2026, 11, 25, 2, 0))  # not urgent
    registered_case(priority="P1", now=bog(2026, 11, 25, 2, 0))  # Gold
    services.deadline_sweep(now=bog(2026, 11, 25, 2, 1))
    assert not Notification.objects.filter(kind="on_call").exists()


def _get(client, settings, **params):
    settings.SMA_IVR_TOKEN = TOKEN
    return client.get(URL, params, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


def test_ivr_lookup_needs_the_token(client, settings) -> None:
    settings.SMA_IVR_TOKEN = ""
    assert client.get(URL, {"numero": "1001"}).status_code == 503
    settings.SMA_IVR_TOKEN = TOKEN
    assert client.get(URL, {"numero": "1001"}).status_code == 401
    assert client.get(URL, {"numero": "1001"}, HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_ivr_lookup_answers_contract_plan_hours_and_who_is_on_duty(
    client, settings, night_shift, monkeypatch
) -> None:
    from django.utils import timezone

    setup = customer_setup(plan=platinum_plan())
    monkeypatch.setattr(timezone, "now", lambda: bog(2026, 11, 25, 2, 0))
    answer = _get(client, settings, numero=setup["customer"].customer_number).json()
    assert answer["contract_in_force"] and answer["plan"] == "PLATINUM_24X7"
    assert answer["within_plan_hours"] and not answer["office_hours"]
    assert answer["on_duty"]["name"] == "Nocturno Turno" and answer["on_duty"]["phone"] == "+573001112233"


def test_ivr_lookup_for_an_expired_or_unknown_customer(client, settings) -> None:
    expired = customer_setup(start_date=datetime(2024, 1, 1).date(), end_date=datetime(2024, 12, 31).date())
    answer = _get(client, settings, numero=expired["customer"].customer_number).json()
    assert answer["found"] and not answer["contract_in_force"] and answer["on_duty"] is None
    assert _get(client, settings, numero="99999999").status_code == 404
    assert _get(client, settings, numero="abc").status_code == 400
    assert _get(client, settings, numero="²").status_code == 400


def test_the_shift_must_cover_the_instant(night_shift) -> None:
    from escalation.selectors import on_duty

    assert on_duty(at=night_shift.ends_at + timedelta(seconds=1)) is None
