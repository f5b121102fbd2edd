"""The text of an e-mail as a person reads it: bytes that PostgreSQL and a template can hold, HTML
turned into plain text (sanitised with nh3), and the new part of a reply without the quoted
history. Pure functions, no database."""

from __future__ import annotations

import re
from email.header import decode_header, make_header
from email.message import Message
from html.parser import HTMLParser

import nh3

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


def one_line(value: str) -> str:
    return " ".join(clean_text(value).split())


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
            # "El lun., 2 nov. 2026, 10:00, Soporte <…>" may wrap before "escribió:" (blank lines
            # the match starts with do not count).
            matched = found.group(0)
            if matched.strip().count("\n") <= 2:
                cut = min(cut, found.start() + len(matched) - len(matched.lstrip()))
                break
    kept = [line for line in text[:cut].splitlines() if not line.lstrip().startswith(">")]
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return result or text.strip()


def header(msg: Message, name: str) -> str:
    """A header decoded (RFC 2047, any charset) on one line, or its raw text if it cannot be
    decoded; "" when the message has no such header."""
    try:
        value = msg.get(name)
        return one_line(str(value)) if value is not None else ""
    except Exception:
        raw = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), "")
        try:
            return one_line(str(make_header(decode_header(raw))))
        except Exception:
            return one_line(str(raw))
