"""The escalation matrix (N1–N6), the escalation rules and the on-call roster — all data an admin
edits. (The matrix's levels are not the support tiers N1–N4 of case handling.)"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class EscalationLevel(models.Model):
    number = models.PositiveSmallIntegerField(
        _("level"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("escalation level")
        verbose_name_plural = _("escalation matrix")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"N{self.number} · {self.name}"


class EscalationContact(models.Model):
    level = models.ForeignKey(
        EscalationLevel, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("level")
    )
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120)
    phone_extension = models.CharField(_("extension"), max_length=10, blank=True)
    mobile = PhoneNumberField(_("mobile"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalation_contacts",
        limit_choices_to={"is_staff": True, "is_active": True},
        verbose_name=_("staff account"),
        help_text=_("Notifications reach this person in SMA (and by the account's e-mail)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("escalation contact")
        verbose_name_plural = _("escalation contacts")
        ordering = ["level__number", "order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"

    def clean(self) -> None:
        """A contact someone is notified through must be reachable: a staff account (the inbox in
        SMA) or an e-mail address. Rows from before this rule stay until edited; the admin lists the
        levels nobody can be reached at."""
        super().clean()
        if self.user_id is None and not self.email:
            raise ValidationError(
                _("Link the contact to a staff account or give an e-mail: otherwise nobody is notified."),
                code="unreachable",
            )
        if self.user_id is not None and self.user is not None and not self.user.is_staff:
            raise ValidationError(
                {"user": _("Only a staff account receives escalations.")}, code="not_staff"
            )

    @property
    def is_reachable(self) -> bool:
        return self.user_id is not None or bool(self.email)


class EscalationRule(models.Model):
    """When a share of the attention time is consumed without a first response, notify someone."""

    class Target(models.TextChoices):
        ASSIGNEE = "assignee", _("The assigned engineer (the support area when unassigned)")
        LEVEL = "level", _("A level of the escalation matrix")

    name = models.CharField(_("name"), max_length=120)
    share_percent = models.PositiveSmallIntegerField(
        _("attention time consumed (%)"),
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_(
            "75 warns before the deadline, 100 is the breach, 150 and 200 are later. The first active "
            "warning (below 100) also marks unanswered cases as at risk in the case lists."
        ),
    )
    target = models.CharField(_("notify"), max_length=10, choices=Target.choices)
    level = models.ForeignKey(
        EscalationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rules",
        verbose_name=_("escalation level"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")
        ordering = ["share_percent"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target="assignee") | Q(level__isnull=False),
                name="escalationrule_level_when_targeted",
                violation_error_message=_("Choose the escalation level to notify."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.share_percent} % → {self.level or self.get_target_display()}"


class OnCallShift(models.Model):
    """An engineer on duty for Platinum 24x7 customers outside office hours."""

    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="on_call_shifts",
        verbose_name=_("engineer"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    phone = PhoneNumberField(_("phone while on duty"), blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("on-call shift")
        verbose_name_plural = _("on-call roster")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="oncallshift_ends_after_start",
                violation_error_message=_("A shift must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="oncall_window_idx")]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.engineer} {start:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """One notification owed about a case: the outbox (sent_at empty until it went out) and the log
    an admin reads. A rule fires once per deadline: (case, rule, deadline) is unique, so when a
    case's deadline moves (a priority change, a calendar edit) its rules fire again for the new one."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Attention time about to expire")
        BREACH = "breach", _("Attention time expired")
        ESCALATION = "escalation", _("Escalation")
        ON_CALL = "on_call", _("On-duty engineer called")
        PQR = "pqr", _("Customer escalation (PQR)")
        CUSTOMER_MESSAGE = "customer_msg", _("The customer wrote")
        RMA_WARNING = "rma_warning", _("Replacement delivery about to expire (RMA)")
        RMA_BREACH = "rma_breach", _("Replacement delivery expired (RMA)")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="notifications", verbose_name=_("case")
    )
    rule = models.ForeignKey(
        EscalationRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("rule"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # A PQR reaching a level notifies that level once.
    pqr_step = models.OneToOneField(
        "escalation.PqrStep",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification",
        verbose_name=_("PQR step"),
    )
    # A message from the customer tells the engineer once (one notification per activity).
    activity = models.OneToOneField(
        "cases.CaseActivity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity"),
    )
    level = models.ForeignKey(
        EscalationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level"),
    )
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    due_at = models.DateTimeField(_("due at"), help_text=_("The instant the rule fired."))
    # The attention deadline in force when a rule fired (what the notice was about).
    deadline = models.DateTimeField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("The case's attention deadline the rule fired for."),
    )
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # None of its recipients has an e-mail or a staff account: nothing is sent, and the timeline
    # and the admin say it reached nobody.
    reached_nobody = models.BooleanField(_("reached nobody"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        permissions = [("receive_breach_notices", _("Can receive breach notices in SMA"))]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "rule", "deadline"],
                condition=Q(rule__isnull=False),
                name="notification_once_per_rule_deadline",
            ),
            models.CheckConstraint(
                condition=Q(rule__isnull=True) | Q(deadline__isnull=False),
                name="notification_rule_has_deadline",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(kind="on_call"), name="notification_on_call_once_per_case"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="notification_unsent_idx",
                condition=Q(sent_at__isnull=True, reached_nobody=False),
            ),
            # The admin's log, newest first, a page at a time.
            models.Index(fields=["-created_at", "-id"], name="notification_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.get_kind_display()}"


class AppliedSlaRevision(models.Model):
    """The attention-table/calendar revision whose deadlines the open cases carry."""

    key = models.CharField(_("key"), max_length=20, unique=True, default="default")
    revision = models.CharField(_("revision"), max_length=32)
    applied_at = models.DateTimeField(
        _("applied at"),
    )

    class Meta:
        verbose_name = _("applied SLA revision")
        verbose_name_plural = _("applied SLA revisions")

    def __str__(self) -> str:
        return self.revision
