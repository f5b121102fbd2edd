"""Canned replies' placeholders: pure text, no database.

``{contacto}`` the requester's name, ``{caso}`` the case number, ``{vence}`` the attention
deadline, ``{ingeniero}`` the engineer writing. Any other text in braces is left as it is, so a
reply may quote a literal ``{`` or an error message with braces.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACEHOLDERS = ("contacto", "caso", "vence", "ingeniero")
_PLACEHOLDER_RE = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
_ANY_RE = re.compile(r"\{([a-záéíóúñ_]+)\}", re.IGNORECASE)


def fill(body: str, values: dict[str, str]) -> str:
    """The reply with each known placeholder replaced by its value ('' when it has none)."""
    return _PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), ""), body)


def validate_placeholders(body: str) -> None:
    """Refuses a word in braces that is not a placeholder (a typo like {contato} would otherwise
    reach a customer as it is)."""
    unknown = sorted({m.group(1) for m in _ANY_RE.finditer(body)} - set(PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(unknown)s. Use %(known)s.")
            % {
                "unknown": ", ".join("{" + u + "}" for u in unknown),
                "known": ", ".join("{" + p + "}" for p in PLACEHOLDERS),
            },
            code="unknown_placeholder",
        )
