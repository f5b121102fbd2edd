from django.conf import settings
from django.http import HttpRequest


def product(request: HttpRequest) -> dict[str, str]:
    return {"SMA_PRODUCT_NAME": settings.SMA_PRODUCT_NAME}
