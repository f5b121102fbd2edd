"""Attaching files: an activity on the timeline listing its files, downloadable; a batch is all or
nothing and says so; a closed case takes no files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import services
from cases.errors import CaseError
from cases.models import ActivityKind, Case, CaseActivity, CaseAttachment

from .factories import customer_setup, engineer, registered_case

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=BOGOTA)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Each test's files in its own folder, so "nothing on disk" can be checked."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def eng():
    return engineer(first_name="Camilo", last_name="Suárez")


@pytest.fixture
def client_eng(client, eng):
    client.force_login(eng)
    return client


def _setup() -> dict:
    return customer_setup(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))


def _case(**overrides) -> Case:
    return registered_case(setup=_setup(), now=NOW, **overrides)


def _log(name: str = "ctlog.log", content: bytes = b"ERROR 42\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def _page(name: str = "informe.html") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"<!DOCTYPE html><html></html>", content_type="text/html")


def _files_on_disk(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def _action(case: Case) -> str:
    return reverse("cases:action", args=[case.number, "attach"])


def test_an_attached_file_is_on_the_timeline_and_downloadable(client_eng, eng) -> None:
    case = _case()
    response = client_eng.post(
        _action(case),
        {
            "attach-files": [_log(), _log("config.ini", b"[sip]\nport=5060\n")],
            "attach-note": "Logs del servidor",
        },
    )
    assert response.status_code == 302

    activity = case.activities.get(kind=ActivityKind.ATTACHMENT)
    assert activity.author == eng and activity.body == "Logs del servidor"
    assert [f["name"] for f in activity.data["files"]] == ["ctlog.log", "config.ini"]
    attachments = list(activity.attachments.order_by("id"))
    assert [a.original_name for a in attachments] == ["ctlog.log", "config.ini"]

    page = client_eng.get(response["Location"]).content.decode()
    assert "Archivos adjuntados" in page  # the activity's kind on the timeline
    for attachment in attachments:
        url = reverse("cases:attachment", args=[case.number, attachment.pk])
        assert f'href="{url}"' in page and attachment.original_name in page
    download = client_eng.get(reverse("cases:attachment", args=[case.number, attachments[0].pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"ERROR 42\n"


def test_a_batch_with_one_refused_file_saves_nothing_and_says_so(client_eng, media) -> None:
    case = _case()
    response = client_eng.post(_action(case), {"attach-files": [_log(), _page("captura.html")]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "captura.html" in body  # which file was refused
    assert "Nada se guardó" in body  # and that nothing was kept, the good file neither
    assert not CaseAttachment.objects.exists()
    assert not case.activities.filter(kind=ActivityKind.ATTACHMENT).exists()
    assert _files_on_disk(media) == []


def test_a_closed_case_refuses_files(client_eng, media) -> None:
    case = _case()
    services.case_close(case=case, actor=None, reason="inactivity", now=NOW)
    activities = case.activities.count()
    response = client_eng.post(_action(case), {"attach-files": [_log()]})
    assert response.status_code == 400
    assert f"El caso {case.number} está cerrado" in response.content.decode()
    assert case.activities.count() == activities and not CaseAttachment.objects.exists()
    assert _files_on_disk(media) == []


def test_registration_with_a_refused_file_registers_nothing(media) -> None:
    with pytest.raises(CaseError) as refused:
        _case(attachments=[_log(), _page()])
    assert refused.value.code == "attachments_refused"
    assert "informe.html" in refused.value.messages[0]
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()
    assert _files_on_disk(media) == []


def test_registration_files_hang_from_the_registration_activity() -> None:
    case = _case(attachments=[_log()])
    registration = case.activities.get(kind=ActivityKind.REGISTRATION)
    assert [a.original_name for a in registration.attachments.all()] == ["ctlog.log"]


def test_logging_an_activity_with_a_refused_file_logs_nothing(eng, media) -> None:
    case = _case()
    before = case.activities.count()
    with pytest.raises(CaseError):
        services.case_log_activity(
            case=case,
            actor=eng,
            kind="phone_call",
            body="Se revisaron los logs",
            attachments=[_log(), _page()],
            now=NOW,
        )
    case.refresh_from_db()
    assert case.activities.count() == before and case.first_response_at is None
    assert not CaseAttachment.objects.exists() and _files_on_disk(media) == []


def test_evidence_for_the_next_tier_is_all_or_nothing(eng, media) -> None:
    case = _case()
    with pytest.raises(CaseError):
        services.case_escalate_tier(
            case=case, actor=eng, tier=3, analysis="Revisado en N1", evidence=[_log(), _page()], now=NOW
        )
    case.refresh_from_db()
    assert case.tier == 1 and not CaseAttachment.objects.exists() and _files_on_disk(media) == []


def test_the_service_refuses_an_empty_batch_and_a_closed_case(eng) -> None:
    case = _case()
    with pytest.raises(CaseError) as empty:
        services.case_attach_files(case=case, actor=eng, uploads=[], now=NOW)
    assert empty.value.code == "no_files"
    services.case_close(case=case, actor=None, reason="inactivity", now=NOW)
    with pytest.raises(CaseError) as closed:
        services.case_attach_files(case=case, actor=eng, uploads=[_log()], now=NOW)
    assert closed.value.code == "closed"
    assert not CaseActivity.objects.filter(kind=ActivityKind.ATTACHMENT).exists()


def test_an_attachment_kept_private_stays_internal(eng) -> None:
    case = _case()
    activity = services.case_attach_files(case=case, actor=eng, uploads=[_log()], is_public=False, now=NOW)
    assert not activity.is_public and not activity.attachments.get().is_public
    assert not activity.customer_notice_due  # attaching is not an e-mail to the customer
    case.refresh_from_db()
    assert case.first_response_at is None  # nor a response that stops the attention clock
