from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def product(request: HttpRequest) -> dict[str, str]:
    return {"SMA_PRODUCT_NAME": settings.SMA_PRODUCT_NAME}


def inbox(request: HttpRequest) -> dict[str, object]:
    """The navbar bell's unread count for staff: read with the user by sma.auth.InboxCountBackend
    (no query of its own); else one COUNT on the partial index of unread items, only when a page
    shows the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {}
    known = getattr(user, "inbox_unread_count", None)
    if isinstance(known, int):
        return {"inbox_unread": known}
    from escalation.selectors import inbox_unread_count

    return {"inbox_unread": SimpleLazyObject(lambda: inbox_unread_count(user_id=user.pk))}
