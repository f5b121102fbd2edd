"""Display helpers for the case desk."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template

from .. import display
from ..selectors import Countdown

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    return display.duration(value)


@register.inclusion_tag("cases/partials/countdown.html")
def countdown(value: Countdown | None) -> dict[str, object]:
    if value is None:
        return {"state": "none"}
    return {"state": value.state, "text": display.countdown_text(value)}


@register.simple_tag
def status_badge_class(status: str) -> str:
    return display.STATUS_BADGE.get(status, "text-bg-light")


@register.filter
def person(user: object, fallback: str = "—") -> str:
    """A user's full name, else their username, else the fallback."""
    if user is None:
        return fallback
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]


@register.filter
def iso_datetime(value: object) -> datetime | None:
    """A datetime kept as ISO text in an activity's data (e.g. when an e-mail was sent), for the
    ``date`` filter; None when it is missing or not a date."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


@register.filter
def status_label(code: object) -> str:
    """A status code, as stored in an activity's data, shown with its label (— when missing)."""
    from ..models import CaseStatus

    if not code:
        return "—"
    try:
        return str(CaseStatus(code).label)
    except ValueError:
        return str(code)
