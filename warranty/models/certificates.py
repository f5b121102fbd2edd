"""Support certificates: one per contracted product (installation), numbered, printed as a PDF with
a verification code. State changes go through ``warranty.services``; reads through
``warranty.selectors``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contracts.models import Customer, Installation, SupportContract


class CertificateSequence(models.Model):
    """The last certificate number handed out in a year. Numbers are never reused nor skipped."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("certificate number sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Certificate(models.Model):
    """A support certificate as issued: what it says is kept here as printed (later edits of the
    customer or the contract never rewrite an issued document), with its PDF and its code."""

    class Status(models.TextChoices):
        CURRENT = "current", _("current")
        REPLACED = "replaced", _("replaced")
        REVOKED = "revoked", _("revoked")

    number = models.CharField(_("certificate number"), max_length=20, unique=True, editable=False)
    installation = models.ForeignKey(
        Installation, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("installation")
    )
    contract = models.ForeignKey(
        SupportContract,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("support contract"),
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("customer")
    )
    # The verification code, normalised (Crockford base32, upper case, no separators): printed
    # grouped on the PDF and shown again on every download, so it is kept as is.
    code = models.CharField(_("verification code"), max_length=32, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CURRENT)

    # As printed.
    customer_name = models.CharField(_("company name"), max_length=200)
    customer_nit = models.CharField(_("NIT"), max_length=20)
    product_name = models.CharField(_("product"), max_length=120)
    product_version = models.CharField(_("version"), max_length=90)
    plan_name = models.CharField(_("support plan"), max_length=120)
    contract_number = models.CharField(_("contract number"), max_length=30)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    conditions = models.JSONField(_("warranty and service conditions"), default=list)

    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issuer_name = models.CharField(_("issuer"), max_length=150)
    pdf = models.FileField(_("PDF file"), upload_to="certificates/%Y/", max_length=200)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    ended_at = models.DateTimeField(_("replaced or revoked at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaced or revoked by"),
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        verbose_name = _("support certificate")
        verbose_name_plural = _("support certificates")
        ordering = ["-issued_at", "-number"]
        permissions = [
            ("issue_certificate", _("Can issue and re-issue support certificates")),
            ("revoke_certificate", _("Can revoke support certificates")),
        ]
        constraints = [
            # One current certificate per installation: re-issuing replaces it in the same transaction.
            models.UniqueConstraint(
                fields=["installation"],
                condition=Q(status="current"),
                name="certificate_one_current_per_installation",
            ),
            models.CheckConstraint(
                condition=Q(status="current", ended_at__isnull=True)
                | ~Q(status="current") & Q(ended_at__isnull=False),
                name="certificate_ended_iff_not_current",
            ),
        ]
        indexes = [models.Index(fields=["customer", "-issued_at"], name="certificate_customer_idx")]

    def __str__(self) -> str:
        return f"{self.number} · {self.product_name} · {self.customer_name}"


class CertificateEvent(models.Model):
    """The audit of certificates: who issued, replaced or revoked one, and when."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("issued")
        REPLACED = "replaced", _("replaced")
        REVOKED = "revoked", _("revoked")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="events", verbose_name=_("certificate")
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.certificate.number} {self.get_action_display()}"


class CertificateBatch(models.Model):
    """A bulk issue started from the admin: run by a Celery task, which counts its progress here."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
        help_text=_("Leave empty to issue for every customer."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("certificates to issue"), default=0)
    done = models.PositiveIntegerField(_("certificates issued"), default=0)
    failed = models.PositiveIntegerField(_("failures"), default=0)
    errors = models.TextField(_("errors"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    created_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk certificate issue")
        verbose_name_plural = _("bulk certificate issues")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.done}/{self.total}"
