"""Rules the registration service applies itself, whoever calls it (form, e-mail, IVR, portal)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cases.errors import CaseError
from cases.models import Case, Channel, RefusedRequest

from .factories import customer_setup, registered_case

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("America/Bogota"))


@pytest.fixture
def setup() -> dict:
    return customer_setup(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))


@pytest.mark.parametrize("channel", [Channel.PHONE, Channel.PORTAL, Channel.IVR])
def test_a_request_not_received_by_email_needs_its_priority(setup, channel) -> None:
    with pytest.raises(CaseError) as refused:
        registered_case(setup=setup, channel=channel, priority="", now=NOW)
    assert refused.value.code == "no_priority"
    assert refused.value.messages == ["Asigne la prioridad: fija el tiempo de atención."]
    assert not Case.objects.exists() and not RefusedRequest.objects.exists()  # bad input, not a refusal


def test_a_request_received_by_email_may_wait_for_its_priority(setup) -> None:
    case = registered_case(setup=setup, channel=Channel.EMAIL, priority="", now=NOW)
    assert case.priority == "" and case.attention_due_at is None
