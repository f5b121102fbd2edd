"""The PQR pages over HTTP: recording, acknowledging, escalating and resolving with plain forms;
errors in the page with the input kept; who may do what; constant queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.tests.factories import engineer, manager, registered_case
from contracts.tests.factories import UserFactory
from escalation.models import Pqr, PqrStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def breached_case():
    return registered_case(priority="P1", now=timezone.now() - timedelta(days=7))


def _raise(client, case, **overrides):
    data = {
        "raise-contact": case.requester_id,
        "raise-kind": "complaint",
        "raise-description": "Nadie nos ha llamado.",
    }
    data.update(overrides)
    return client.post(reverse("escalation:case_pqr_raise", args=[case.number]), data)


def test_engineer_records_a_pqr_and_the_page_shows_where_it_stands(client, breached_case) -> None:
    client.force_login(engineer())
    page = client.get(reverse("escalation:case_pqr", args=[breached_case.number]))
    assert page.status_code == 200 and 'name="raise-description"' in page.content.decode()
    response = _raise(client, breached_case)
    assert response.status_code == 302
    pqr = Pqr.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert pqr.code in page and "N1" in page
    # An engineer may escalate at the customer's request, not acknowledge or resolve.
    assert 'name="escalate-reason"' in page and 'name="acknowledge-note"' not in page
    forged = client.post(
        reverse("escalation:pqr_action", args=[pqr.pk, "acknowledge"]), {"acknowledge-note": "x"}
    )
    assert forged.status_code == 400 and not PqrStep.objects.filter(acknowledged_at__isnull=False).exists()
    response = client.post(
        reverse("escalation:pqr_action", args=[pqr.pk, "escalate"]),
        {"escalate-reason": "customer", "escalate-note": "El cliente insiste."},
    )
    assert response.status_code == 302
    pqr.refresh_from_db()
    assert pqr.level.number == 2


def test_manager_acknowledges_and_resolves(client, breached_case) -> None:
    client.force_login(engineer())
    _raise(client, breached_case)
    pqr = Pqr.objects.get()
    client.force_login(manager())
    url = reverse("escalation:pqr_action", args=[pqr.pk, "acknowledge"])
    assert client.post(url, {"acknowledge-note": "Lo tomo."}).status_code == 302
    again = client.post(url, {"acknowledge-note": "otra vez"})
    assert again.status_code == 400  # the level already acknowledged: said, not a 500
    empty = client.post(
        reverse("escalation:pqr_action", args=[pqr.pk, "resolve"]), {"resolve-resolution": ""}
    )
    assert empty.status_code == 400
    pqr.refresh_from_db()
    assert pqr.status == Pqr.Status.OPEN
    done = client.post(
        reverse("escalation:pqr_action", args=[pqr.pk, "resolve"]),
        {"resolve-resolution": "Visita en sitio hoy."},
    )
    assert done.status_code == 302
    pqr.refresh_from_db()
    assert pqr.status == Pqr.Status.RESOLVED


def test_a_pqr_inside_the_attention_time_is_refused_in_the_page(client) -> None:
    case = registered_case(priority="P4")
    client.force_login(engineer())
    page = client.get(reverse("escalation:case_pqr", args=[case.number])).content.decode()
    assert 'data-testid="pqr-refusal"' in page
    response = _raise(client, case, **{"raise-description": "Queremos escalar"})
    assert response.status_code == 400 and not Pqr.objects.exists()
    assert "Queremos escalar" in response.content.decode()  # what was typed is kept


def test_bad_input_and_strangers(client, breached_case) -> None:
    client.force_login(engineer())
    assert _raise(client, breached_case, **{"raise-kind": "lawsuit"}).status_code == 400
    other = registered_case()
    assert _raise(client, breached_case, **{"raise-contact": other.requester_id}).status_code == 400
    assert not Pqr.objects.exists()
    assert client.post(reverse("escalation:pqr_action", args=[1, "delete"])).status_code == 404
    client.force_login(UserFactory())  # a portal user
    assert client.get(reverse("escalation:case_pqr", args=[breached_case.number])).status_code == 403
    assert _raise(client, breached_case).status_code == 403
    assert client.get(reverse("escalation:pqr_queue")).status_code == 403


def test_the_queue_runs_constant_queries(client, django_assert_max_num_queries) -> None:
    client.force_login(manager())
    for _ in range(3):
        case = registered_case(priority="P1", now=timezone.now() - timedelta(days=7))
        client.force_login(engineer())
        _raise(client, case)
    client.force_login(manager())
    with django_assert_max_num_queries(8):
        page = client.get(reverse("escalation:pqr_queue"))
    assert page.status_code == 200 and page.content.decode().count('data-testid="pqr-row"') == 3
