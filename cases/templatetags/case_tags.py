"""Display helpers for the case desk."""

from __future__ import annotations

from datetime import timedelta

from django import template

from .. import display
from ..selectors import Countdown

register = template.Library()


@register.filter
def bar_width(percent: object) -> str:
    """The class that sets a progress bar's width (0–100 %, rounded): no inline style, which the
    Content-Security-Policy refuses."""
    try:
        value = round(float(percent))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = 0
    return f"sma-pct-{min(max(value, 0), 100)}"


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


@register.simple_tag
def timeline_entries(activities: list, case_number: str) -> str:
    """The entries of one timeline page (see cases.timeline_display)."""
    from ..timeline_display import timeline_html

    return timeline_html(activities, case_number=case_number)
