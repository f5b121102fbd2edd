"""What technical contacts ask for themselves: a change of their own data, approved by an admin,
and their consent to the product-news mailing list (Ley 1581 de 2012: who, when, the exact text
agreed to and from where), kept as a history that is only ever added to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ContactChangeRequest(models.Model):
    """A contact's request to change their own data. Nothing changes until an admin approves it;
    the approval applies it through ``technical_contact_update`` (recorded with who and when)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    contact = models.ForeignKey(
        "contracts.TechnicalContact",
        on_delete=models.CASCADE,
        related_name="change_requests",
        verbose_name=_("technical contact"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    before = models.JSONField(_("current data"), default=dict)
    proposed = models.JSONField(_("requested data"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("contact data change request")
        verbose_name_plural = _("contact data change requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(status="pending"),
                name="contactchangerequest_one_pending",
                violation_error_message=_("This contact already has a pending change request."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["requested_at"], name="contactchange_pending_idx", condition=Q(status="pending")
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} · {self.get_status_display()}"


class NewsConsent(models.Model):
    """One consent given to, or withdrawn from, the product-news mailing list."""

    class Action(models.TextChoices):
        GIVEN = "given", _("consent given")
        WITHDRAWN = "withdrawn", _("consent withdrawn")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Customer portal")
        EMAIL_LINK = "email_link", _("Unsubscribe link in an e-mail")
        ONE_CLICK = "one_click", _("One-click unsubscribe from the mail program")
        STAFF = "staff", _("Recorded by staff")

    contact = models.ForeignKey(
        "contracts.TechnicalContact",
        on_delete=models.CASCADE,
        related_name="news_consents",
        verbose_name=_("technical contact"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("at"))
    # Who: the contact's portal user (absent for a link in an e-mail, which names the contact).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    consent_text = models.TextField(_("text agreed to"), blank=True)
    text_version = models.CharField(_("text version"), max_length=20, blank=True)
    source = models.CharField(_("from"), max_length=12, choices=Source.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("product-news consent")
        verbose_name_plural = _("product-news consents")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="given") | ~Q(consent_text=""),
                name="newsconsent_given_has_text",
            ),
        ]
        indexes = [models.Index(fields=["contact", "-at"], name="newsconsent_contact_idx")]

    def __str__(self) -> str:
        return f"{self.contact} · {self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"
