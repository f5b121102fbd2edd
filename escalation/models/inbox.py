"""The staff inbox in SMA: one item per (user, notification), read or not."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InboxItem(models.Model):
    """A notification as one staff user's inbox holds it. Written once per (user, notification)
    (unique) in the transaction that writes the notification; reading it sets ``read_at``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inbox_items",
        verbose_name=_("user"),
    )
    notification = models.ForeignKey(
        "escalation.Notification",
        on_delete=models.CASCADE,
        related_name="inbox_items",
        verbose_name=_("notification"),
    )
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "notification"], name="inboxitem_once_per_user"),
        ]
        indexes = [
            # The navbar's bell on every page: COUNT(*) of a user's unread items.
            models.Index(fields=["user"], name="inbox_unread_idx", condition=Q(read_at__isnull=True)),
            # The inbox, newest first, a page at a time.
            models.Index(fields=["user", "-created_at", "-id"], name="inbox_user_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.notification_id}"
