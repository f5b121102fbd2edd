"""Domain errors of the cases app. They are ValidationErrors so forms show them as they are."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class CaseError(ValidationError):
    """A case action that the rules do not allow; the message is for the user."""


class InvalidTransition(CaseError):
    pass


class RegistrationRefused(CaseError):
    """The request cannot become a case. ``refusal`` is the recorded RefusedRequest."""

    def __init__(self, message: str, *, code: str, refusal: object = None) -> None:
        super().__init__(message, code=code)
        self.refusal = refusal
