"""Attachments: size limit, an allow-list of types checked on the bytes, private storage."""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import datetime
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import CaseError
from ..models import Case, CaseActivity, CaseAttachment
from .common import user_or_none

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
# Formats a browser would run or render as a page: never accepted, whatever the name says.
_ACTIVE_SIGNATURES = (
    b"<!doctype html",
    b"<html",
    b"<svg",
    b"<?xml-stylesheet",
    b"<script",
    b"<body",
    b"<iframe",
)
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
    head = upload.read(2048)
    upload.seek(0)
    sniff = head.lstrip().lower()
    if sniff.startswith(_ACTIVE_SIGNATURES) or head.startswith(_EXECUTABLE_SIGNATURES):
        raise CaseError(
            _("%(name)s looks like a web page, image script or program, which is not accepted.")
            % {"name": name},
            code="bad_content",
        )
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def attachment_add(
    *,
    case: Case,
    actor: AbstractBaseUser | None,
    upload: UploadedFile,
    activity: CaseActivity | None = None,
    kind: str = CaseAttachment.Kind.OTHER,
    is_public: bool = True,
    now: datetime | None = None,
) -> CaseAttachment:
    content_type = attachment_check(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = CaseAttachment(
        case=case,
        activity=activity,
        kind=kind,
        original_name=PurePath(upload.name or "archivo").name[:200],
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        is_public=is_public,
        uploaded_by=user_or_none(actor),
        uploaded_at=now or timezone.now(),
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment
