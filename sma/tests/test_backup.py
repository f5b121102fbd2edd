"""Backups: dump, wipe, restore — and every case, activity and attachment is back, byte for byte.
A damaged archive is refused before anything is touched."""

from __future__ import annotations

import hashlib
import tarfile
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from cases import services as case_services
from cases.models import ActivityKind, Case, CaseActivity, CaseAttachment
from cases.tests.factories import customer_setup, engineer, registered_case
from sma.backup import BackupError, backup_check

pytestmark = pytest.mark.django_db(transaction=True)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("America/Bogota"))


def _snapshot() -> dict:
    return {
        "cases": sorted(Case.objects.values_list("number", "subject", "description", "status", "priority")),
        "activities": sorted(
            CaseActivity.objects.values_list("case__number", "kind", "created_at", "body", "is_public")
        ),
        "files": sorted(
            (a.case.number, a.original_name, a.sha256, hashlib.sha256(a.file.open("rb").read()).hexdigest())
            for a in CaseAttachment.objects.select_related("case")
        ),
    }


def test_dump_wipe_restore(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    eng = engineer()
    setup = customer_setup()
    for i in range(3):
        case = registered_case(
            setup=setup, actor=eng, now=NOW + timedelta(hours=i), subject=f"Caso {i} ñandú"
        )
        case_services.case_log_activity(
            case=case,
            actor=eng,
            kind=ActivityKind.REMOTE_SESSION,
            body=f"Sesión {i}",
            attachments=[
                SimpleUploadedFile(f"traza-{i}.log", bytes(range(256)) * (i + 1), content_type="text/plain")
            ],
            now=NOW + timedelta(hours=i, minutes=5),
        )
    before = _snapshot()
    assert len(before["files"]) == 3
    archive = tmp_path / "sma.tar"
    out = StringIO()
    call_command("backup", str(archive), stdout=out)
    assert ", 3 files." in out.getvalue()

    # The disaster: cases gone, files gone.
    for attachment in CaseAttachment.objects.all():
        default_storage.delete(attachment.file.name)
    Case.objects.all().delete()
    assert not Case.objects.exists()

    out = StringIO()
    call_command("restore", str(archive), stdout=out)  # a dry run checks and changes nothing
    assert "Dry run" in out.getvalue() and not Case.objects.exists()
    call_command("restore", str(archive), "--for-real", stdout=StringIO())
    assert _snapshot() == before


def test_a_damaged_archive_is_refused_before_anything_changes(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    eng = engineer()
    case = registered_case(actor=eng, now=NOW)
    case_services.case_log_activity(
        case=case,
        actor=eng,
        kind=ActivityKind.PHONE_CALL,
        body="Llamada",
        attachments=[SimpleUploadedFile("a.log", b"original", content_type="text/plain")],
        now=NOW + timedelta(minutes=5),
    )
    good = tmp_path / "good.tar"
    call_command("backup", str(good), stdout=StringIO())
    bad = tmp_path / "bad.tar"
    with tarfile.open(good) as source, tarfile.open(bad, "w") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("files/"):
                content = b"tampered"
                member.size = len(content)
            import io

            target.addfile(member, io.BytesIO(content))
    with pytest.raises(BackupError, match="does not match"):
        backup_check(bad)
    with pytest.raises(CommandError):
        call_command("restore", str(bad), "--for-real", stdout=StringIO())
    assert Case.objects.count() == 1  # untouched
