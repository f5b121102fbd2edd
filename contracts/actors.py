"""Who acts on the desk. Services type their actor as Django's ``auth.User`` (the
``AUTH_USER_MODEL``); views and the admin get it from the request here."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def request_actor(request: HttpRequest) -> User:
    """The signed-in user of a request past the login check; anyone else is refused (403)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
