"""Display helpers for the case desk."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

from ..selectors import Countdown

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """2 h 05 m · 45 m · 3 d 4 h (business time shown as hours and minutes)."""
    if value is None:
        return ""
    minutes = int(abs(value).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes:02d} m"
    if hours:
        return f"{hours} h"
    return f"{minutes} m"


@register.inclusion_tag("cases/partials/countdown.html")
def countdown(value: Countdown | None) -> dict[str, object]:
    if value is None:
        return {"state": "none"}
    text = ""
    if value.state == "pending":
        text = _("due in %(time)s business time") % {"time": duration(value.remaining)}
    elif value.state == "breached":
        text = _("overdue by %(time)s business time") % {"time": duration(value.remaining)}
    elif value.state == "met":
        text = _("attended in time")
    elif value.state == "missed":
        text = _("attended late")
    elif value.state == "no_priority":
        text = _("awaiting priority")
    return {"state": value.state, "text": text}


@register.simple_tag
def status_badge_class(status: str) -> str:
    return {
        "new": "text-bg-primary",
        "assigned": "text-bg-info",
        "in_progress": "text-bg-secondary",
        "waiting_customer": "text-bg-warning",
        "solution_proposed": "text-bg-success",
        "closed": "text-bg-dark",
        "reopened": "text-bg-danger",
    }.get(status, "text-bg-light")


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if mapping else None


@register.filter
def person(user: object, fallback: str = "—") -> str:
    """A user's full name, else their username, else the fallback."""
    if user is None:
        return fallback
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]
