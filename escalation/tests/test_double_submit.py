"""Double submits on the forms that reach customers: a registration sent twice mails the customer
once; every PQR form (record, acknowledge, escalate, resolve) sent twice makes one change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.idempotency import TOKEN_FIELD, form_token_new
from cases.models import Case
from cases.tests.double_submit import ALREADY_SENT, assert_forms_are_idempotent
from cases.tests.factories import customer_setup, engineer, manager, registered_case
from cases.tests.test_views import _registration_post
from escalation import pqr_views, services
from escalation.models import CustomerEmail, Pqr, PqrStep

pytestmark = pytest.mark.django_db


def test_two_identical_registrations_mail_the_customer_once(
    client, django_capture_on_commit_callbacks
) -> None:
    setup = customer_setup()
    setup["requester"].email = "ana.rodriguez@cliente.example"
    setup["requester"].save()
    client.force_login(engineer())
    data = {**_registration_post(setup), TOKEN_FIELD: form_token_new()}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("cases:register"), data)
        second = client.post(reverse("cases:register"), data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    case = Case.objects.get()
    for seconds in (10, 25):  # two runs of the collector
        with django_capture_on_commit_callbacks(execute=True):
            services.customer_email_collect(now=timezone.now() + timedelta(seconds=seconds))
    assert CustomerEmail.objects.get().event == CustomerEmail.Event.REGISTERED
    assert len(mail.outbox) == 1 and case.number in mail.outbox[0].subject


@pytest.fixture
def breached_case():
    return registered_case(priority="P1", now=timezone.now() - timedelta(days=7))


def _post_twice(client, url: str, data: dict[str, str]):
    data = {**data, TOKEN_FIELD: form_token_new()}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[-3000:]
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert ALREADY_SENT in client.get(second["Location"]).content.decode()


def test_recording_a_pqr_twice_records_one(client, breached_case) -> None:
    client.force_login(engineer())
    _post_twice(
        client,
        reverse("escalation:case_pqr_raise", args=[breached_case.number]),
        {
            "raise-contact": str(breached_case.requester_id),
            "raise-kind": "complaint",
            "raise-description": "Nadie nos ha llamado.",
        },
    )
    pqr = Pqr.objects.get()
    assert pqr.steps.count() == 1


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("acknowledge", {"acknowledge-note": "Lo tomo."}),
        ("escalate", {"escalate-reason": "customer", "escalate-note": "El cliente insiste."}),
        ("resolve", {"resolve-resolution": "Visita en sitio hoy."}),
    ],
)
def test_each_pqr_action_sent_twice_acts_once(client, breached_case, action, data) -> None:
    client.force_login(engineer())
    services.pqr_raise(
        actor=None, case=breached_case, contact=breached_case.requester, kind="complaint", description="x"
    )
    pqr = Pqr.objects.get()
    client.force_login(manager())
    _post_twice(client, reverse("escalation:pqr_action", args=[pqr.pk, action]), data)
    pqr.refresh_from_db()
    steps = PqrStep.objects.filter(pqr=pqr)
    if action == "escalate":
        assert pqr.level.number == 2 and steps.count() == 2  # climbed one level, not two
    elif action == "acknowledge":
        assert steps.filter(acknowledged_at__isnull=False).count() == 1
    else:
        assert pqr.status == Pqr.Status.RESOLVED


def test_every_pqr_form_carries_a_token(client, breached_case) -> None:
    client.force_login(manager())
    url = reverse("escalation:case_pqr", args=[breached_case.number])
    raise_only = assert_forms_are_idempotent(client.get(url).content.decode(), url)
    assert raise_only == [reverse("escalation:case_pqr_raise", args=[breached_case.number])]
    services.pqr_raise(
        actor=None, case=breached_case, contact=breached_case.requester, kind="complaint", description="x"
    )
    pqr = Pqr.objects.get()
    actions = assert_forms_are_idempotent(client.get(url).content.decode(), url)
    assert actions == [reverse("escalation:pqr_action", args=[pqr.pk, a]) for a in pqr_views.ACTIONS]
