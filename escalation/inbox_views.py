"""The staff inbox in SMA: the notifications that reached the signed-in user, newest first, a page
at a time (unread only or all), each linking to its case; marking one or all read is a POST."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from cases.idempotency import idempotent
from contracts.actors import request_actor

from . import selectors
from .services import inbox as inbox_services

PER_PAGE = 25
SHOW_ALL, SHOW_UNREAD = "todas", "no-leidas"
TABS = [(SHOW_ALL, gettext_lazy("All")), (SHOW_UNREAD, gettext_lazy("Unread"))]


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only staff have an inbox (customers' contacts never reach staff pages)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _show(value: object) -> str:
    return SHOW_UNREAD if value == SHOW_UNREAD else SHOW_ALL


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """Back to the inbox page the form was on (filter and page from the form, checked)."""
    query = {"ver": _show(request.POST.get("ver"))}
    page = request.POST.get("page", "")
    if page.isascii() and page.isdigit() and 1 < int(page) < 100000:
        query["page"] = page
    return HttpResponseRedirect(f"{reverse('escalation:inbox')}?{urlencode(query)}")


@login_required
@staff_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    show = _show(request.GET.get("ver"))
    items = selectors.inbox_items(user_id=request_actor(request).pk, unread_only=show == SHOW_UNREAD)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "escalation/inbox.html", {"page": page, "show": show, "tabs": TABS})


@login_required
@staff_required
@require_POST
@idempotent
def inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not inbox_services.inbox_mark_read(actor=request_actor(request), item_id=pk):
        raise Http404
    return _back(request)


@login_required
@staff_required
@require_POST
@idempotent
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    marked = inbox_services.inbox_mark_all_read(actor=request_actor(request))
    if marked:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.", "%(count)d notifications marked as read.", marked
            )
            % {"count": marked},
        )
    return _back(request)
