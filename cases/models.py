"""Support cases, their activities (the timeline and audit trail), attachments, refusals and the
case-number sequence. State changes go through ``cases.services``; reads through ``cases.selectors``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _

from contracts.models import (
    Customer,
    Installation,
    Priority,
    Product,
    SupportContract,
    SupportPlan,
    TechnicalContact,
)

# The one-time form tokens live with their mechanism; imported here to be one of the app's models.
from .idempotency import FormSubmission  # noqa: F401


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone (ext. 911)")
    EMAIL = "email", _("E-mail (support@)")
    PORTAL = "portal", _("Customer portal")
    IVR = "ivr", _("IVR (after hours)")
    API = "api", _("Integration (REST API)")


class CaseKind(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    INFORMATION = "information", _("Information request")
    PREVENTIVE_MAINTENANCE = "maintenance", _("Preventive maintenance")
    WARRANTY_CLAIM = "warranty", _("Warranty claim")
    SOFTWARE_UPDATE = "update", _("Software update")


class Scope(models.TextChoices):
    """What the request is about. Only product malfunction and use questions are in scope."""

    PRODUCT = "product", _("Product operation (in scope)")
    DEVELOPMENT = "development", _("Development")
    IMPLEMENTATION = "implementation", _("Implementation")
    TUNING = "tuning", _("Tuning")
    MONITORING = "monitoring", _("Monitoring")
    ADMINISTRATION = "administration", _("Administration")
    TRAINING = "training", _("Training")


class SupportTier(models.IntegerChoices):
    """Tiers of case handling N1–N4 (not the escalation matrix)."""

    N1 = 1, _("N1 · First contact")
    N2 = 2, _("N2 · On-site, administration and use")
    N3 = 3, _("N3 · Analysis and updates")
    N4 = 4, _("N4 · Engineering and patches")


# False for cases without a first response: ascending, they come first (the open queue's order).
UNANSWERED_LAST = ExpressionWrapper(Q(first_response_at__isnull=False), output_field=BooleanField())


# The columns the case list filters on (selectors.case_queryset), carried by its sort indexes.
LIST_FILTER_COLUMNS = [
    "status",
    "priority",
    "plan",
    "customer",
    "assigned_to",
    "attention_met",
    "first_response_at",
    "attention_due_at",
    "attention_at_risk_at",
]


# What the managers' reports read of the cases of a period (reports.selectors), carried by
# case_report_cover_idx.
REPORT_COLUMNS = [
    "status",
    "priority",
    "plan",
    "customer",
    "assigned_to",
    "product",
    "attention_due_at",
    "first_response_at",
    "attention_met",
    "closed_at",
    "first_response_business_seconds",
    "resolution_business_seconds",
    "reopen_count",
]


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_CUSTOMER = "waiting_customer", _("Waiting on customer")
    SOLUTION_PROPOSED = "solution_proposed", _("Solution proposed")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class CloseReason(models.TextChoices):
    ACCEPTED = "accepted", _("Solution accepted by the customer")
    INACTIVITY = "inactivity", _("Customer inactivity")
    NO_CONTRACT = "no_contract", _("No contract in force")
    UNSUPPORTED = "unsupported", _("Product obsolete or unsupported")
    DUPLICATE = "duplicate", _("Duplicate of another case")
    # Only a preventive maintenance cancelled before it took place (warranty's maintenance_cancel).
    CANCELLED = "cancelled", _("Cancelled before it took place")


class SolutionKind(models.TextChoices):
    WORKAROUND = "workaround", _("Workaround")
    PROCEDURE = "procedure", _("Command or procedure")
    UPDATE = "update", _("Software update or patch")


class CaseSequence(models.Model):
    """The last case number handed out in a year. Numbers are never reused."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("case number sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="cases", verbose_name=_("customer")
    )
    contract = models.ForeignKey(
        SupportContract, on_delete=models.PROTECT, related_name="cases", verbose_name=_("contract")
    )
    plan = models.ForeignKey(
        SupportPlan,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("support plan"),
    )
    installation = models.ForeignKey(
        Installation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("installation")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="cases", editable=False, verbose_name=_("product")
    )
    requester = models.ForeignKey(
        TechnicalContact, on_delete=models.PROTECT, related_name="cases", verbose_name=_("requested by")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=CaseKind.choices, default=CaseKind.INCIDENT)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices, blank=True)
    tier = models.PositiveSmallIntegerField(
        _("support tier"), choices=SupportTier.choices, default=SupportTier.N1
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW)

    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), help_text=_("Include any error code or message."))
    product_version = models.CharField(_("product version"), max_length=40)
    product_build = models.CharField(_("build"), max_length=40, blank=True)
    operating_system = models.CharField(_("operating system"), max_length=80, blank=True)
    os_version = models.CharField(_("OS version"), max_length=40, blank=True)
    reproducer = models.TextField(_("how to reproduce"), blank=True)

    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned to"),
    )
    registered_at = models.DateTimeField(_("registered at"))
    # The attention result. Until the first response the deadline follows the priority and the SLA
    # tables (cases.services.deadlines); from the first customer-facing activity on, the deadline
    # in force then and attention_met are history: nothing rewrites them, reports read them.
    attention_due_at = models.DateTimeField(_("attention due at"), null=True, blank=True)
    attention_at_risk_at = models.DateTimeField(_("at risk from"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    attention_met = models.BooleanField(_("attention time met"), null=True)
    # Business time (seconds, on the calendar of the case's plan and priority) from registration
    # to the first response and to the closing, recorded by the services at that moment so the
    # managers' reports take medians and percentiles in SQL; reopen_count counts reopenings.
    first_response_business_seconds = models.PositiveIntegerField(
        _("business time to first response (s)"), null=True, blank=True, editable=False
    )
    resolution_business_seconds = models.PositiveIntegerField(
        _("business time to close (s)"), null=True, blank=True, editable=False
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0, editable=False)
    # The next instant the deadline watch must look at this case (None: nothing left to watch).
    # The cases app sets it to "now" whenever the deadline may have moved (registration, priority
    # change, an SLA edit, reopening) or the escalation rules changed, and clears it once attention
    # is given; the escalation sweep sets the real next warning instant from its rules.
    warn_at = models.DateTimeField(_("next warning at"), null=True, blank=True)

    solution_kind = models.CharField(
        _("solution kind"), max_length=12, choices=SolutionKind.choices, blank=True
    )
    solution = models.TextField(_("solution"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(_("close reason"), max_length=12, choices=CloseReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Lower-cased, accent-free text for search: number, customer, subject, description.
    search_document = models.TextField(_("search text"), editable=False, default="")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-registered_at"]
        permissions = [
            ("reassign_case", _("Can reassign any case")),
            ("authorize_onsite_visit", _("Can authorise on-site visits")),
        ]
        indexes = [
            # Open cases by deadline: the default queue, breached / at-risk filters, the sweep.
            # The columns the open-queue filters test ride along, so counts need not visit the table.
            models.Index(
                fields=["attention_due_at"],
                name="case_open_due_idx",
                condition=~Q(status="closed"),
                include=[
                    "priority",
                    "assigned_to",
                    "first_response_at",
                    "attention_at_risk_at",
                    "attention_met",
                ],
            ),
            # The default open queue: unanswered first, by deadline (selectors.SORTS["queue"]).
            models.Index(
                UNANSWERED_LAST,
                F("attention_due_at"),
                F("id"),
                name="case_open_queue_idx",
                condition=~Q(status="closed"),
            ),
            models.Index(
                fields=["assigned_to", "attention_due_at"],
                name="case_open_assignee_idx",
                condition=~Q(status="closed"),
            ),
            models.Index(
                fields=["attention_due_at", "id"],
                name="case_due_cover_idx",
                include=[c for c in LIST_FILTER_COLUMNS if c != "attention_due_at"],
            ),
            models.Index(
                fields=["attention_at_risk_at"],
                name="case_open_risk_idx",
                condition=~Q(status="closed") & Q(first_response_at__isnull=True),
            ),
            # The deadline watch: only cases with something left to watch are in this index.
            models.Index(fields=["warn_at"], name="case_warn_idx", condition=Q(warn_at__isnull=False)),
            models.Index(fields=["status", "-registered_at"], name="case_status_reg_idx"),
            # One company's cases, newest first (the desk's customer filter, the portal's list):
            # the portal's product filter rides along too.
            models.Index(
                fields=["customer", "-registered_at", "-id"],
                name="case_customer_cover_idx",
                include=[*(c for c in LIST_FILTER_COLUMNS if c != "customer"), "product"],
            ),
            # One company's open cases, newest first: the portal's default list.
            models.Index(
                fields=["customer", "-registered_at", "-id"],
                name="case_open_customer_idx",
                condition=~Q(status="closed"),
            ),
            models.Index(
                fields=["assigned_to", "-registered_at", "-id"],
                name="case_assignee_cover_idx",
                include=[c for c in LIST_FILTER_COLUMNS if c != "assigned_to"],
            ),
            models.Index(
                fields=["priority", "attention_due_at", "id"],
                name="case_priority_due_cover_idx",
                include=[c for c in LIST_FILTER_COLUMNS if c not in ("priority", "attention_due_at")],
            ),
            models.Index(fields=["assigned_to", "status", "attention_due_at"], name="case_assignee_idx"),
            models.Index(fields=["priority", "-registered_at"], name="case_priority_reg_idx"),
            # The open queue of one priority by deadline (the list's priority filter).
            models.Index(
                fields=["priority", "attention_due_at", "id"],
                name="case_open_priority_due_idx",
                condition=~Q(status="closed"),
            ),
            models.Index(fields=["plan", "-registered_at"], name="case_plan_reg_idx"),
            # Lists over every status, newest first, with any mix of filters: the filtered columns
            # ride along, so the capped count and the page's ids are read from the index alone.
            models.Index(
                fields=["-registered_at", "-id"],
                name="case_registered_cover_idx",
                include=LIST_FILTER_COLUMNS,
            ),
            # The managers' reports over a period: every column they group or count by rides along,
            # so a month or a year of cases is read from the index alone.
            models.Index(
                fields=["registered_at"],
                name="case_report_cover_idx",
                include=REPORT_COLUMNS,
            ),
            # The dashboard's open desk (counters, by priority and plan, workload, backlog age),
            # read from this partial index alone.
            models.Index(
                fields=["registered_at"],
                name="case_open_report_idx",
                condition=~Q(status="closed"),
                include=[
                    "priority",
                    "plan",
                    "customer",
                    "assigned_to",
                    "first_response_at",
                    "attention_due_at",
                    "attention_at_risk_at",
                    "attention_met",
                ],
            ),
            models.Index(
                fields=["registered_at"],
                name="case_unassigned_idx",
                condition=Q(assigned_to__isnull=True) & ~Q(status="closed"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class ActivityKind(models.TextChoices):
    PHONE_CALL = "phone_call", _("Phone call")
    EMAIL = "email", _("E-mail")
    REMOTE_SESSION = "remote_session", _("Remote session")
    ONSITE_VISIT = "onsite_visit", _("On-site visit")
    INTERNAL_NOTE = "internal_note", _("Internal note")
    CUSTOMER_MESSAGE = "customer_message", _("Message from the customer")
    REGISTRATION = "registration", _("Registration")
    STATUS_CHANGE = "status_change", _("Status change")
    TIER_CHANGE = "tier_change", _("Tier change")
    PRIORITY_CHANGE = "priority_change", _("Priority change")
    ASSIGNMENT = "assignment", _("Assignment")
    VISIT_AUTHORIZED = "visit_authorized", _("On-site visit authorised")
    SOLUTION_PROPOSED = "solution_proposed", _("Solution proposed")
    SOLUTION_REJECTED = "solution_rejected", _("Solution rejected by the customer")
    CLOSURE = "closure", _("Closure")
    REOPENING = "reopening", _("Reopening")
    NOTIFICATION = "notification", _("Notification")
    DEADLINE_RECOMPUTED = "deadline_recomputed", _("Deadline recomputed")
    PQR = "pqr", _("Customer escalation (PQR)")
    ATTACHMENT = "attachment", _("Files attached")
    RMA = "rma", _("Hardware replacement (RMA)")
    SOFTWARE_UPDATE = "software_update", _("Software update")
    HOUR_BANK = "hour_bank", _("Hour bank notice")
    COPIES_CHANGED = "copies_changed", _("Copies changed")


# Interactions an engineer logs by hand; the rest are written by the services.
INTERACTION_KINDS = [
    ActivityKind.PHONE_CALL,
    ActivityKind.EMAIL,
    ActivityKind.REMOTE_SESSION,
    ActivityKind.ONSITE_VISIT,
    ActivityKind.INTERNAL_NOTE,
]
# Interactions with the customer: the first one stops the attention clock.
CUSTOMER_FACING_KINDS = [
    ActivityKind.PHONE_CALL,
    ActivityKind.EMAIL,
    ActivityKind.REMOTE_SESSION,
    ActivityKind.ONSITE_VISIT,
    ActivityKind.SOLUTION_PROPOSED,
]

# Public events the customer is told of by e-mail: the registration with its number, the
# engineer's e-mailed replies, a proposed solution, the closure and a reopening.
CUSTOMER_NOTICE_KINDS = [
    ActivityKind.REGISTRATION,
    ActivityKind.EMAIL,
    ActivityKind.SOLUTION_PROPOSED,
    ActivityKind.CLOSURE,
    ActivityKind.REOPENING,
    ActivityKind.HOUR_BANK,
]
# Those events keep, under this key of their data, the case's state at the event (status,
# priority, deadline, assignee…), so the e-mail tells what was true then, whenever it is written.
CASE_STATE_KEY = "case_state"


class CaseActivity(models.Model):
    """One entry of a case's timeline; every state change writes one (the audit trail)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="activities", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("recorded at"))
    body = models.TextField(_("details"), blank=True)
    is_public = models.BooleanField(_("visible to the customer"), default=False)
    data = models.JSONField(_("data"), default=dict, blank=True)
    # Time the engineer spent on this interaction (tiers 1 and 2 draw it from an hour bank).
    minutes_spent = models.PositiveIntegerField(_("time spent (minutes)"), default=0)
    # The customer must be told of this event by e-mail (set by the services for the events in
    # CUSTOMER_NOTICE_KINDS; the escalation app's mail job picks these rows and clears the flag).
    customer_notice_due = models.BooleanField(_("customer notice due"), default=False, editable=False)

    class Meta:
        verbose_name = _("case activity")
        verbose_name_plural = _("case activities")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="activity_case_idx"),
            models.Index(
                fields=["id"], name="activity_notice_due_idx", condition=Q(customer_notice_due=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()}"


def attachment_path(instance: CaseAttachment, filename: str) -> str:
    """Never the uploader's file name: a random name under the case's folder."""
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}"


class CaseAttachment(models.Model):
    """Logs, traces, configuration files, captures. Stored privately; served only through a view
    that checks the user may see the case, always as a download."""

    class Kind(models.TextChoices):
        LOG = "log", _("Log")
        TRACE = "trace", _("Trace / capture")
        CONFIG = "config", _("Configuration file")
        SCREENSHOT = "screenshot", _("Screenshot")
        OTHER = "other", _("Other")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case")
    )
    activity = models.ForeignKey(
        CaseActivity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("activity"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_public = models.BooleanField(_("visible to the customer"), default=True)
    damaged = models.BooleanField(
        _("damaged"),
        default=False,
        help_text=_("It arrived incomplete (a cut-off e-mail); kept as received."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class OnsiteVisitAuthorization(models.Model):
    """The support manager's authorisation for an on-site visit (Bogotá, plans that allow it)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="visit_authorizations", verbose_name=_("case")
    )
    authorized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("authorised by")
    )
    authorized_at = models.DateTimeField(_("authorised at"))
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    used_by = models.OneToOneField(
        CaseActivity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_authorization",
        verbose_name=_("used in"),
    )

    class Meta:
        verbose_name = _("on-site visit authorisation")
        verbose_name_plural = _("on-site visit authorisations")
        ordering = ["-authorized_at"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.authorized_at:%Y-%m-%d}"


class RefusedRequest(models.Model):
    """A request that could not become a case, and why — so the customer can be answered."""

    class Reason(models.TextChoices):
        NOT_DESIGNATED = "not_designated", _("Requester is not a designated technical contact")
        NO_CONTRACT = "no_contract", _("No support contract in force")
        NOT_LICENSED = "not_licensed", _("Product not licensed by the customer")
        OBSOLETE = "obsolete", _("Product obsolete or unsupported")
        OUT_OF_SCOPE = "out_of_scope", _("Out of the support scope")

    customer = models.ForeignKey(
        Customer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
    )
    requester = models.ForeignKey(
        TechnicalContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requester_text = models.CharField(_("requester"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    message = models.TextField(_("message"))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("refused by"),
    )
    refused_at = models.DateTimeField(_("refused at"))

    class Meta:
        verbose_name = _("refused request")
        verbose_name_plural = _("refused requests")
        ordering = ["-refused_at"]

    def __str__(self) -> str:
        return f"{self.refused_at:%Y-%m-%d %H:%M} {self.get_reason_display()}"


class SurveyOwed(models.Model):
    """A satisfaction survey owed to the customer after a closure (sent by the portal/e-mail work).

    One per closure: (case, closure) is unique, so a retried closure cannot owe two surveys.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="surveys_owed", verbose_name=_("case")
    )
    closure = models.OneToOneField(
        CaseActivity, on_delete=models.CASCADE, related_name="survey_owed", verbose_name=_("closure")
    )
    contact = models.ForeignKey(
        TechnicalContact, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact")
    )
    created_at = models.DateTimeField(
        _("created at"),
    )
    # The e-mailed invitation: an outbox row of its own (escalation's survey mail job sends it
    # once). The link's token is made when the e-mail is sent and only its SHA-256 is kept.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    token_hash = models.CharField(
        _("link token (SHA-256)"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey owed")
        verbose_name_plural = _("surveys owed")
        indexes = [
            models.Index(
                fields=["created_at"], name="surveyowed_unsent_idx", condition=Q(sent_at__isnull=True)
            ),
            models.Index(fields=["sent_at"], name="surveyowed_sent_idx", condition=Q(sent_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} → {self.contact}"


# The answers, in a module of their own; imported here to be one of the app's models.
from .copy_models import CaseCopy  # noqa: E402, F401
from .hour_bank_models import HourBankNotice, HourBankUse  # noqa: E402, F401
from .survey_models import SurveyResponse  # noqa: E402, F401
