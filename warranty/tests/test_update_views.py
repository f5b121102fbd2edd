"""Software assurance on the desk: the case's update page shows the installation's version history
and records an update applied (a POST with a one-time token); refusals come back in the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.idempotency import TOKEN_FIELD, form_token_new
from cases.models import CaseKind
from cases.tests.double_submit import assert_forms_are_idempotent
from cases.tests.factories import customer_setup, engineer, registered_case
from warranty.models import SoftwareUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    setup = customer_setup()
    setup["installation"].version, setup["installation"].build = "8.4", "1045"
    setup["installation"].save()
    return registered_case(setup=setup, kind=CaseKind.SOFTWARE_UPDATE, subject="Actualizar CTLog")


def data(version: str, token: str | None = None) -> dict[str, str]:
    return {
        "update-to_version": version,
        "update-to_build": "1102",
        "update-day": "2026-12-03",
        "update-start": "09:00",
        "update-reason": "request",
        TOKEN_FIELD: token or form_token_new(),
    }


def test_record_an_update_and_see_the_history(client, case) -> None:
    client.force_login(engineer())
    url = reverse("warranty:case_update", args=[case.number])
    assert (
        'data-testid="update-link"'
        in client.get(reverse("cases:detail", args=[case.number])).content.decode()
    )
    assert_forms_are_idempotent(client.get(url).content.decode(), url)
    body = data("8.4.1")
    first, second = client.post(url, body), client.post(url, body)
    assert first.status_code == second.status_code == 302
    assert SoftwareUpdate.objects.count() == 1
    page = client.get(url).content.decode()
    assert "8.4 build 1045 → <strong>8.4.1 build 1102</strong>" in page


def test_a_major_version_is_refused_in_the_page(client, case) -> None:
    client.force_login(engineer())
    response = client.post(reverse("warranty:case_update", args=[case.number]), data("9.0"))
    assert response.status_code == 400
    assert "es una versión mayor nueva" in response.content.decode()
    assert not SoftwareUpdate.objects.exists()
