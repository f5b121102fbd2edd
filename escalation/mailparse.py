"""Reading an RFC 822 message sent to the support address: sender, subject, a readable text body,
attachments, the case number it refers to, and whether a machine sent it. Pure (no database):
bytes in, a ParsedMessage out, never an exception for bad input — what cannot be read is left
empty and listed in ``defects``."""

from __future__ import annotations

import contextlib
import email
import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import parseaddr
from html.parser import HTMLParser

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

CASE_NUMBER_RE = re.compile(r"(?<![A-Za-z0-9])SMA-(\d{4})-(\d{6})(?!\d)", re.IGNORECASE)
THREAD_ID_RE = re.compile(r"<caso-(SMA-\d{4}-\d{6})@", re.IGNORECASE)
AUTOMATIC_SENDERS = ("mailer-daemon", "postmaster")
BULK_PRECEDENCE = {"bulk", "list", "junk"}
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAX_NAME = 180


@dataclass(frozen=True)
class ParsedAttachment:
    name: str
    content_type: str
    content: bytes


@dataclass
class ParsedMessage:
    from_address: str = ""
    from_name: str = ""
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


def clean_text(value: str) -> str:
    """Text that PostgreSQL and a template can hold: undecodable bytes read as UTF-8 or
    Windows-1252, no NULs or control characters (tabs and newlines kept)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        data = value.encode("utf-8", "surrogateescape")
        try:
            value = data.decode("utf-8")
        except UnicodeDecodeError:
            value = data.decode("cp1252", "replace")
        value = value.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL_RE.sub("", value)


def _one_line(value: str) -> str:
    return " ".join(clean_text(value).split())


def _header(msg: Message, name: str) -> str:
    """A header decoded (RFC 2047, any charset), or its raw text if it cannot be decoded."""
    try:
        value = msg.get(name)
        return _one_line(str(value)) if value is not None else ""
    except Exception:
        raw = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), "")
        try:
            return _one_line(str(make_header(decode_header(raw))))
        except Exception:
            return _one_line(str(raw))


def _sender(msg: Message, parsed: ParsedMessage) -> None:
    name, address = "", ""
    try:
        header = msg.get("From")
        addresses = getattr(header, "addresses", ()) if header is not None else ()
        if addresses:
            name, address = addresses[0].display_name, addresses[0].addr_spec
    except Exception:
        parsed.defects.append("From header could not be parsed")
    if not address:
        name, address = parseaddr(_header(msg, "From"))
    address = _one_line(address).strip("<>").lower()
    try:
        validate_email(address)
    except ValidationError:
        if address:
            parsed.defects.append(f"invalid sender address {address!r}")
        address = ""
    parsed.from_address, parsed.from_name = address, _one_line(name)[:150]


def _automatic(msg: Message, parsed: ParsedMessage) -> str:
    auto = _header(msg, "Auto-Submitted").lower()
    if auto and not auto.startswith("no"):
        return f"Auto-Submitted: {auto}"
    precedence = _header(msg, "Precedence").lower()
    if precedence in BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond"):
        if _header(msg, name):
            return name
    local = parsed.from_address.partition("@")[0]
    if local.startswith(AUTOMATIC_SENDERS):
        return f"sender {parsed.from_address}"
    if _header(msg, "Return-Path") == "<>" or msg.get_content_type() == "multipart/report":
        return "delivery status notification"
    return ""


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


class _HtmlText(HTMLParser):
    BLOCKS = frozenset(
        "p div h1 h2 h3 h4 h5 h6 ul ol table tr blockquote pre section article header footer hr "
        "address dl dt dd".split()
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("td", "th"):
            self.out.append(" ")
        elif tag in self.BLOCKS:
            self.out.append("\n\n")
        if tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.out.append("\n\n")
        if tag == "pre":
            self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        self.out.append(data if self.pre else re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Sanitise HTML (nh3: scripts, styles, event handlers and every attribute gone) and turn
    what is left into plain text that keeps paragraphs, line breaks and list items."""
    safe = nh3.clean(
        html,
        tags=set(_HtmlText.BLOCKS) | {"br", "li", "td", "th", "span", "b", "strong", "i", "em", "a"},
        clean_content_tags={"script", "style", "title", "head", "template"},
        attributes={},
        link_rel=None,
        strip_comments=True,
    )
    parser = _HtmlText()
    parser.feed(safe)
    parser.close()
    lines = [line.strip() for line in "".join(parser.out).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_QUOTE_HEADER_RE = re.compile(
    r"^\s*(?:(?:El|On)\b.{0,300}?(?:escribió|wrote)\s*:\s*$"
    r"|-{2,}\s*(?:Original Message|Mensaje original|Forwarded message|Mensaje reenviado)\s*-{2,}\s*$)",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)
_OUTLOOK_HEADER_RE = re.compile(r"^\s*(?:De|From)\s*:.*\n\s*(?:Enviado|Sent|Fecha|Date)\s*:", re.MULTILINE)


def strip_quoted(text: str) -> str:
    """The new part of a reply: cut at "El … escribió:" / "On … wrote:" / an Outlook header block,
    drop lines quoted with ">". The whole message stays in the stored raw e-mail."""
    cut = len(text)
    for pattern in (_QUOTE_HEADER_RE, _OUTLOOK_HEADER_RE):
        for found in pattern.finditer(text):
            # "El lun., 2 nov. 2026, 10:00, Soporte <…>" may wrap before "escribió:".
            if found.group(0).count("\n") <= 2:
                cut = min(cut, found.start())
                break
    kept = [line for line in text[:cut].splitlines() if not line.lstrip().startswith(">")]
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return result or text.strip()


def _attachment_name(part: Message, index: int) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    name = _one_line(name).replace("/", "_").replace("\\", "_").strip(". ")
    if not name:
        extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
        name = f"adjunto-{index}{extension}"
    if len(name) > _MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: _MAX_NAME - len(extension) - 1]}.{extension}" if dot else name[:_MAX_NAME]
    return name


