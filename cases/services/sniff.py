"""Is an uploaded file a web page or an SVG in disguise? Pure functions on the file's first bytes.

A browser that sniffs a text file reads past a byte-order mark, decodes UTF-16 and UTF-32, and an
XML parser skips the XML declaration, comments, a doctype and processing instructions before the
first element. So the check does the same: decode the head as the browser would, skip that prolog,
and look at the first element. Markup deeper in the file (a log line quoting ``<html>``) is not a
page and is accepted; a log4j or Maven XML file is accepted; ``<html``, ``<svg``, ``<script`` and
their kin as the document's start, or anything in the XHTML or SVG namespace, are refused.
"""

from __future__ import annotations

import codecs
import re

# How much of the file is read: enough for a licence comment before an XML file's root element.
SNIFF_BYTES = 16 * 1024

# Elements that make a document something a browser renders or runs (HTML, SVG, scripts, frames).
ACTIVE_ELEMENTS = frozenset(
    {"html", "head", "body", "script", "svg", "iframe", "frameset", "object", "embed"}
)
# An XML document of any root in these namespaces can carry a running script.
ACTIVE_NAMESPACES = ("http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg")

_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NAME = re.compile(r"<([a-z][a-z0-9._:-]*)")
_HTML_DOCTYPE = re.compile(r"<!doctype\s+html\b")
_MARKUP_START = re.compile(r"<[a-z!?]")  # "<?xml", "<!--", "<root": not a syslog "<14>"
_ANY_ACTIVE = re.compile(r"<(?:[a-z0-9._-]+:)?(?:" + "|".join(sorted(ACTIVE_ELEMENTS)) + r")\b")
_BLANK = " \t\r\n\f\v\x00\ufeff"


def decodings(head: bytes) -> list[str]:
    """The head as text, in every encoding a browser could take it for: the one its byte-order
    mark names, else UTF-8/Latin-1 and, when NUL bytes fall in a UTF-16 or UTF-32 pattern, those."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return [head[len(bom) :].decode(encoding, errors="ignore")]
    texts = [head.decode("utf-8", errors="ignore")]
    sample = head[:512]
    if sample.count(0) * 4 >= len(sample) > 0:  # a quarter or more NULs: wide characters
        for encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            usable = len(head) - len(head) % (4 if "32" in encoding else 2)
            texts.append(head[:usable].decode(encoding, errors="ignore"))
    return texts


def _after(text: str, token: str, start: int = 0) -> int:
    """Index just past the first ``token`` at or after ``start``; -1 when there is none."""
    found = text.find(token, start) if start >= 0 else -1
    return found + len(token) if found >= 0 else -1


def _after_subset(text: str, start: int) -> int:
    """Index just past a doctype's internal subset and the doctype's ">"; a "]" inside a quoted
    entity value does not end it. -1 when it does not end in the text."""
    quote = ""
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "]":
            return _after(text, ">", index)
    return -1


def _skip_prolog(text: str) -> tuple[str, bool]:
    """The text from its first element on, after whitespace, the XML declaration, processing
    instructions, comments and a doctype; and whether an active instruction or doctype was met
    (``<?xml-stylesheet``, ``<!doctype html``). A prolog that does not end inside the head is
    returned as it stands (the caller treats an unfinished ``<`` construct as suspect)."""
    while True:
        text = text.lstrip(_BLANK)
        if text.startswith("<?xml-stylesheet") or _HTML_DOCTYPE.match(text):
            return text, True
        if text.startswith("<?"):
            after = _after(text, "?>")
        elif text.startswith("<!--"):
            after = _after(text, "-->", 4)
        elif text.startswith("<!doctype"):
            subset, close = text.find("["), text.find(">")
            if 0 <= subset < close:  # an internal subset: "[ … ]" then ">"
                after = _after_subset(text, subset + 1)
            else:
                after = _after(text, ">")
        else:
            return text, False
        if after < 0:
            return text, False
        text = text[after:]


def looks_active(head: bytes) -> bool:
    """Whether a file starting with ``head`` is a web page, an SVG or a script to a browser."""
    for text in decodings(head):
        lowered = text.lower()
        rest, active = _skip_prolog(lowered)
        if active:
            return True
        if rest.startswith(("<!--", "<?", "<!doctype")):
            return True  # a prolog longer than the head: cannot be vouched for
        match = _NAME.match(rest)
        if match is None:
            # Markup whose first element could not be found: look for an active one anywhere.
            if _MARKUP_START.match(lowered.lstrip(_BLANK)) and _ANY_ACTIVE.search(lowered):
                return True
            continue
        if match.group(1).rsplit(":", 1)[-1] in ACTIVE_ELEMENTS:  # <svg>, <svg:svg>, <x:script>
            return True
        if any(namespace in lowered for namespace in ACTIVE_NAMESPACES):
            return True
    return False
