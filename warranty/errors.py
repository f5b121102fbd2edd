"""Domain errors of the warranty app: ValidationErrors, so forms and views show them as they are."""

from __future__ import annotations

from cases.errors import CaseError


class WarrantyError(CaseError):
    """A warranty action the rules do not allow; the message is for the user."""
