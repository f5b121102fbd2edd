"""Server-side SVG charts (no JavaScript, no library): horizontal bars and weekly columns. Each
chart is drawn next to the table holding its numbers; labels and values are escaped."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

BAR_COLOURS = {"ok": "#12b76a", "bad": "#d92d20", "warn": "#f79009", "info": "#2e90fa"}


def hbars(
    items: list[tuple[str, float, str, str]], *, title: str, max_value: float | None = None
) -> SafeString:
    """One bar per item: (label, value, value as shown, colour key)."""
    if not items:
        return mark_safe("")
    top = max_value or max((v for _l, v, _s, _c in items), default=0) or 1
    row, label_w, bar_w, width = 26, 150, 250, 460
    height = row * len(items) + 6
    parts = [
        f'<svg class="sma-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
    ]
    for i, (label, value, shown, colour) in enumerate(items):
        y = 3 + i * row
        w = max(0.0, min(1.0, value / top)) * bar_w
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" class="sma-chart-label">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="18" rx="3" fill="#f2f4f7"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="18" rx="3" '
            f'fill="{BAR_COLOURS.get(colour, BAR_COLOURS["info"])}"/>'
            f'<text x="{label_w + bar_w + 6}" y="{y + 16}" class="sma-chart-value">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def columns(items: list[tuple[str, int, int]], *, title: str) -> SafeString:
    """Weekly columns: (week label, met, breached) — breached in red on top of met in green."""
    if not items:
        return mark_safe("")
    top = max((m + b for _l, m, b in items), default=0) or 1
    col, height, base, width = 38, 190, 160, 40 + 38 * len(items)
    parts = [
        f'<svg class="sma-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
        f'<line x1="30" y1="{base}" x2="{width}" y2="{base}" stroke="#d0d5dd"/>'
    ]
    scale = (base - 20) / top
    for i, (label, met, breached) in enumerate(items):
        x = 36 + i * col
        h_met, h_breached = met * scale, breached * scale
        parts.append(
            f'<rect x="{x}" y="{base - h_met:.1f}" width="{col - 10}" height="{h_met:.1f}" fill="#a6f4c5">'
            f"<title>{escape(label)}: {met}</title></rect>"
            f'<rect x="{x}" y="{base - h_met - h_breached:.1f}" width="{col - 10}" height="{h_breached:.1f}" '
            f'fill="{BAR_COLOURS["bad"]}"><title>{escape(label)}: {breached}</title></rect>'
            f'<text x="{x + (col - 10) / 2}" y="{base - h_met - h_breached - 4:.1f}" text-anchor="middle" '
            f'class="sma-chart-value">{breached}</text>'
            f'<text x="{x + (col - 10) / 2}" y="{base + 14}" text-anchor="middle" class="sma-chart-label">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
