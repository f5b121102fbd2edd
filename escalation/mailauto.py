"""Mail that a machine sent: out-of-office answers, delivery reports, list and bulk mail, other
auto-responders. Recognised by the standard signals (RFC 3834 ``Auto-Submitted``, Exchange's
``X-Auto-Response-Suppress``, ``Precedence``, RFC 2369/2919 list headers, an empty
``Return-Path``, RFC 3464 delivery reports) and by the subjects Outlook, Exchange and Gmail give
their out-of-office answers in Spanish and English. Such mail is never answered nor registered
(answering it is how mail loops start)."""

from __future__ import annotations

import re
from email.message import Message

from .mailtext import header

AUTOMATIC_SENDERS = ("mailer-daemon", "postmaster")
BULK_PRECEDENCE = {"bulk", "list", "junk", "auto_reply"}
REPORT_TYPES = {"multipart/report", "message/delivery-status", "message/disposition-notification"}
# The subject begins with the phrase, then a colon, a dash, a bracket or nothing: "Respuesta
# automática: …", "Fuera de la oficina: …", "Automatic reply: …", "Out of Office AutoReply: …".
# A request that merely mentions the office later in its subject is not caught.
OUT_OF_OFFICE_RE = re.compile(
    r"^\s*(?:(?:re|rv|aw|fw|fwd)\s*:\s*)*"
    r"(?:respuesta\s+autom[aá]tica|automatic\s+reply|auto[\s-]?reply|"
    r"(?:fuera\s+de\s+(?:la\s+)?oficina|out\s+of\s+(?:the\s+)?office)(?:\s+auto[\s-]?reply)?)"
    r"\s*(?:$|[:\-–—(\[])",
    re.IGNORECASE,
)


def _raw(msg: Message, name: str) -> str | None:
    """The first (topmost) raw value of a header, None when the message has none."""
    return next((str(v) for k, v in msg.raw_items() if k.lower() == name.lower()), None)


def _headers_say(msg: Message) -> str:
    auto = header(msg, "Auto-Submitted").lower()
    if auto and auto.split(";")[0].strip() != "no":
        return f"Auto-Submitted: {auto}"
    suppress = header(msg, "X-Auto-Response-Suppress")
    if suppress:
        return f"X-Auto-Response-Suppress: {suppress}"
    precedence = header(msg, "Precedence").lower().replace("-", "_")
    if precedence in BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in ("List-Id", "List-Unsubscribe", "X-Autoreply", "X-Autorespond"):
        if header(msg, name):
            return f"mailing list ({name})" if name.startswith("List") else name
    return ""


def _report(msg: Message) -> str:
    return_path = _raw(msg, "Return-Path")
    if return_path is not None and return_path.strip().strip("<>").strip() == "":
        return "empty Return-Path (a bounce or a report)"
    if msg.get_content_type() in REPORT_TYPES or header(msg, "X-Failed-Recipients"):
        return "delivery status notification"
    return ""


def automatic_reason(msg: Message, *, from_address: str, subject: str) -> str:
    """Why a machine sent this message ("" when a person did). English, for the log."""
    reason = _headers_say(msg) or _report(msg)
    if reason:
        return reason
    if from_address.partition("@")[0].startswith(AUTOMATIC_SENDERS):
        return f"sender {from_address}"
    if OUT_OF_OFFICE_RE.match(subject):
        return f"out-of-office subject {subject[:80]!r}"
    return ""
