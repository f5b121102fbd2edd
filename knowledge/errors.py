from django.core.exceptions import ValidationError


class KnowledgeError(ValidationError):
    """A knowledge-base rule refused the change; the message says why, in the user's language."""