def _collect_attachments(msg: Message, body_parts: set[int], parsed: ParsedMessage) -> None:
    def visit(part: Message) -> None:
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            content = inner.as_bytes() if isinstance(inner, Message) else b""
            name = _attachment_name(part, len(parsed.attachments) + 1)
            if not name.lower().endswith(".eml"):
                name = f"{name.rsplit('.', 1)[0] if '.' in name else name}.eml"
            parsed.attachments.append(ParsedAttachment(name, content_type, content))
            return
        if part.is_multipart():
            for sub in part.get_payload():
                if isinstance(sub, Message):
                    visit(sub)
            return
        if id(part) in body_parts:
            return
        disposition = (part.get_content_disposition() or "").lower()
        if part.get_content_maintype() == "text" and disposition != "attachment" and not part.get_filename():
            return  # a stray text part (a footer, an alternative we did not choose)
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        name = _attachment_name(part, len(parsed.attachments) + 1)
        parsed.attachments.append(ParsedAttachment(name, content_type, content))

    visit(msg)


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
    if html is not None:
        used.add(id(html))
        if not text:
            text = html_to_text(_part_text(html))
            parsed.body_was_html = True
    parsed.text = text
    return used


def parse_message(raw: bytes) -> ParsedMessage:
    """Read a message; never raises for bad input (what cannot be read is left empty)."""
    parsed = ParsedMessage()
    try:
        msg = email.message_from_bytes(raw, policy=policy.default)
    except Exception as error:
        parsed.defects.append(f"unreadable message: {error}")
        return parsed
    parsed.defects.extend(type(defect).__name__ for defect in getattr(msg, "defects", []))
    parsed.subject = _header(msg, "Subject")[:250]
    parsed.message_id = _header(msg, "Message-ID")[:998]
    parsed.in_reply_to = _header(msg, "In-Reply-To")[:998]
    parsed.references = _header(msg, "References")[:4000]
    _sender(msg, parsed)
    parsed.automatic = _automatic(msg, parsed)
    try:
        body_parts = _body(msg, parsed)  # type: ignore[arg-type]
        _collect_attachments(msg, body_parts, parsed)
    except Exception as error:
        parsed.defects.append(f"MIME structure could not be read: {error}")
    return parsed
