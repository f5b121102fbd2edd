"""Spanish unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language header, which would show English to
most browsers out of the box. SMA speaks es-CO by default and switches only when the user picks a
language (the language cookie set by Django's ``set_language`` view).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class DefaultLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreForSignedInMiddleware:
    """Nothing shown to a signed-in user is kept by the browser or a proxy cache.

    Case pages, lists, PQRs and contracts carry contacts' names, telephones and e-mail addresses;
    a shared computer's back button or disk cache must not show them to the next person. Static
    files are served before this point (WhiteNoise) and stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
