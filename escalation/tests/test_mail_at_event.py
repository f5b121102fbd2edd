"""A customer e-mail tells the truth of its moment: it is rendered from the case's state at the
event, whenever the collector runs; history loaded into SMA (the demo's past) is not mailed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import CASE_STATE_KEY, ActivityKind, Case, CaseActivity, CloseReason, SolutionKind
from cases.tests.factories import customer_setup, engineer, registered_case
from escalation import services
from escalation.models import CustomerEmail, MailHistoryCutoff, Notification

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def collect(capture, now: datetime) -> list[int]:
    with capture(execute=True):
        return services.customer_email_collect(now=now)


@pytest.fixture
def setup() -> dict:
    return customer_setup(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))


def _body(event: str) -> str:
    return CustomerEmail.objects.get(event=event).body_text


def test_a_proposed_solution_mailed_after_closing_says_the_status_at_the_proposal(
    setup, django_capture_on_commit_callbacks
) -> None:
    eng = engineer()
    case = registered_case(setup=setup, priority="P2", now=bog(2026, 3, 10, 9, 0))
    case_services.case_propose_solution(
        case=case,
        actor=eng,
        solution_kind=SolutionKind.PROCEDURE,
        solution="Reinicie el servicio CTLog.",
        now=bog(2026, 3, 10, 10, 0),
    )
    case_services.case_close(case=case, actor=eng, reason=CloseReason.ACCEPTED, now=bog(2026, 3, 10, 11, 0))
    # The beat job was down: every e-mail is written after the case closed.
    collect(django_capture_on_commit_callbacks, bog(2026, 3, 10, 12, 0))

    solution = _body("solution")
    assert "Estado: Solución propuesta" in solution and "Cerrado" not in solution
    assert "(comando o procedimiento)" in solution
    assert "Estado: Nuevo" in _body("registered")
    closed = _body("closed")
    assert "Estado: Cerrado" in closed and "Motivo: solución aceptada por el cliente." in closed
    html = CustomerEmail.objects.get(event="solution").body_html
    assert "Solución propuesta" in html and "Cerrado" not in html


def test_the_registration_mail_keeps_the_priority_and_deadline_it_was_registered_with(
    setup, django_capture_on_commit_callbacks
) -> None:
    eng = engineer()
    case = registered_case(setup=setup, priority="P3", now=bog(2026, 3, 10, 9, 0))
    registered_due = case.attention_due_at
    case_services.case_change_priority(case=case, actor=eng, priority="P1", now=bog(2026, 3, 10, 9, 5))
    case.refresh_from_db()
    assert case.attention_due_at != registered_due
    collect(django_capture_on_commit_callbacks, bog(2026, 3, 10, 9, 10))

    body = _body("registered")
    assert "Prioridad P3" in body and "P1" not in body
    due = timezone.localtime(registered_due, BOGOTA)
    assert f"{due:%H:%M} (hora de Bogotá)" in body and f" {due.day} de " in body


def test_a_reply_tells_the_status_the_reply_left_the_case_in(
    setup, django_capture_on_commit_callbacks
) -> None:
    eng = engineer()
    case = registered_case(setup=setup, priority="P2", now=bog(2026, 3, 10, 9, 0))
    reply = case_services.case_log_activity(
        case=case,
        actor=eng,
        kind=ActivityKind.EMAIL,
        body="Envíenos el archivo ctlog.ini.",
        now=bog(2026, 3, 10, 9, 30),
    )
    assert reply.data[CASE_STATE_KEY]["status"] == "in_progress"
    case_services.case_change_status(
        case=case, actor=eng, status="waiting_customer", now=bog(2026, 3, 10, 9, 31)
    )
    collect(django_capture_on_commit_callbacks, bog(2026, 3, 10, 10, 0))
    assert "Estado: En curso" in _body("reply")


def test_a_closure_as_duplicate_names_the_original_even_after_reopening(
    setup, django_capture_on_commit_callbacks
) -> None:
    eng = engineer()
    original = registered_case(setup=setup, now=bog(2026, 3, 10, 9, 0))
    copy = registered_case(setup=setup, now=bog(2026, 3, 10, 9, 1))
    case_services.case_close(
        case=copy, actor=eng, reason=CloseReason.DUPLICATE, duplicate_of=original, now=bog(2026, 3, 10, 9, 2)
    )
    case_services.case_reopen(case=copy, actor=eng, reason="No era el mismo", now=bog(2026, 3, 10, 9, 3))
    collect(django_capture_on_commit_callbacks, bog(2026, 3, 10, 9, 4))
    closed = CustomerEmail.objects.get(case=copy, event="closed").body_text
    assert f"continúa en el caso {original.number}" in closed and "Estado: Cerrado" in closed
    assert "Estado: Reabierto" in CustomerEmail.objects.get(case=copy, event="reopened").body_text


def test_an_event_recorded_before_states_were_kept_uses_the_case_as_it_stands(
    setup, django_capture_on_commit_callbacks
) -> None:
    case = registered_case(setup=setup, now=bog(2026, 3, 10, 9, 0))
    activity = case.activities.get(kind=ActivityKind.REGISTRATION)
    activity.data.pop(CASE_STATE_KEY)
    activity.save(update_fields=["data"])
    collect(django_capture_on_commit_callbacks, bog(2026, 3, 10, 9, 1))
    assert "Estado: Nuevo" in _body("registered")


# --- history is not mailed ------------------------------------------------------------------------


def test_events_before_the_cutoff_are_not_mailed_and_later_ones_are(
    setup, django_capture_on_commit_callbacks, admin_client
) -> None:
    eng = engineer()
    old = registered_case(setup=setup, now=bog(2026, 3, 10, 9, 0))
    services.mail_history_until(at=bog(2026, 3, 10, 12, 0), reason="importación")
    services.mail_history_until(at=bog(2026, 3, 1, 0, 0), reason="never moves back")
    new = registered_case(setup=setup, now=bog(2026, 3, 10, 12, 30))
    case_services.case_log_activity(
        case=old, actor=eng, kind=ActivityKind.EMAIL, body="Seguimos revisando.", now=bog(2026, 3, 10, 13, 0)
    )
    collect(django_capture_on_commit_callbacks, bog(2026, 3, 10, 13, 5))

    mailed = set(CustomerEmail.objects.values_list("case__number", "event"))
    assert mailed == {(new.number, "registered"), (old.number, "reply")}
    assert not CaseActivity.objects.filter(customer_notice_due=True).exists()  # history settled too
    page = admin_client.get(reverse("admin:escalation_mailhistorycutoff_changelist"))
    assert page.status_code == 200 and "importación" in page.content.decode()


def test_the_demo_history_is_not_mailed_on_the_first_start(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    assert Case.objects.count() == 25  # the demo (seed_demo: its stories, a warranty claim, a maintenance,
    # a software update)
    assert CaseActivity.objects.filter(customer_notice_due=True).exists()  # the demo's past events
    started = MailHistoryCutoff.objects.get().starts_at
    # The desk starts: the beat collects customer e-mail and sweeps the deadlines at that instant.
    collect(django_capture_on_commit_callbacks, started)
    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_sweep(now=started)
    assert not CustomerEmail.objects.exists()  # no customer e-mail, the demo's PQR included
    # The staff notifications of the demo's past (its PQR reaching N1, warnings whose instant had
    # passed) are kept in the log but not e-mailed.
    history = Notification.objects.filter(due_at__lte=started)
    assert history.exists() and not Notification.objects.filter(due_at__gt=started).exists()
    assert all(n.last_error.startswith("No se envió por correo") for n in history)
    assert mail.outbox == []

    # What happens on the desk from now on is mailed as usual.
    case = Case.objects.exclude(status="closed").first()
    case_services.case_log_activity(
        case=case,
        actor=engineer(),
        kind=ActivityKind.EMAIL,
        body="Le escribimos para confirmar el cambio.",
        now=timezone.now() + timedelta(seconds=1),
    )
    collect(django_capture_on_commit_callbacks, timezone.now() + timedelta(seconds=2))
    assert list(CustomerEmail.objects.values_list("case", "event")) == [(case.pk, "reply")]
