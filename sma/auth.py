"""Sign-in wiring: the lock-out after repeated wrong passwords (django-axes) and the sign-in view."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal import selectors as portal_selectors


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str | None:
    """The user name the failures are counted against: "Ana", " ana " and "ANA" are one counter.
    None (never counted, never locked) when no user name was given."""
    field = get_user_model().USERNAME_FIELD
    raw = (credentials or {}).get(field)
    if raw is None and request is not None:
        raw = request.POST.get(field)
    name = str(raw or "").strip().casefold()
    return name or None


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page a locked-out sign-in gets, in the site's layout (429 Too Many Requests)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


class SignInForm(AuthenticationForm):
    """Django's sign-in form; a technical contact whose designation ended is refused."""

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        contact = portal_selectors.contact_link(user)
        if contact is not None and not contact.is_active:
            raise ValidationError(
                _("Your designation as a technical contact has ended: you no longer have access."),
                code="designation_ended",
            )


class SignInView(auth_views.LoginView):
    """One sign-in page for everyone. A signed-in user is sent on, never back to this page (a
    "next" that points here would otherwise loop): staff to the "next" page or home, customers'
    contacts to the portal (to a "next" inside it, never to a staff page)."""

    redirect_authenticated_user = True
    authentication_form = SignInForm

    def get_success_url(self) -> str:
        url = self.get_redirect_url()
        if portal_selectors.current_contact(self.request.user) is not None:
            portal = reverse("portal:home")
            return url if url.startswith(portal) else portal
        return url or resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_redirect_url(self) -> str:
        url = super().get_redirect_url()
        if url and urlsplit(url).path == self.request.path:
            return ""
        return url


class InboxCountBackend(ModelBackend):
    """Django's model backend whose ``get_user`` (the signed-in user of every request) also reads
    the user's unread inbox items in the same query, as ``inbox_unread_count``: the navbar's bell
    is on every page and costs no query of its own (a scalar subquery on the partial index of
    unread items)."""

    def get_user(self, user_id: Any) -> Any:
        from escalation.models import InboxItem

        unread = (
            InboxItem.objects.filter(user_id=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("user_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        User = get_user_model()
        try:
            user = User._default_manager.annotate(
                inbox_unread_count=Coalesce(Subquery(unread), Value(0))
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; accounts of contacts whose designation ended get no link."""

    def get_users(self, email: str) -> Iterator[Any]:
        for user in super().get_users(email):
            contact = portal_selectors.contact_link(user)
            if contact is None or contact.is_active:
                yield user


class PasswordResetView(auth_views.PasswordResetView):
    """"Forgot your password?": an e-mail, in Spanish whatever the page's language, with a
    single-use link to choose a new password (valid for PASSWORD_RESET_TIMEOUT). The page says the
    same whether or not the address has an account."""

    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form: auth_forms.PasswordResetForm) -> HttpResponse:
        self.extra_email_context = {
            "site_url": settings.SMA_SITE_URL.rstrip("/"),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        with translation.override(settings.LANGUAGE_CODE):
            return super().form_valid(form)
