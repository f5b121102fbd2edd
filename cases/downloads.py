"""A stored attachment as a download: always an attachment, never rendered by the browser."""

from __future__ import annotations

from typing import Any, Protocol

from django.http import FileResponse, Http404


class StoredFile(Protocol):
    """A case's attachment, a knowledge article's: a stored file and the name it was sent with."""

    file: Any
    original_name: str


def attachment_response(attachment: StoredFile) -> FileResponse:
    """The file as ``application/octet-stream`` with nosniff and a sandboxing CSP; 404 if the stored
    file is gone. Whoever calls this has already checked that the user may see the attachment."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type="application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
