"""Internal notes, internal attachments and notifications never reach a customer: not in a portal
page, a count, a search, a download or an e-mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from cases import services as case_services
from cases.models import ActivityKind
from escalation import services as escalation_services

from .world import INTERNAL_FILE, INTERNAL_NOTE, REGISTERED, log_file

pytestmark = pytest.mark.django_db


def test_case_page_and_countdown_fragment_show_nothing_internal(client, world) -> None:
    case_services.case_record_notification(
        case=world.case_a, body="AVISO-INTERNO-55 al N2", data={"level": 2}, now=REGISTERED
    )
    client.force_login(world.a1.user)
    for url in (
        reverse("portal:case_detail", args=[world.case_a.number]),
        reverse("portal:case_by_id", args=[world.case_a.pk]) + "?historial=todo",
        reverse("portal:case_clock", args=[world.case_a.number]),
        reverse("portal:home") + "?state=all",
    ):
        body = client.get(url).content.decode()
        assert INTERNAL_NOTE not in body and INTERNAL_FILE not in body, url
        assert "AVISO-INTERNO-55" not in body and "Nota interna" not in body and "Notificación" not in body, url
        assert f"/adjuntos/{world.internal_file.pk}/" not in body, url


def test_internal_activities_are_not_counted(client, world) -> None:
    eng = world.engineer
    for i in range(55):
        case_services.case_log_activity(
            case=world.case_a, actor=eng, kind=ActivityKind.INTERNAL_NOTE, body=f"nota {i}", now=REGISTERED
        )
    client.force_login(world.a1.user)
    body = client.get(reverse("portal:case_detail", args=[world.case_a.number])).content.decode()
    assert "Ver anteriores" not in body  # the 55 notes would push public ones off the page
    for i in range(52):
        case_services.case_log_activity(
            case=world.case_a,
            actor=eng,
            kind=ActivityKind.EMAIL,
            body=f"respuesta {i}",
            is_public=True,
            now=REGISTERED + timedelta(minutes=i),
        )
    public_total = world.case_a.activities.filter(is_public=True).count()
    body = client.get(reverse("portal:case_detail", args=[world.case_a.number])).content.decode()
    assert f"Ver anteriores ({public_total - 50} más)" in body


def test_search_never_matches_internal_text(client, world) -> None:
    client.force_login(world.a1.user)
    for q in ("NOTA-INTERNA-7731", "factura", "interno-secreto-7731"):
        body = client.get(reverse("portal:home"), {"q": q, "state": "all"}).content.decode()
        assert "Ningún caso coincide" in body and world.case_a.number not in body, q


def test_customer_email_never_carries_internal_notes_or_files(world, django_capture_on_commit_callbacks) -> None:
    case_services.case_log_activity(
        case=world.case_a,
        actor=world.engineer,
        kind=ActivityKind.EMAIL,
        body="Ya revisamos el log.",
        is_public=True,
        now=REGISTERED + timedelta(hours=1),
    )
    case_services.case_log_activity(
        case=world.case_a,
        actor=world.engineer,
        kind=ActivityKind.INTERNAL_NOTE,
        body=INTERNAL_NOTE + " (segunda)",
        attachments=[log_file("interno-2-7731.txt")],
        now=REGISTERED + timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        escalation_services.customer_email_collect(now=REGISTERED + timedelta(hours=2))
    assert mail.outbox, "the public activities were mailed"
    for message in mail.outbox:
        text = message.body + "".join(str(part) for part, _type in message.alternatives)
        names = [a[0] if isinstance(a, tuple) else a.get_filename() for a in message.attachments]
        assert "7731" not in text and not any("7731" in str(n) for n in names)
