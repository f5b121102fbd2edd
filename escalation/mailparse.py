"""Reading an RFC 822 message sent to the support address: sender, recipients, the sender's
``Date``, subject, a readable text body, attachments (winmail.dat opened), the case number and
the Message-IDs it answers, and whether a machine sent it. Pure (no database): bytes in, a
ParsedMessage out, never an exception for bad input — what cannot be read is left empty and the
parser's defects are listed in ``defects`` (a broken MIME structure still yields its text)."""

from __future__ import annotations

import contextlib
import email
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import errors, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .mailauto import automatic_reason
from .mailparts import ParsedAttachment, collect_attachments
from .mailtext import clean_text, header, html_to_text, one_line, strip_quoted

__all__ = [
    "ParsedAttachment",
    "ParsedMessage",
    "clean_text",
    "html_to_text",
    "parse_message",
    "strip_quoted",
]

CASE_NUMBER_RE = re.compile(r"(?<![A-Za-z0-9])SMA-(\d{4})-(\d{6})(?!\d)", re.IGNORECASE)
THREAD_ID_RE = re.compile(r"<caso-(SMA-\d{4}-\d{6})@", re.IGNORECASE)
MESSAGE_ID_RE = re.compile(r"<[^<>\s]{1,990}>")
_BOUNDARY_LINE_RE = re.compile(rb"^--([^\s]{1,70}?)(?:--)?[ \t]*\r?$", re.MULTILINE)


@dataclass
class ParsedMessage:
    from_address: str = ""
    from_name: str = ""
    recipients: list[str] = field(default_factory=list)  # To and Cc, lower case
    sent_at: datetime | None = None  # the sender's Date header
    subject: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    references: str = ""
    text: str = ""
    body_was_html: bool = False
    attachments: list[ParsedAttachment] = field(default_factory=list)
    automatic: str = ""  # why a machine sent it ("" for a person)
    defects: list[str] = field(default_factory=list)

    @property
    def case_number(self) -> str:
        """The case number the message refers to: in the subject, else in the thread headers of
        one of our e-mails it answers."""
        found = CASE_NUMBER_RE.search(self.subject)
        if found:
            return f"SMA-{found.group(1)}-{found.group(2)}"
        threaded = THREAD_ID_RE.search(f"{self.in_reply_to} {self.references}")
        return threaded.group(1).upper() if threaded else ""

    @property
    def answered_ids(self) -> list[str]:
        """The Message-IDs this message answers, the nearest first: In-Reply-To, then References
        from the last (the parent) to the first (the thread's root)."""
        ids = MESSAGE_ID_RE.findall(self.in_reply_to) + MESSAGE_ID_RE.findall(self.references)[::-1]
        return list(dict.fromkeys(ids))


def _sender(msg: Message, parsed: ParsedMessage) -> None:
    name, address = "", ""
    try:
        value = msg.get("From")
        addresses = getattr(value, "addresses", ()) if value is not None else ()
        if addresses:
            name, address = addresses[0].display_name, addresses[0].addr_spec
    except Exception:
        parsed.defects.append("From header could not be parsed")
    if not address:
        name, address = parseaddr(header(msg, "From"))
    address = one_line(address).strip("<>").lower()
    try:
        validate_email(address)
    except ValidationError:
        if address:
            parsed.defects.append(f"invalid sender address {address!r}")
        address = ""
    parsed.from_address, parsed.from_name = address, one_line(name)[:150]


def _recipients(msg: Message) -> list[str]:
    """Every address in To and Cc (a Bcc copy or a list's copy names none of ours)."""
    found: list[str] = []
    for name in ("To", "Cc"):
        try:
            values = [str(v) for v in msg.get_all(name) or []]
        except Exception:
            values = [header(msg, name)]
        for _display, value in getaddresses(values):
            address = one_line(value).strip("<>").lower()
            if "@" in address and address not in found:
                found.append(address)
    return found


def _sent_at(msg: Message, parsed: ParsedMessage) -> None:
    raw = next((str(v) for k, v in msg.raw_items() if k.lower() == "date"), "")
    if not raw.strip():
        return
    try:
        sent = parsedate_to_datetime(one_line(raw))
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed.defects.append(f"Date header could not be read: {one_line(raw)[:80]!r}")
        return
    if sent.tzinfo is None:  # "-0000": the zone is unknown; RFC 5322 reads it as UTC
        sent = sent.replace(tzinfo=UTC)
    if 1990 <= sent.year <= 2200:
        parsed.sent_at = sent


def _part_text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return clean_text(content)
    except Exception:  # noqa: S110 - unknown charset or broken encoding: decode by hand
        pass
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8", "cp1252"):
        try:
            return clean_text(payload.decode(candidate))
        except (LookupError, UnicodeDecodeError):
            continue
    return clean_text(payload.decode("utf-8", "replace"))


