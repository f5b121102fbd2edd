"""``{% form_token %}``: the one-time token every state-changing form carries (see cases.idempotency).

Put it next to ``{% csrf_token %}``; a view wrapped with ``@idempotent`` then makes one change
however often the form is sent, and sma.js disables the form's buttons once it is submitted."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cases.idempotency import TOKEN_FIELD, form_token_new

register = template.Library()


@register.simple_tag
def form_token() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, form_token_new())
