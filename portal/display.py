"""What the portal shows of cases, built in Python and escaped: the list's rows and the public
timeline. A customer sees engineers by first name only, and never an internal flag or note."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cases.display import STATUS_BADGE, countdown_text
from cases.models import CaseActivity, CaseStatus
from cases.selectors import CaseListItem, Countdown

# A paper clip drawn in SVG (an emoji needs a font the computer may not have).
CLIP = (
    '<svg class="sma-icon" width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
    '<path d="M20.5 11.5l-8.2 8.2a5 5 0 0 1-7.1-7.1l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7'
    'l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8" fill="none" stroke="currentColor" stroke-width="1.8"'
    ' stroke-linecap="round"/></svg>'
)


def clock_texts() -> dict[str, str]:
    """The live countdown's sentences (the desk's own wording), for the page's script."""
    return {
        "pending": _("due in %(time)s business time"),
        "at_risk": _("at risk: due in %(time)s business time"),
        "breached": _("overdue by %(time)s business time"),
    }


def first_name(user: object) -> str:
    """An engineer as the customer sees them: the first name (the user name if there is none)."""
    if user is None:
        return ""
    name = (getattr(user, "first_name", "") or "").split()
    return name[0] if name else str(getattr(user, "username", ""))


@dataclass(frozen=True)
class Row:
    number: str
    subject: str
    product: str
    status: str
    status_label: str
    status_badge: str
    priority: str
    registered_at: datetime
    due_at: datetime | None
    countdown_state: str
    countdown_text: str
    engineer: str


def case_rows(items: list[CaseListItem], countdowns: dict[int, Countdown]) -> list[Row]:
    labels = {value: str(label) for value, label in CaseStatus.choices}
    rows = []
    for item in items:
        countdown = countdowns.get(item.pk)
        rows.append(
            Row(
                number=item.number,
                subject=item.subject,
                product=item.product_name,
                status=item.status,
                status_label=labels.get(item.status, item.status),
                status_badge=STATUS_BADGE.get(item.status, "text-bg-light"),
                priority=item.priority,
                registered_at=item.registered_at,
                due_at=item.attention_due_at,
                countdown_state=countdown.state if countdown else "",
                countdown_text=countdown_text(countdown),
                engineer=(item.assignee_first_name or "").split()[0]
                if (item.assignee_first_name or "").strip()
                else (item.assignee_username or ""),
            )
        )
    return rows


def _status(code: object) -> str:
    try:
        return str(CaseStatus(str(code)).label)
    except ValueError:
        return "—"


def _author(activity: CaseActivity) -> str:
    author = activity.author
    if author is None:
        return _("Calltech support")
    if author.is_staff:
        return first_name(author) + " · Calltech"
    return author.get_full_name() or author.get_username()


def timeline_html(activities: Iterable[CaseActivity], *, case_number: str) -> SafeString:
    """The public timeline's ``<li>`` entries, oldest first, each with its public files."""
    tz = timezone.get_current_timezone()
    first = reverse("portal:attachment", args=[case_number, 0])
    file_base = first[: first.rstrip("/").rfind("/") + 1]
    parts: list[str] = []
    for a in activities:
        local = a.created_at.astimezone(tz)
        change = ""
        data = a.data if isinstance(a.data, dict) else {}
        if a.kind == "status_change":
            change = f"{_status(data.get('from'))} → {_status(data.get('to'))}"
        elif a.kind == "priority_change":
            change = f"{data.get('from') or '—'} → {data.get('to', '')}"
        parts.append(
            f'<li class="sma-timeline-item sma-activity-{escape(a.kind)}" id="actividad-{a.pk}">'
            '<div class="d-flex flex-wrap justify-content-between gap-2">'
            f"<strong>{escape(str(a.get_kind_display()))}</strong>"
            f'<span class="small text-body-secondary"><time datetime="{local.isoformat()}">'
            f"{local:%d/%m/%Y %H:%M}</time> · {escape(_author(a))}</span></div>"
        )
        if change:
            parts.append(f'<div class="small">{escape(change)}</div>')
        if a.body:
            parts.append(f'<div class="sma-prewrap mt-1">{escape(a.body)}</div>')
        for f in getattr(a, "public_files", []):
            parts.append(
                f'<div class="small mt-1">{CLIP} <a href="{file_base}{f.pk}/">{escape(f.original_name)}</a>'
                f" ({filesizeformat(f.size)})</div>"
            )
        parts.append("</li>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
