"""Attachments: size limit, an allow-list of types checked on the bytes, private storage."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..errors import CaseError
from ..models import ActivityKind, Case, CaseActivity, CaseAttachment
from .common import add_activity, lock_case, require_open, user_or_none
from .sniff import SNIFF_BYTES, looks_active

# Evidence engineers ask for: logs, traces, captures, configuration, archives, documents.
ALLOWED_EXTENSIONS = {
    ".log",
    ".txt",
    ".out",
    ".err",
    ".trc",
    ".trace",
    ".csv",
    ".json",
    ".xml",
    ".yaml",
    ".yml",
    ".cfg",
    ".conf",
    ".ini",
    ".properties",
    ".pcap",
    ".pcapng",
    ".cap",
    ".har",
    ".zip",
    ".gz",
    ".tgz",
    ".7z",
    ".rar",
    ".bz2",
    ".xz",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".bmp",
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".odt",
    ".ods",
    ".eml",
    ".wav",
    ".mp3",
}
# Formats a browser would run or render as a page are never accepted, whatever the name says
# (cases.services.sniff); nor programs.
_EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF")


def _max_bytes() -> int:
    return int(getattr(settings, "SMA_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024))


def attachment_check(upload: UploadedFile) -> str:
    """Validate an upload; returns the content type to store. Raises CaseError with the reason."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name.lower()).suffix
    if upload.size is not None and upload.size > _max_bytes():
        raise CaseError(
            _("%(name)s is too large (%(size)s); the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(_max_bytes())},
            code="too_large",
        )
    if extension not in ALLOWED_EXTENSIONS:
        raise CaseError(
            _(
                "%(name)s: files of this type are not accepted. Send logs, traces, captures, "
                "configuration files, images, PDFs or compressed archives."
            )
            % {"name": name},
            code="bad_type",
        )
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if looks_active(head) or head.startswith(_EXECUTABLE_SIGNATURES):
        raise CaseError(
            _("%(name)s looks like a web page, image script or program, which is not accepted.")
            % {"name": name},
            code="bad_content",
        )
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@dataclass(frozen=True)
class CheckedUpload:
    """An upload the rules accepted, with the content type to store."""

    upload: UploadedFile
    content_type: str


def attachments_check(uploads: Sequence[UploadedFile]) -> list[CheckedUpload]:
    """Check every file of a batch before any is kept. A batch is all or nothing: when one file is
    refused, CaseError names each refused file and says that nothing was saved."""
    checked: list[CheckedUpload] = []
    reasons: list[str] = []
    for upload in uploads:
        try:
            checked.append(CheckedUpload(upload=upload, content_type=attachment_check(upload)))
        except CaseError as error:
            reasons.extend(error.messages)
    if reasons:
        raise CaseError(
            ngettext(
                "Nothing was saved: %(reasons)s Remove or replace that file and send the files again.",
                "Nothing was saved: %(reasons)s Remove or replace those files and send the files again.",
                len(reasons),
            )
            % {"reasons": " ".join(reasons)},
            code="attachments_refused",
        )
    return checked


def _store(
    *,
    case: Case,
    actor: User | None,
    item: CheckedUpload,
    activity: CaseActivity | None,
    kind: str,
    is_public: bool,
    now: datetime,
    damaged: bool = False,
) -> CaseAttachment:
    upload = item.upload
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = CaseAttachment(
        case=case,
        activity=activity,
        kind=kind,
        original_name=_file_name(upload),
        content_type=item.content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        is_public=is_public,
        damaged=damaged,
        uploaded_by=user_or_none(actor),
        uploaded_at=now,
    )
    attachment.file.save("upload", upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachments_store(
    *,
    case: Case,
    actor: User | None,
    checked: Sequence[CheckedUpload],
    activity: CaseActivity | None,
    kind: str = CaseAttachment.Kind.OTHER,
    is_public: bool = True,
    now: datetime,
) -> list[CaseAttachment]:
    """Keep a checked batch (see ``attachments_check``), linked to the activity that tells of it.
    Called inside the caller's transaction; if one file cannot be kept, the files already written
    are removed from disk again and the error goes up (the transaction rolls back the rows)."""
    stored: list[CaseAttachment] = []
    try:
        for item in checked:
            stored.append(
                _store(
                    case=case,
                    actor=actor,
                    item=item,
                    activity=activity,
                    kind=kind,
                    is_public=is_public,
                    now=now,
                )
            )
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


def attachment_files_data(checked: Sequence[CheckedUpload]) -> list[dict[str, object]]:
    """What an activity's data records of its files (kept even if a file is later removed)."""
    return [{"name": _file_name(item.upload), "size": item.upload.size or 0} for item in checked]


def _file_name(upload: UploadedFile) -> str:
    return PurePath(upload.name or "archivo").name[:200]


def attachment_add(
    *,
    case: Case,
    actor: User | None,
    upload: UploadedFile,
    activity: CaseActivity | None = None,
    kind: str = CaseAttachment.Kind.OTHER,
    is_public: bool = True,
    now: datetime | None = None,
    damaged: bool = False,
) -> CaseAttachment:
    """Check and keep one file (messages that keep their good attachments one by one use this).
    ``damaged``: it arrived incomplete (a cut-off e-mail) and is kept as received, flagged."""
    item = CheckedUpload(upload=upload, content_type=attachment_check(upload))
    return _store(
        case=case,
        actor=actor,
        item=item,
        activity=activity,
        kind=kind,
        is_public=is_public,
        now=now or timezone.now(),
        damaged=damaged,
    )


@transaction.atomic
def case_attach_files(
    *,
    case: Case,
    actor: User,
    uploads: Sequence[UploadedFile],
    note: str = "",
    is_public: bool = True,
    now: datetime | None = None,
) -> CaseActivity:
    """Attach a batch of files to an open case: one activity on the timeline lists them, each file
    is linked to it. All or nothing: one refused file refuses the batch and nothing is kept."""
    now = now or timezone.now()
    if not uploads:
        raise CaseError(_("Choose at least one file to attach."), code="no_files")
    case = lock_case(case)
    require_open(case)
    checked = attachments_check(uploads)
    activity = add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.ATTACHMENT,
        now=now,
        body=note.strip(),
        is_public=is_public,
        data={"files": attachment_files_data(checked)},
    )
    attachments_store(
        case=case, actor=actor, checked=checked, activity=activity, is_public=is_public, now=now
    )
    return activity
