"""The files an e-mail carries: every attachment with a safe name, an Outlook ``winmail.dat``
(TNEF) opened into the files inside it (tnefparse), and a file the message lost part of
(the message was cut off, or its base64 ends short) flagged as damaged but kept. Pure: a parsed
``email`` message in, ParsedAttachment rows out; nothing raises for bad input."""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass, field
from email import errors
from email.message import Message

import tnefparse

from .mailtext import clean_text, one_line

logger = logging.getLogger(__name__)

_MAX_NAME = 180
TNEF_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}
# The payload of a part that stops short: its base64 has a broken last quantum.
_SHORT_ENCODING = (errors.InvalidBase64LengthDefect, errors.InvalidBase64PaddingDefect)

DAMAGE_TRUNCATED = "truncated"  # the message ended before this file did
DAMAGE_ENCODING = "bad encoding"  # its base64 stops in the middle of a character group


@dataclass(frozen=True)
class ParsedAttachment:
    name: str
    content_type: str
    content: bytes
    damaged: str = ""  # why the file is incomplete ("" when it arrived whole)


@dataclass
class PartsFound:
    """What ``collect_attachments`` found besides the files: a text body inside winmail.dat
    (Outlook may send the body only there) and what could not be read."""

    attachments: list[ParsedAttachment] = field(default_factory=list)
    tnef_text: str = ""
    tnef_html: str = ""
    defects: list[str] = field(default_factory=list)


def safe_name(name: str, fallback_type: str, index: int) -> str:
    """A file name without folders, control characters or an absurd length."""
    name = one_line(name).replace("/", "_").replace("\\", "_").strip(". ")
    if not name:
        extension = mimetypes.guess_extension(fallback_type) or ".bin"
        name = f"adjunto-{index}{extension}"
    if len(name) > _MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: _MAX_NAME - len(extension) - 1]}.{extension}" if dot else name[:_MAX_NAME]
    return name


def _part_name(part: Message, index: int) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    return safe_name(name, part.get_content_type(), index)


def _text(value: object) -> str:
    if isinstance(value, bytes):
        for codec in ("utf-8", "cp1252"):
            try:
                return clean_text(value.decode(codec)).strip("\x00").strip()
            except UnicodeDecodeError:
                continue
    return clean_text(str(value or "")).strip()


def _is_tnef(part: Message, name: str) -> bool:
    return part.get_content_type() in TNEF_TYPES or name.lower() == "winmail.dat"


def _open_tnef(content: bytes, damaged: str, found: PartsFound, name: str) -> bool:
    """Add the files inside a winmail.dat; False when it cannot be read (it is then kept as is)."""
    try:
        tnef = tnefparse.TNEF(content)
    except Exception as error:
        found.defects.append(f"{name}: TNEF could not be opened ({type(error).__name__}: {error})")
        return False
    for inner in tnef.attachments:
        try:
            inner_name = _text(inner.long_filename() or inner.name)
        except Exception:
            inner_name = ""
        index = len(found.attachments) + 1
        inner_name = safe_name(inner_name, "application/octet-stream", index)
        content_type = mimetypes.guess_type(inner_name)[0] or "application/octet-stream"
        data = inner.data if isinstance(inner.data, bytes) else bytes(inner.data or b"")
        found.attachments.append(ParsedAttachment(inner_name, content_type, data, damaged))
    if tnef.body and not found.tnef_text:
        found.tnef_text = _text(tnef.body)
    if tnef.htmlbody and not found.tnef_html:
        found.tnef_html = _text(tnef.htmlbody)
    return True


def collect_attachments(msg: Message, body_parts: set[int]) -> PartsFound:
    """Every file of the message (the parts chosen as its text excluded), in order."""
    found = PartsFound()

    def visit(part: Message, cut_short: bool) -> None:
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            content = inner.as_bytes() if isinstance(inner, Message) else b""
            name = _part_name(part, len(found.attachments) + 1)
            if not name.lower().endswith(".eml"):
                name = f"{name.rsplit('.', 1)[0] if '.' in name else name}.eml"
            damaged = DAMAGE_TRUNCATED if cut_short else ""
            found.attachments.append(ParsedAttachment(name, content_type, content, damaged))
            return
        if part.is_multipart():
            children = [sub for sub in part.get_payload() if isinstance(sub, Message)]
            unclosed = any(isinstance(d, errors.CloseBoundaryNotFoundDefect) for d in part.defects)
            for position, sub in enumerate(children):
                visit(sub, (cut_short or unclosed) and position == len(children) - 1)
            return
        if id(part) in body_parts:
            return
        disposition = (part.get_content_disposition() or "").lower()
        if part.get_content_maintype() == "text" and disposition != "attachment" and not part.get_filename():
            return  # a stray text part (a footer, an alternative we did not choose)
        payload = part.get_payload(decode=True)  # decoding adds the base64 defects to the part
        content = payload if isinstance(payload, bytes) else b""
        damaged = ""
        if cut_short:
            damaged = DAMAGE_TRUNCATED
        elif any(isinstance(d, _SHORT_ENCODING) for d in part.defects):
            damaged = DAMAGE_ENCODING
        name = _part_name(part, len(found.attachments) + 1)
        if _is_tnef(part, name) and _open_tnef(content, damaged, found, name):
            return
        found.attachments.append(ParsedAttachment(name, content_type, content, damaged))

    visit(msg, False)
    for attachment in found.attachments:
        if attachment.damaged:
            found.defects.append(f"{attachment.name}: damaged ({attachment.damaged})")
    return found
