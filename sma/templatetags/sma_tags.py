"""Tags for pages rendered without a request (the 400, 500 and CSRF error pages): no context
processors run there, so what the layout needs comes from settings directly."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def product_name() -> str:
    return str(settings.SMA_PRODUCT_NAME)
