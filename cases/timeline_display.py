"""A page of a case's timeline as HTML, built in one pass in Python (a template loop with a dozen
tags per entry cost most of the case page's time). Everything from the database is escaped."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import CaseActivity, CaseStatus


def _status(code: object) -> str:
    if not code:
        return "—"
    try:
        return str(CaseStatus(str(code)).label)
    except ValueError:
        return str(code)


def _change(activity: CaseActivity) -> str:
    data = activity.data if isinstance(activity.data, dict) else {}
    if activity.kind == "status_change":
        text = f"{_status(data.get('from'))} → {_status(data.get('to'))}"
    elif activity.kind == "priority_change":
        text = f"{data.get('from') or '—'} → {data.get('to', '')}"
    elif activity.kind == "tier_change":
        text = f"N{data.get('from', '')} → N{data.get('to', '')}"
    else:
        return ""
    return f'<div class="small">{escape(text)}</div>'


def _sent_at(activity: CaseActivity) -> datetime | None:
    """When the sender says an e-mail was sent (kept as ISO text in the activity's data; shown
    as "enviado …" next to when it was received)."""
    value = activity.data.get("sent_at") if isinstance(activity.data, dict) else None
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def timeline_html(activities: Iterable[CaseActivity], *, case_number: str) -> SafeString:
    """The ``<li>`` entries of the timeline, oldest first, each with its files."""
    tz = timezone.get_current_timezone()
    system, internal, sent_word = escape(_("system")), escape(_("internal")), escape(_("sent"))
    nobody = (
        ' · <span class="badge text-bg-danger" data-testid="reached-nobody">'
        f"{escape(_('reached nobody'))}</span>"
    )
    damaged = (
        f' <span class="badge text-bg-warning" '
        f'title="{escape(_("It arrived incomplete (a cut-off e-mail); kept as received."))}">'
        f"{escape(_('damaged'))}</span>"
    )
    first_file = reverse("cases:attachment", args=[case_number, 0])
    file_base = first_file[: first_file.rstrip("/").rfind("/") + 1]  # …/adjuntos/
    parts: list[str] = []
    for a in activities:
        local = a.created_at.astimezone(tz)
        author = a.author
        who = escape(author.get_full_name() or author.get_username()) if author is not None else system
        hidden = "" if a.is_public else f' · <span class="badge text-bg-secondary">{internal}</span>'
        sent = _sent_at(a)
        if sent is not None:
            sent_local = sent.astimezone(tz) if sent.tzinfo else sent
            hidden = (
                f' · <span data-testid="sent-at">{sent_word} <time datetime="{sent_local.isoformat()}">'
                f"{sent_local:%d/%m/%Y %H:%M}</time></span>{hidden}"
            )
        if a.minutes_spent:
            spent = _("%(minutes)s min spent") % {"minutes": a.minutes_spent}
            hidden += f' · <span data-testid="minutes-spent">{escape(spent)}</span>'
        if isinstance(a.data, dict) and a.data.get("reached_nobody"):
            hidden += nobody  # a notification none of whose recipients could be reached
        css = "" if a.is_public else " sma-internal"
        parts.append(
            f'<li class="sma-timeline-item sma-activity-{escape(a.kind)}{css}"'
            f' id="activity-{a.pk}"><div class="d-flex flex-wrap justify-content-between gap-2">'
            f"<strong>{escape(str(a.get_kind_display()))}</strong>"
            f'<span class="small text-body-secondary"><time datetime="{local.isoformat()}">'
            f"{local:%d/%m/%Y %H:%M}</time> · {who}{hidden}</span></div>{_change(a)}"
        )
        if a.body:
            parts.append(f'<div class="sma-prewrap mt-1">{escape(a.body)}</div>')
        for f in a.attachments.all():
            parts.append(
                f'<div class="small mt-1">📎 <a href="{file_base}{f.pk}/">{escape(f.original_name)}</a>'
                f" ({filesizeformat(f.size)}){damaged if f.damaged else ''}</div>"
            )
        parts.append("</li>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
