"""Verification codes: 100 random bits from ``secrets`` written as 20 Crockford base32 characters,
printed in groups of four and read back whatever the case, the separators or the look-alike
letters (O for 0, I and L for 1)."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
LENGTH = 20  # 20 × 5 = 100 bits
GROUP = 4
BITS = LENGTH * 5
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -_.\t")


def code_new() -> str:
    """A new code, normalised (what is stored and looked up)."""
    value = secrets.randbits(BITS)
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(LENGTH)))


def code_normalise(text: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one (wrong length or letters)."""
    if len(text) > 64:
        return None
    code = text.upper().translate(_SEPARATORS).translate(_LOOK_ALIKES)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def code_grouped(code: str) -> str:
    """``7K2M-9QXD-…``: how a code is printed and shown."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
