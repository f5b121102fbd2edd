"""Who may use the portal: signed-in users with an active technical-contact designation.

``contact_required`` guards every portal view. ``PortalBoundaryMiddleware`` keeps contacts inside
the portal: a contact whose designation ended is signed out on their next request (mid-session
too), and a contact never reaches a staff page (404; the home page sends them to the portal).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors

View = Callable[..., HttpResponseBase]


def _sign_out_ended(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.warning(
        request, _("Your designation as a technical contact has ended: you no longer have access.")
    )
    return HttpResponseRedirect(reverse("login"))


def contact_required(view: View) -> View:
    """A signed-in user with an active designation; sets ``request.contact``. Anonymous users go
    to the sign-in page; staff and other accounts get 404 (the portal is not theirs)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        contact = getattr(request, "portal_contact", None) or selectors.contact_link(request.user)
        if contact is None:
            raise Http404
        if not contact.is_active:
            return _sign_out_ended(request)
        request.contact = contact  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def company_case_view(*methods: str) -> Callable[[View], View]:
    """A portal view of one of the company's cases, reached by ``number`` or ``pk`` in the URL:
    contact_required, then the case looked up among the company's cases (404 otherwise, whatever
    the method), then the method checked (405). The view gets ``case`` instead of number/pk.

        @company_case_view("POST")
        def case_comment(request, case): ...
    """
    allowed = [m.upper() for m in methods] or ["GET"]

    def decorator(view: View) -> View:
        @contact_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            contact = request.contact  # type: ignore[attr-defined]
            if "number" in kwargs:
                case = selectors.company_case_or_404(contact, kwargs.pop("number"))
            else:
                case = selectors.company_case_by_id_or_404(contact, kwargs.pop("pk"))
            if request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            return view(request, case, *args, **kwargs)

        return wrapped

    return decorator


# Paths a contact may reach besides the portal: signing in and out, the language switch, the
# password pages, and the public verification of support certificates (open to anyone).
_CONTACT_PATHS = ("/ingresar/", "/salir/", "/i18n/", "/clave/", "/verificar/")


class PortalBoundaryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_staff or user.is_superuser:
            return self.get_response(request)
        contact = selectors.contact_link(user)
        if contact is None:
            return self.get_response(request)
        if not contact.is_active:
            return _sign_out_ended(request)
        request.portal_contact = contact  # type: ignore[attr-defined]
        request.contact = contact  # type: ignore[attr-defined]
        path = request.path_info
        portal = reverse("portal:home")
        if path.startswith(portal) or path.startswith(_CONTACT_PATHS):
            return self.get_response(request)
        if path == "/":
            return HttpResponseRedirect(portal)
        raise Http404