def unflow(text: str, *, delsp: bool = False) -> str:
    """Undo RFC 3676 ``format=flowed`` (Thunderbird, Apple Mail): a line ending in a space goes on
    in the next one; a leading space was added for stuffing; "-- " stays the signature line."""
    out: list[str] = []
    joining = False
    for raw_line in text.split("\n"):
        line = raw_line.removesuffix("\r").removeprefix(" ")
        soft = line.endswith(" ") and line != "-- "
        kept = line[:-1] if soft and delsp else line
        if joining:
            out[-1] += kept
        else:
            out.append(kept)
        joining = soft
    return "\n".join(out)


def _body(msg: EmailMessage, parsed: ParsedMessage) -> set[int]:
    used: set[int] = set()
    plain = html = None
    with contextlib.suppress(Exception):
        plain = msg.get_body(preferencelist=("plain",))
    with contextlib.suppress(Exception):
        html = msg.get_body(preferencelist=("html",))
    text = _part_text(plain).strip() if plain is not None else ""
    if plain is not None:
        used.add(id(plain))
        if str(plain.get_param("format", "")).lower() == "flowed":
            text = unflow(text, delsp=str(plain.get_param("delsp", "")).lower() == "yes").strip()
    if html is not None:
        used.add(id(html))
        if not text:
            text = html_to_text(_part_text(html))
            parsed.body_was_html = True
    parsed.text = text
    return used


def _with_found_boundary(raw: bytes, msg: Message) -> EmailMessage | None:
    """A multipart whose declared boundary never appears in its body (a gateway rewrote or lost
    it): read it again with the boundary its parts do use, if one is plain to see."""
    if msg.get_content_maintype() != "multipart" or not isinstance(msg.get_payload(), str):
        return None
    head, separator, body = raw.partition(b"\r\n\r\n" if b"\r\n\r\n" in raw[:65536] else b"\n\n")
    if not separator:
        return None
    counts: dict[bytes, int] = {}
    for found in _BOUNDARY_LINE_RE.finditer(body):
        counts[found.group(1)] = counts.get(found.group(1), 0) + 1
    if not counts:
        return None
    boundary = max(counts, key=lambda b: counts[b])
    if counts[boundary] < 2 or b'"' in boundary:
        return None
    pattern = re.compile(rb'(?i)boundary\s*=\s*("[^"]*"|[^;\s]*)')
    if pattern.search(head):
        head = pattern.sub(b'boundary="' + boundary.replace(b"\\", b"\\\\") + b'"', head, count=1)
    else:
        head = re.sub(rb"(?im)^(content-type:[^\r\n]*)", rb'\1; boundary="' + boundary + b'"', head, count=1)
    with contextlib.suppress(Exception):
        return email.message_from_bytes(head + separator + body, policy=policy.default)
    return None


def _raw_text(msg: Message) -> str:
    """Last resort for a body no MIME reading yields: its text with boundary and part-header
    lines left out, so a person can still read what was written."""
    payload = msg.get_payload()
    if isinstance(payload, list):
        return ""
    text = _part_text(msg)  # the bytes decoded (a str payload would lose its accents)
    kept = [
        line
        for line in text.splitlines()
        if not re.match(r"^\s*(--\S+\s*$|content-[\w-]+\s*:|mime-version\s*:)", line, re.IGNORECASE)
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _defects(msg: Message) -> list[str]:
    """The parser's defects, each with the part it was found in (1 = the message itself)."""
    found: list[str] = []
    with contextlib.suppress(Exception):
        for index, part in enumerate(msg.walk(), start=1):
            for defect in getattr(part, "defects", []):
                found.append(f"part {index} ({part.get_content_type()}): {type(defect).__name__}")
    return found


def parse_message(raw: bytes) -> ParsedMessage:
    """Read a message; never raises for bad input (what cannot be read is left empty)."""
    parsed = ParsedMessage()
    try:
        msg = email.message_from_bytes(raw, policy=policy.default)
    except Exception as error:
        parsed.defects.append(f"unreadable message: {error}")
        return parsed
    parsed.subject = header(msg, "Subject")[:250]
    parsed.message_id = header(msg, "Message-ID")[:998]
    parsed.in_reply_to = header(msg, "In-Reply-To")[:998]
    parsed.references = header(msg, "References")[:4000]
    _sender(msg, parsed)
    parsed.recipients = _recipients(msg)
    _sent_at(msg, parsed)
    parsed.automatic = automatic_reason(msg, from_address=parsed.from_address, subject=parsed.subject)
    structure: list[str] = []
    if any(isinstance(d, errors.StartBoundaryNotFoundDefect) for d in msg.defects):
        recovered = _with_found_boundary(raw, msg)
        if recovered is not None and recovered.is_multipart():
            structure = [*_defects(msg), "boundary recovered from the body"]
            msg = recovered
    try:
        body_parts = _body(msg, parsed)
        found = collect_attachments(msg, body_parts)
        parsed.attachments = found.attachments
        if not parsed.text:
            parsed.text = found.tnef_text or (html_to_text(found.tnef_html) if found.tnef_html else "")
        parsed.defects.extend(found.defects)
    except Exception as error:
        parsed.defects.append(f"MIME structure could not be read: {error}")
    if not parsed.text and (msg.defects or parsed.defects):
        parsed.text = _raw_text(msg)
    parsed.defects[:0] = structure + _defects(msg)
    return parsed
