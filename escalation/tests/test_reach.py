"""Escalations reach a person: a matrix contact has a staff account or an e-mail; the admin shows
the levels nobody can be reached at; a notification that reached nobody is recorded as such (not
sent, "no llegó a nadie" on the timeline and in the admin) and nobody is named as notified — not
on the timeline, not in the customer's e-mail."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import ActivityKind, CaseActivity
from cases.tests.factories import engineer, manager, registered_case
from contracts.tests.factories import UserFactory
from escalation import services
from escalation.models import (
    CustomerEmail,
    EscalationContact,
    EscalationLevel,
    InboxItem,
    Notification,
    Pqr,
)
from escalation.services.outbox import due_for_retry

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def level(number: int) -> EscalationLevel:
    return EscalationLevel.objects.get(number=number)


# --- The contact must be reachable (model, admin form) --------------------------------------------


def test_a_contact_with_neither_account_nor_email_is_refused() -> None:
    contact = EscalationContact(level=level(3), name="Sin Datos", role="Líder")
    with pytest.raises(ValidationError) as refused:
        contact.full_clean()
    assert "correo" in refused.value.messages[0]
    EscalationContact(
        level=level(3), name="Con correo", role="Líder", email="p@calltechsa.example"
    ).full_clean()
    EscalationContact(level=level(3), name="Con cuenta", role="Líder", user=engineer()).full_clean()


def test_a_customer_account_cannot_be_a_matrix_contact() -> None:
    outsider = UserFactory(is_staff=False)
    with pytest.raises(ValidationError) as refused:
        EscalationContact(level=level(3), name="Cliente", role="x", user=outsider).full_clean()
    assert "user" in refused.value.error_dict


def _level_form(level_obj: EscalationLevel, rows: list[dict[str, object]]) -> dict[str, object]:
    contacts = list(level_obj.contacts.order_by("pk"))
    data: dict[str, object] = {
        "number": level_obj.number,
        "name": level_obj.name,
        "description": "",
        "contacts-TOTAL_FORMS": len(contacts) + len(rows),
        "contacts-INITIAL_FORMS": len(contacts),
        "contacts-MIN_NUM_FORMS": 0,
        "contacts-MAX_NUM_FORMS": 1000,
    }
    for i, c in enumerate(contacts):
        data.update(
            {
                f"contacts-{i}-id": c.pk,
                f"contacts-{i}-level": level_obj.pk,
                f"contacts-{i}-order": c.order,
                f"contacts-{i}-name": c.name,
                f"contacts-{i}-role": c.role,
                f"contacts-{i}-phone_extension": c.phone_extension,
                f"contacts-{i}-email": c.email or "directo@calltechsa.example",
                f"contacts-{i}-is_active": "on",
            }
        )
    for j, row in enumerate(rows, start=len(contacts)):
        data.update(
            {f"contacts-{j}-level": level_obj.pk, f"contacts-{j}-order": 9, f"contacts-{j}-is_active": "on"}
        )
        data.update({f"contacts-{j}-{k}": v for k, v in row.items()})
    return data


def test_the_admin_refuses_an_unreachable_contact_and_accepts_an_account(admin_client) -> None:
    n5 = level(5)
    url = reverse("admin:escalation_escalationlevel_change", args=[n5.pk])
    refused = admin_client.post(url, _level_form(n5, [{"name": "Nadie", "role": "Director"}]))
    assert refused.status_code == 200
    assert "Vincule el contacto a una cuenta de personal o escriba su correo" in refused.content.decode()
    assert not EscalationContact.objects.filter(name="Nadie").exists()

    boss = manager(first_name="Diego", last_name="Nieto", email="")
    saved = admin_client.post(
        url, _level_form(n5, [{"name": "Diego Nieto", "role": "Director", "user": boss.pk}])
    )
    assert saved.status_code == 302
    assert EscalationContact.objects.get(name="Diego Nieto").user == boss


def test_the_matrix_list_shows_the_levels_nobody_can_be_reached_at(admin_client) -> None:
    # As migrated from the scheme, only N1 has an e-mail.
    page = admin_client.get(reverse("admin:escalation_escalationlevel_changelist")).content.decode()
    assert "No se puede contactar a nadie en N2, N3, N4, N5, N6" in page
    assert page.count("Nadie: ningún contacto tiene correo ni cuenta en SMA") == 5
    assert "1 de 1 contactos activos" in page

    EscalationContact.objects.filter(level__number=2).update(user=manager())
    EscalationContact.objects.filter(level__number__gte=3).update(email="direccion@calltechsa.example")
    page = admin_client.get(reverse("admin:escalation_escalationlevel_changelist")).content.decode()
    assert "No se puede contactar a nadie" not in page and "Nadie: ningún contacto" not in page


# --- A notification that reached nobody -------------------------------------------------------------


@pytest.fixture
def unreachable_breach(django_capture_on_commit_callbacks):
    """A Gold P1 whose 100 % rule notifies N2, which (as migrated) nobody can be reached at; no
    manager exists to be told in SMA either."""
    case = registered_case(priority="P1", now=bog(2026, 11, 24, 8, 0))
    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_sweep(now=bog(2026, 11, 24, 10, 0))
    return case


def test_a_breach_nobody_can_be_reached_for_is_recorded_and_never_sent(unreachable_breach, client) -> None:
    breach = Notification.objects.get(case=unreachable_breach, kind=Notification.Kind.BREACH)
    assert breach.reached_nobody and breach.sent_at is None and breach.attempts == 0
    assert [r["name"] for r in breach.recipients] == ["Christian Romero Bautista"]
    warning = Notification.objects.get(case=unreachable_breach, kind=Notification.Kind.WARNING)
    assert not warning.reached_nobody and warning.sent_at is not None  # N1 has an e-mail
    assert [m.to for m in mail.outbox] == [["support@calltechsa.com"]]  # only the warning went out
    assert not InboxItem.objects.exists()

    line = CaseActivity.objects.get(case=unreachable_breach, data__notification=breach.pk)
    assert line.data["reached_nobody"] is True
    assert "no llegó a nadie" in line.body and "Christian Romero Bautista no tienen correo" in line.body
    assert "notificado" not in line.body.lower()

    # Never queued again as if the broker had lost it.
    later = bog(2026, 11, 24, 12, 0)
    assert breach.pk not in due_for_retry(
        Notification.objects.filter(reached_nobody=False), now=later, batch=50
    )
    assert breach.pk not in services.deadline_sweep(now=later).requeued

    # The case's timeline marks it.
    client.force_login(engineer())
    page = client.get(reverse("cases:detail", args=[unreachable_breach.number])).content.decode()
    assert 'data-testid="reached-nobody"' in page and page.count("no llegó a nadie") >= 2


def test_the_notification_log_says_reached_nobody_not_sent(unreachable_breach, admin_client) -> None:
    page = admin_client.get(reverse("admin:escalation_notification_changelist")).content.decode()
    assert page.count("No llegó a nadie") == 1
    assert "Enviada el" in page  # the warning to N1
    only = admin_client.get(
        reverse("admin:escalation_notification_changelist"), {"reached_nobody__exact": "1"}
    ).content.decode()
    assert only.count("No llegó a nadie") == 1 and "Enviada el" not in only


def test_a_contact_with_an_account_reaches_their_inbox_and_their_email(
    django_capture_on_commit_callbacks,
) -> None:
    lead = manager(first_name="Christian", last_name="Romero", email="christian@calltechsa.example")
    EscalationContact.objects.filter(level__number=2).update(user=lead)
    case = registered_case(priority="P1", now=bog(2026, 11, 24, 8, 0))
    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_sweep(now=bog(2026, 11, 24, 10, 0))
    breach = Notification.objects.get(case=case, kind=Notification.Kind.BREACH)
    assert not breach.reached_nobody and breach.recipients[0]["user"] == lead.pk
    assert ["christian@calltechsa.example"] in [m.to for m in mail.outbox]
    # In the inbox once, although they are both the N2 contact and a manager.
    assert list(InboxItem.objects.filter(notification=breach).values_list("user_id", flat=True)) == [lead.pk]
    line = CaseActivity.objects.get(case=case, data__notification=breach.pk)
    assert "notificado(s): Christian Romero Bautista" in line.body or "Christian Romero Bautista" in line.body
    assert "reached_nobody" not in line.data


def test_an_account_without_email_is_reached_in_sma_only(django_capture_on_commit_callbacks) -> None:
    lead = manager(email="")
    EscalationContact.objects.filter(level__number=2).update(user=lead)
    case = registered_case(priority="P1", now=bog(2026, 11, 24, 8, 0))
    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_sweep(now=bog(2026, 11, 24, 10, 0))
    breach = Notification.objects.get(case=case, kind=Notification.Kind.BREACH)
    assert not breach.reached_nobody and breach.sent_at is not None
    assert "entregado en SMA" in breach.last_error
    assert InboxItem.objects.filter(notification=breach, user=lead).exists()


def test_managers_learn_of_a_breach_even_when_the_level_is_unreachable(
    django_capture_on_commit_callbacks,
) -> None:
    boss = manager()
    eng = engineer()
    case = registered_case(priority="P1", assigned_to=eng, now=bog(2026, 11, 24, 8, 0))
    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_sweep(now=bog(2026, 11, 24, 10, 0))
        services.deadline_sweep(now=bog(2026, 11, 24, 10, 1))
    breach = Notification.objects.get(case=case, kind=Notification.Kind.BREACH)
    warning = Notification.objects.get(case=case, kind=Notification.Kind.WARNING)
    assert not breach.reached_nobody  # the manager was told in SMA
    assert set(InboxItem.objects.values_list("user_id", "notification_id")) == {
        (boss.pk, breach.pk),  # managers get breaches
        (eng.pk, warning.pk),  # the assigned engineer gets the warning of their case
    }
    line = CaseActivity.objects.get(case=case, data__notification=breach.pk)
    assert boss.get_full_name() in line.body and "Christian Romero Bautista" in line.body  # not reached


# --- PQR steps ----------------------------------------------------------------------------------------


def _breached_case():
    return registered_case(priority="P1", now=bog(2026, 12, 1, 9, 0))


def _raise_pqr(case, now):
    return services.pqr_raise(
        actor=None,
        case=case,
        contact=case.requester,
        kind=Pqr.Kind.CLAIM,
        description="Sin servicio.",
        now=now,
    )


def test_a_pqr_at_a_level_nobody_can_be_reached_at(django_capture_on_commit_callbacks) -> None:
    EscalationContact.objects.filter(level__number=1).update(email="")  # N1 unreachable too
    case = _breached_case()
    with django_capture_on_commit_callbacks(execute=True):
        pqr = _raise_pqr(case, bog(2026, 12, 1, 11, 30))
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_email_collect(now=bog(2026, 12, 1, 11, 31))
    notification = Notification.objects.get(kind=Notification.Kind.PQR)
    assert notification.reached_nobody and notification.sent_at is None
    # Public: where the PQR stands, naming nobody as notified; internal: that it reached nobody.
    public = CaseActivity.objects.get(case=case, kind=ActivityKind.PQR)
    assert public.is_public and pqr.code in public.body and "Ingenieros de soporte" not in public.body
    internal = CaseActivity.objects.get(case=case, kind=ActivityKind.NOTIFICATION, data__pqr=pqr.pk)
    assert not internal.is_public and internal.data["reached_nobody"] and "no llegó a nadie" in internal.body
    # The customer's e-mail names no one as in charge at that level.
    email = CustomerEmail.objects.get(event=CustomerEmail.Event.PQR)
    assert "Responsables" not in email.body_text and "Ingenieros de soporte" not in email.body_text
    assert "N1" in email.body_text


def test_a_pqr_names_to_the_customer_only_the_people_it_reached(django_capture_on_commit_callbacks) -> None:
    n1 = level(1)
    EscalationContact.objects.create(level=n1, name="Sin Medio", role="Auxiliar", phone_extension="912")
    case = _breached_case()
    with django_capture_on_commit_callbacks(execute=True):
        _raise_pqr(case, bog(2026, 12, 1, 11, 30))
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_email_collect(now=bog(2026, 12, 1, 11, 31))
    notification = Notification.objects.get(kind=Notification.Kind.PQR)
    assert not notification.reached_nobody
    internal = CaseActivity.objects.get(
        case=case, kind=ActivityKind.NOTIFICATION, data__notification=notification.pk
    )
    assert (
        "Ingenieros de soporte" in internal.body
        and "Sin aviso (sin correo ni cuenta en SMA): Sin Medio" in internal.body
    )
    email = CustomerEmail.objects.get(event=CustomerEmail.Event.PQR)
    assert "Ingenieros de soporte" in email.body_text and "Sin Medio" not in email.body_text


def test_a_customer_message_lands_in_the_assigned_engineers_inbox(open_case) -> None:
    from cases import services as case_services

    eng = engineer(email="")
    case_services.case_assign(case=open_case, actor=manager(), assignee=eng, now=bog(2026, 11, 30, 9, 0))
    activity = case_services.case_log_activity(
        case=open_case, actor=eng, kind="internal_note", body="Nota", now=bog(2026, 11, 30, 9, 5)
    )
    told = services.notify_customer_message(activity=activity, now=bog(2026, 11, 30, 9, 6))
    assert told is not None and not told.reached_nobody
    assert list(InboxItem.objects.values_list("user_id", "notification_id")) == [(eng.pk, told.pk)]
    assert services.notify_customer_message(activity=activity, now=bog(2026, 11, 30, 9, 7)) is None
    assert InboxItem.objects.count() == 1


# --- The on-duty engineer ------------------------------------------------------------------------


def _night_p1():
    from cases.tests.factories import customer_setup
    from contracts.tests.factories import platinum_plan

    return registered_case(
        setup=customer_setup(plan=platinum_plan()), priority="P1", now=bog(2026, 11, 25, 2, 0)
    )


def test_with_nobody_on_duty_and_an_unreachable_lead_the_call_reached_nobody(
    django_capture_on_commit_callbacks,
) -> None:
    case = _night_p1()
    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_sweep(now=bog(2026, 11, 25, 2, 0, 30))
    call = Notification.objects.get(case=case, kind=Notification.Kind.ON_CALL)
    assert call.reached_nobody and call.sent_at is None and not mail.outbox
    line = CaseActivity.objects.get(case=case, data__notification=call.pk)
    assert line.data["reached_nobody"] and "no llegó a nadie" in line.body
    assert "Nadie está de turno" in line.body


def test_the_engineer_on_duty_gets_the_call_in_the_inbox(django_capture_on_commit_callbacks) -> None:
    from escalation.models import OnCallShift

    duty = engineer(first_name="Nocturno", last_name="Turno", email="")
    OnCallShift.objects.create(
        engineer=duty, starts_at=bog(2026, 11, 24, 17, 30), ends_at=bog(2026, 11, 25, 7, 30)
    )
    case = _night_p1()
    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_sweep(now=bog(2026, 11, 25, 2, 0, 30))
    call = Notification.objects.get(case=case, kind=Notification.Kind.ON_CALL)
    assert not call.reached_nobody and call.recipients[0]["user"] == duty.pk
    assert list(InboxItem.objects.values_list("user_id", "notification_id")) == [(duty.pk, call.pk)]
    line = CaseActivity.objects.get(case=case, data__notification=call.pk)
    assert "Nocturno Turno" in line.body and "reached_nobody" not in line.data
