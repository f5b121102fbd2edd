"""The desk's preventive maintenance page: quota shown (used / entitled), scheduling one opens its
case, refusals come back in the page in Spanish, double submits schedule once."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cases.idempotency import TOKEN_FIELD, form_token_new
from cases.models import CaseKind
from cases.tests.double_submit import assert_forms_are_idempotent
from cases.tests.factories import customer_setup, engineer
from contracts.tests.factories import UserFactory
from warranty.models import PreventiveMaintenance

pytestmark = pytest.mark.django_db
PAGE = reverse("warranty:maintenance_list")


@pytest.fixture
def desk(client):
    client.force_login(engineer())
    return client


@pytest.fixture
def setup():
    return customer_setup(start_date=date(2026, 2, 1), end_date=date(2028, 1, 31))


def post(setup, day: str, start: str = "09:00", token: str | None = None) -> dict[str, str]:
    return {
        "pm-contract": setup["contract"].pk,
        "pm-installation": setup["installation"].pk,
        "pm-requester": setup["requester"].pk,
        "pm-day": day,
        "pm-start": start,
        "pm-notes": "",
        TOKEN_FIELD: token or form_token_new(),
    }


def test_contacts_never_reach_it(client, setup) -> None:
    client.force_login(UserFactory())
    assert client.get(PAGE).status_code == 403


def test_schedule_one_and_see_the_quota(desk, setup) -> None:
    url = f"{PAGE}?customer={setup['customer'].pk}"
    page = desk.get(url).content.decode()
    assert "0 de 2 usados" in page
    assert_forms_are_idempotent(page, url)
    response = desk.post(
        reverse("warranty:maintenance_new", args=[setup["customer"].pk]), post(setup, "2026-12-10")
    )
    assert response.status_code == 302
    maintenance = PreventiveMaintenance.objects.get()
    assert maintenance.case.kind == CaseKind.PREVENTIVE_MAINTENANCE
    assert response["Location"] == reverse("cases:detail", args=[maintenance.case.number])
    assert "1 de 2 usados" in desk.get(url).content.decode()


def test_too_soon_is_refused_in_the_page(desk, setup) -> None:
    response = desk.post(
        reverse("warranty:maintenance_new", args=[setup["customer"].pk]), post(setup, "2026-12-05")
    )
    assert response.status_code == 400
    assert "al menos 8 días de antelación" in response.content.decode()
    assert not PreventiveMaintenance.objects.exists()


def test_sent_twice_schedules_once(desk, setup) -> None:
    data = post(setup, "2026-12-10")
    url = reverse("warranty:maintenance_new", args=[setup["customer"].pk])
    first, second = desk.post(url, data), desk.post(url, data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert PreventiveMaintenance.objects.count() == 1


def test_the_engineer_cancels_one_still_to_come_and_the_quota_is_freed(desk, setup) -> None:
    desk.post(reverse("warranty:maintenance_new", args=[setup["customer"].pk]), post(setup, "2026-12-10"))
    maintenance = PreventiveMaintenance.objects.get()
    url = f"{PAGE}?customer={setup['customer'].pk}"
    page = desk.get(url).content.decode()
    assert "1 de 2 usados" in page and "Cancelar el mantenimiento" in page
    assert_forms_are_idempotent(page, url)
    cancel = reverse("warranty:maintenance_cancel", args=[maintenance.pk])
    empty = desk.post(cancel, {f"cancel-{maintenance.pk}-reason": "", TOKEN_FIELD: form_token_new()})
    assert empty.status_code == 400 and "Diga por qué se cancela el mantenimiento." in empty.content.decode()
    token = form_token_new()
    data = {f"cancel-{maintenance.pk}-reason": "El cliente pidió otra fecha", TOKEN_FIELD: token}
    response = desk.post(cancel, data)
    assert response.status_code == 302 and response["Location"] == url
    assert desk.post(cancel, data).status_code == 302  # sent twice: cancelled once
    maintenance.refresh_from_db()
    assert maintenance.cancel_reason == "El cliente pidió otra fecha"
    page = desk.get(url).content.decode()
    assert "0 de 2 usados" in page and "cancelado" in page and "El cliente pidió otra fecha" in page


def test_contacts_and_readers_cannot_cancel(client, setup) -> None:
    client.force_login(UserFactory())
    assert client.post(reverse("warranty:maintenance_cancel", args=[1])).status_code == 403
