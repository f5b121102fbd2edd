"""Pages shown to a signed-in user carry contacts' names, telephones and addresses: the browser and
any proxy are told not to store them (Cache-Control: no-store)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.tests.factories import customer_setup, engineer, registered_case
from escalation.models import Pqr
from escalation.services import pqr as pqr_services

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=BOGOTA)


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_every_page_with_contacts_data_is_no_store(client) -> None:
    setup = customer_setup(start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))
    case = registered_case(setup=setup, priority="P1", now=NOW)
    pqr = pqr_services.pqr_raise(
        actor=None,
        case=case,
        contact=case.requester,
        kind=Pqr.Kind.COMPLAINT,
        description="Nadie nos ha llamado.",
        now=NOW + timedelta(days=2),
    )
    client.force_login(engineer())
    urls = [
        reverse("home"),
        reverse("cases:list"),
        reverse("cases:detail", args=[case.number]),
        reverse("cases:register") + f"?customer={setup['customer'].pk}",
        reverse("escalation:case_pqr", args=[case.number]),
        reverse("escalation:pqr_queue"),
        reverse("contracts:sla_simulator"),
        reverse("admin:contracts_customer_change", args=[setup["customer"].pk]),
        reverse("admin:contracts_technicalcontact_changelist"),
        reverse("admin:contracts_supportcontract_change", args=[setup["contract"].pk]),
        reverse("admin:escalation_pqr_change", args=[pqr.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), (url, response.get("Cache-Control"))
    # A refused action re-renders the case page: no-store too.
    refused = client.post(reverse("cases:action", args=[case.number, "priority"]), {"priority-priority": "P9"})
    assert refused.status_code == 400 and _no_store(refused)


def test_the_sign_in_page_is_not_cached_either(client) -> None:
    response = client.get(reverse("login"))
    assert "no-store" in response["Cache-Control"]  # Django's own login view
