"""One change per form, however often it is sent.

Every state-changing form carries a one-time token (``{% form_token %}`` from the ``form_tokens``
tag library renders it as a hidden field). A view wrapped with :func:`idempotent` claims the token
in the same transaction as its change:

* the first POST inserts a :class:`FormSubmission` (the token is unique), runs the view and, when
  the view answers with a redirect (the post/redirect/get success), keeps the redirect target with
  the token; any other answer (a form error, a refusal shown in the page) releases the token, so the
  user can correct the form and send it again;
* a second POST with the same token waits on the unique index while the first is in flight, then
  finds the kept row and answers with the first's result: a redirect to the same place and a
  neutral message. The result comes from the database, never from the client;
* a token is honoured only for the user and the address it was first used with.

Sessions that send no token (scripts, pages rendered before this existed) are served as before;
the site's own forms always carry one (a test walks every POST form of the templates).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TOKEN_FIELD = "_form_token"  # noqa: S105 (the field's name, not a secret)
TOKEN_BYTES = 24  # 192 bits
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")  # what token_urlsafe(24) yields
KEEP_FOR = timedelta(days=7)
REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FormSubmission(models.Model):
    """A form token that was used, by whom, where, and the answer it got (the redirect target)."""

    token = models.CharField(gettext_lazy("form token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=gettext_lazy("user"),
    )
    path = models.TextField(gettext_lazy("form address"))
    result_url = models.TextField(gettext_lazy("result address"), blank=True)
    created_at = models.DateTimeField(gettext_lazy("first sent at"), db_index=True)

    class Meta:
        app_label = "cases"
        verbose_name = gettext_lazy("form submission")
        verbose_name_plural = gettext_lazy("form submissions")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.path}"


def form_token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def form_submission_claim(
    *, token: str, actor: User, path: str, now: datetime | None = None
) -> tuple[FormSubmission, bool]:
    """Take the token for this submission, or find who took it: (row, True) when it is ours now.

    Call it inside the transaction that makes the change. While another transaction holds the
    same token uncommitted, the insert waits on the unique index; it then finds the other's row
    (committed) or takes the token itself (the other rolled back or released it)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("form_submission_claim must run inside the transaction of the change")
    return FormSubmission.objects.get_or_create(
        token=token, defaults={"user": actor, "path": path, "created_at": now or timezone.now()}
    )


def form_submission_settle(*, submission: FormSubmission, result_url: str | None) -> None:
    """Keep the answer of a change with its token; without one (nothing was changed, the form is
    shown again), release the token so the same form can be sent again."""
    if result_url:
        submission.result_url = result_url
        submission.save(update_fields=["result_url"])
    else:
        submission.delete()


def form_submissions_prune(*, now: datetime | None = None, keep: timedelta = KEEP_FOR) -> int:
    """Forget tokens older than ``keep``: a form left open that long is sent as a new one."""
    deleted, _by_model = FormSubmission.objects.filter(created_at__lt=(now or timezone.now()) - keep).delete()
    return deleted


def _replay(request: HttpRequest, submission: FormSubmission) -> HttpResponse:
    messages.info(request, _("This request had already been sent; it was saved only once."))
    return HttpResponseRedirect(submission.result_url)


def _not_honoured(request: HttpRequest) -> HttpResponse:
    """A token that is not this user's for this address (or is malformed): nothing is done."""
    messages.error(
        request, _("This form could not be sent and nothing was saved. Reload the page and try again.")
    )
    referer = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(referer if safe else "/", status=303)


def idempotent(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Make a state-changing view answer a repeated form token with the first answer.

    Goes inside the login and permission decorators; GETs pass through untouched."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = request.POST.get(TOKEN_FIELD) if request.method == "POST" else None
        user = request.user
        if token is None or isinstance(user, AnonymousUser):
            return view(request, *args, **kwargs)
        if not TOKEN_PATTERN.fullmatch(token):
            return _not_honoured(request)
        with transaction.atomic():
            submission, claimed = form_submission_claim(token=token, actor=user, path=request.path)
            if not claimed:
                theirs = submission.user_id != user.pk or submission.path != request.path
                if theirs or not submission.result_url:
                    return _not_honoured(request)
                return _replay(request, submission)
            response = view(request, *args, **kwargs)
            redirected = response.status_code in REDIRECTS and response.has_header("Location")
            form_submission_settle(
                submission=submission, result_url=response["Location"] if redirected else None
            )
        return response

    wrapper.idempotent = True  # type: ignore[attr-defined]  # what the form coverage test looks for
    return wrapper
