"""The engineer following a case is told what the customer's contact did on it in the portal:
wrote, accepted or rejected the solution, reopened it — once per action, recorded on the case."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from cases import services as case_services
from cases.models import ActivityKind, SolutionKind
from cases.tests.factories import customer_setup, engineer, registered_case
from contracts.tests.factories import UserFactory
from escalation import services
from escalation.models import Notification

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("America/Bogota"))


@pytest.fixture
def follower():
    return engineer(email="camilo@calltechsa.example")


@pytest.fixture
def case(follower):
    setup = customer_setup()
    setup["requester"].user = UserFactory(username="ana.notify")
    setup["requester"].save()
    return registered_case(setup=setup, priority="P3", assigned_to=follower, now=NOW)


def _propose(case, follower, at):
    case_services.case_propose_solution(
        case=case, actor=follower, solution_kind=SolutionKind.WORKAROUND, solution="Use la ruta B.", now=at
    )


def _told(activity, django_capture_on_commit_callbacks) -> Notification:
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify_customer_message(activity=activity)
    assert services.notify_customer_message(activity=activity) is None  # once per action
    assert notification is not None
    return notification


def test_a_rejection_tells_the_engineer_with_the_reason(case, follower, django_capture_on_commit_callbacks):
    _propose(case, follower, NOW + timedelta(hours=1))
    contact = case.requester
    rejection = case_services.case_reject_solution(
        case=case,
        contact=contact,
        actor=contact.user,
        reason="La ruta B no existe aquí.",
        now=NOW + timedelta(hours=2),
    )
    notification = _told(rejection, django_capture_on_commit_callbacks)
    assert notification.subject == f"Caso {case.number}: {case.customer.name} rechazó la solución"
    assert "La ruta B no existe aquí." in notification.body
    assert notification.recipients[0]["email"] == follower.email
    assert [m.to for m in mail.outbox] == [["camilo@calltechsa.example"]]
    assert case.activities.filter(
        kind=ActivityKind.NOTIFICATION, data__customer_message=rejection.pk
    ).exists()


def test_an_acceptance_and_a_reopening_tell_the_engineer(case, follower, django_capture_on_commit_callbacks):
    _propose(case, follower, NOW + timedelta(hours=1))
    contact = case.requester
    case_services.case_accept_solution(
        case=case, contact=contact, actor=contact.user, now=NOW + timedelta(hours=2)
    )
    closure = case.activities.get(kind=ActivityKind.CLOSURE)
    accepted = _told(closure, django_capture_on_commit_callbacks)
    assert accepted.subject == f"Caso {case.number}: {case.customer.name} aceptó la solución"
    case_services.case_request_reopen(
        case=case, contact=contact, actor=contact.user, reason="Volvió a fallar", now=NOW + timedelta(days=1)
    )
    reopening = case.activities.get(kind=ActivityKind.REOPENING)
    reopened = _told(reopening, django_capture_on_commit_callbacks)
    assert reopened.subject == f"Caso {case.number} reabierto por {case.customer.name}"
    assert "Volvió a fallar" in reopened.body
    assert len(mail.outbox) == 2
