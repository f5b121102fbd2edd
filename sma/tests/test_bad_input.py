"""Input a probe sends on purpose: odd digits, NUL bytes, years no one means. Each gets a clear 4xx
or the page with its error, never a 500."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.forms import parse_id
from cases.models import OnsiteVisitAuthorization
from cases.tests.factories import customer_setup, engineer, manager, registered_case
from contracts.models import SupportContract
from contracts.tests.factories import CustomerFactory, gold_plan

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=BOGOTA)


@pytest.fixture
def case():
    setup = customer_setup(start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))
    return registered_case(setup=setup, priority="P1", now=NOW)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("²", None),
        ("٣", None),
        ("1e3", None),
        ("-1", None),
        ("", None),
        (None, None),
        ("9" * 19, None),
        ("\x00", None),
        ("12\x00", None),
    ],
)
def test_ids_are_ascii_digits_only(text, expected) -> None:
    assert parse_id(text) == expected


@pytest.mark.parametrize("value", ["²", "٣", "\x00", "1\x00", "9" * 40, "-3", "x"])
def test_registration_with_an_odd_customer_shows_the_form(client, value) -> None:
    client.force_login(engineer())
    response = client.get(reverse("cases:register"), {"customer": value})
    assert response.status_code == 200
    posted = client.post(reverse("cases:register"), {"customer": value, "subject": "x"})
    assert posted.status_code == 400  # the form with its errors


def test_registration_still_narrows_to_a_real_customer(client) -> None:
    client.force_login(engineer())
    customer = CustomerFactory(name="Banco Andino")
    response = client.get(reverse("cases:register"), {"customer": str(customer.pk)})
    assert response.status_code == 200 and "Banco Andino" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/casos/SMA-2026-0%00/",
        "/casos/%00/",
        "/casos/SMA-2026-000001%00/acciones/take/",
        "/casos/SMA-2026-0%00/adjuntos/1/",
        "/casos/SMA-2026-0%00/pqr/",
        "/casos/" + "9" * 30 + "/",
        "/casos/SMA%202026/",
        "/pqr/99999999999999999999999/acknowledge/",
        "/casos/SMA-2026-000001/adjuntos/99999999999999999999999/",
    ],
)
def test_case_urls_with_nul_or_nonsense_are_404(client, case, path) -> None:
    client.force_login(manager())
    assert client.get(path).status_code in (404, 405)
    assert client.post(path).status_code in (404, 405)


def test_a_real_case_number_still_opens(client, case) -> None:
    client.force_login(engineer())
    assert client.get(reverse("cases:detail", args=[case.number])).status_code == 200
    assert client.get(reverse("escalation:case_pqr", args=[case.number])).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"customer": "²", "assignee": "²", "page": "²", "per_page": "²"},
        {"customer": "\x00", "q": "\x00", "page": "\x00"},
        {"page": "9" * 40, "per_page": "-50"},
    ],
)
def test_case_list_with_odd_filters_is_a_page(client, case, query) -> None:
    client.force_login(engineer())
    assert client.get(reverse("cases:list"), query).status_code == 200


@pytest.mark.parametrize("moment", ["9999-12-31T23:59", "0001-01-01T00:00", "1899-12-31T08:00"])
def test_simulator_with_a_year_no_one_means_is_a_form_error(admin_client, moment) -> None:
    response = admin_client.get(
        reverse("contracts:sla_simulator"), {"plan": gold_plan().pk, "priority": "P1", "registered_at": moment}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "entre los años 2000 y 2099" in body and 'data-testid="deadline"' not in body


def test_a_visit_scheduled_in_year_9999_is_a_form_error(client, case) -> None:
    client.force_login(manager())
    response = client.post(
        reverse("cases:action", args=[case.number, "visit"]),
        {"visit-reason": "Revisión en sitio", "visit-scheduled_for": "9999-12-31T23:59"},
    )
    assert response.status_code == 400
    assert "entre los años 2000 y 2099" in response.content.decode()
    assert not OnsiteVisitAuthorization.objects.exists()


def test_a_contract_duration_past_year_9999_is_refused_in_the_admin(admin_client) -> None:
    response = admin_client.post(
        reverse("admin:contracts_supportcontract_add"),
        {
            "number": "CT-9999",
            "customer": CustomerFactory().pk,
            "plan": gold_plan().pk,
            "start_date": "01/06/9999",
            "end_date": "",
            "duration_months": "12",
            "max_technical_contacts": "3",
            "preventive_maintenances_per_year": "2",
        },
    )
    assert response.status_code == 200
    assert not SupportContract.objects.filter(number="CT-9999").exists()
