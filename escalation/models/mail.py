"""Customer e-mail: the outbox of messages to customers and the inbox of messages from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CustomerEmail(models.Model):
    """One e-mail owed to a customer. The row is written in the transaction of the event it tells
    of, so a broker that is down only delays it; ``key`` is unique, so an event is mailed once."""

    class Event(models.TextChoices):
        REGISTERED = "registered", _("Case registered")
        REPLY = "reply", _("Engineer's reply")
        SOLUTION = "solution", _("Solution proposed")
        CLOSED = "closed", _("Case closed")
        REOPENED = "reopened", _("Case reopened")
        PQR = "pqr", _("Escalation (PQR) update")
        REFUSED = "refused", _("Request refused")
        AUTO_REPLY = "auto_reply", _("Automatic answer")
        RMA = "rma", _("Hardware replacement (RMA) update")
        HOUR_BANK = "hour_bank", _("Hour bank notice")

    key = models.CharField(_("event key"), max_length=160, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=12, choices=Event.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="customer_emails",
        verbose_name=_("case"),
    )
    activity = models.ForeignKey(
        "cases.CaseActivity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity"),
    )
    to_name = models.CharField(_("recipient"), max_length=200, blank=True)
    to_email = models.EmailField(_("e-mail"))
    # Other designated contacts of the company copied on the case, as "Name <address>" (cases'
    # CaseCopy, read when the e-mail is written).
    cc = models.JSONField(_("copied to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField(_("message (text)"))
    body_html = models.TextField(_("message (HTML)"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=250, unique=True, editable=False)
    in_reply_to = models.CharField(_("in reply to"), max_length=998, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("customer e-mail")
        verbose_name_plural = _("customer e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["created_at"], name="customeremail_unsent_idx", condition=Q(sent_at__isnull=True)
            ),
            models.Index(fields=["case", "created_at"], name="customeremail_case_idx"),
            # The admin's log, newest first, a page at a time.
            models.Index(fields=["-created_at", "-id"], name="customeremail_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.to_email}"


class InboundEmail(models.Model):
    """A message received at the support address, kept whole (raw bytes) before anything is done
    with it, so that a crash or a bug loses nothing. One row per distinct message."""

    class Source(models.TextChoices):
        IMAP = "imap", _("IMAP mailbox")
        PIPE = "pipe", _("Mail server pipe")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, not processed yet")
        CASE = "case", _("New case registered")
        ACTIVITY = "activity", _("Added to a case")
        REFUSED = "refused", _("Refused, sender answered")
        IGNORED = "ignored", _("Ignored (automatic message)")
        FAILED = "failed", _("Could not be processed")
        HELD = "held", _("Held for review")

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    raw = models.BinaryField(_("message"))
    from_address = models.CharField(_("from"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, help_text=_("The sender's Date header."))
    received_at = models.DateTimeField(_("received at"))
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    defects = models.JSONField(_("parser defects"), default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    activity = models.ForeignKey(
        "cases.CaseActivity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity"),
    )
    refusal = models.ForeignKey(
        "cases.RefusedRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("refusal"),
    )

    class Meta:
        verbose_name = _("incoming e-mail")
        verbose_name_plural = _("incoming e-mails")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["received_at"], name="inbound_pending_idx", condition=Q(status="received")),
            models.Index(fields=["message_id"], name="inbound_message_id_idx"),
            models.Index(fields=["-received_at", "-id"], name="inbound_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_address} · {self.subject}"


class MailHistoryCutoff(models.Model):
    """Events up to ``starts_at`` are history loaded into SMA (the demo's past, an import from
    another desk): nobody is e-mailed about them, customers or staff. At most one row; with none,
    every event is mailed. It only moves forward."""

    key = models.CharField(_("key"), max_length=20, unique=True, default="default", editable=False)
    starts_at = models.DateTimeField(_("e-mail about events from"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    set_at = models.DateTimeField(_("set at"))

    class Meta:
        verbose_name = _("e-mail start")
        verbose_name_plural = _("e-mail start")

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"
